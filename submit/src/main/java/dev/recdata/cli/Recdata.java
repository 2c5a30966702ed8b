package dev.recdata.cli;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Versions;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code recdata} command line: one subcommand per stage. It runs the same under {@code
 * bin/recdata} (local Spark) and under {@code spark-submit} (the cluster decides the master).
 * Errors are one line unless --verbose.
 */
@Command(
    name = "recdata",
    mixinStandardHelpOptions = true,
    versionProvider = Recdata.VersionProvider.class,
    description = "Spark batch ETL and training data for recommender systems.",
    subcommands = {CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error (run again with --verbose for the stack trace)",
      "2:usage error or bad input (missing file, malformed data, unreachable database)",
      "3:quality gate failed"
    })
public final class Recdata {
  private Recdata() {}

  public static void main(String[] args) {
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    exit(code, System.getenv(DATABRICKS_RUNTIME) != null, System::exit);
  }

  /** Set on every Databricks cluster; its driver JVM runs the job's main method in-process. */
  static final String DATABRICKS_RUNTIME = "DATABRICKS_RUNTIME_VERSION";

  /**
   * Ends the command with {@code code}: the process's exit code under spark-submit and bin/recdata.
   * A Databricks JAR task runs main inside the cluster's long-lived driver, which the job must not
   * exit ("do not call System.exit", Databricks' JAR task documentation): there success returns and
   * any other code is thrown, so the run fails with the code and its meaning in its error.
   */
  static void exit(int code, boolean sharedDriver, IntConsumer systemExit) {
    if (!sharedDriver) {
      systemExit.accept(code);
    } else if (code != 0) {
      String meaning =
          switch (code) {
            case RecdataException.EXIT_BAD_INPUT -> "bad input or options";
            case RecdataException.EXIT_GATE_FAILED -> "quality gate failed; OUT/latest unchanged";
            default -> "internal error";
          };
      throw new IllegalStateException(
          "recdata exited with code "
              + code
              + " ("
              + meaning
              + "); its message is in the driver's standard error");
    }
  }

  /** Runs a command line and returns its exit code; used by main and by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
    CommandLine cli = commandLine();
    try {
      configDefaults(cli, args);
    } catch (RecdataException e) {
      err.println("recdata: " + e.getMessage());
      return e.exitCode();
    }
    cli.setOut(out);
    cli.setErr(err);
    // a wrong option is the user's to fix: one line naming it, picocli's "did you mean", the help
    // command, exit 2; not the whole usage page and not the internal-error code
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine command = e.getCommandLine();
          String name = command.getCommandSpec().qualifiedName();
          command.getErr().println(name + ": " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
          command.getErr().println("Run '" + name + " --help' for its options.");
          return RecdataException.EXIT_BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          RecdataException known = find(e);
          if (verbose) {
            e.printStackTrace(commandLine.getErr());
          }
          if (known != null) {
            commandLine
                .getErr()
                .println(commandLine.getCommandSpec().qualifiedName() + ": " + known.getMessage());
            return known.exitCode();
          }
          commandLine
              .getErr()
              .println(
                  commandLine.getCommandSpec().qualifiedName()
                      + ": internal error: "
                      + rootMessage(e)
                      + (verbose ? "" : " (run again with --verbose for the stack trace)"));
          return RecdataException.EXIT_INTERNAL;
        });
    return cli.execute(args);
  }

  /** The command tree; each stage module contributes its command class. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Recdata());
    for (Object command : Commands.all()) {
      cli.addSubcommand(command);
    }
    cli.setExitCodeExceptionMapper(
        e -> {
          RecdataException known = find(e);
          return known == null ? RecdataException.EXIT_INTERNAL : known.exitCode();
        });
    return cli;
  }

  /**
   * {@code --config FILE} of whichever command runs: the file's keys become that command's option
   * defaults, so every key is also a flag and flags win. A {@code .yaml}/{@code .yml} file is read
   * as YAML, anything else as Java properties.
   */
  static void configDefaults(CommandLine cli, String[] args) {
    CommandLine command = cli;
    String file = null;
    for (int i = 0; i < args.length; i++) {
      if (command.getSubcommands().containsKey(args[i])) {
        command = command.getSubcommands().get(args[i]);
      } else if (args[i].equals("--config") && i + 1 < args.length) {
        file = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        file = args[i].substring("--config=".length());
      }
    }
    if (file == null || command == cli) {
      return; // recdata itself takes no --config; picocli says so
    }
    Map<String, String> keys =
        command.getCommand() instanceof PipelineCommand pipeline
            ? pipeline.configKeys()
            : ConfigFileDefaults.keysOf(command.getCommandSpec());
    Set<String> elsewhere = new HashSet<>();
    for (CommandLine other : cli.getSubcommands().values()) {
      if (other != command && !(other.getCommand() instanceof PipelineCommand)) {
        ConfigFileDefaults.keysOf(other.getCommandSpec()).keySet().stream()
            .filter(k -> k.contains("."))
            .forEach(elsewhere::add);
      }
    }
    command.setDefaultValueProvider(
        ConfigFileDefaults.load(java.nio.file.Path.of(file), keys, elsewhere));
  }

  /** A RecdataException anywhere in the cause chain: Spark wraps what a task throws. */
  static RecdataException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecdataException r) {
        return r;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String first = message == null ? "" : message.lines().findFirst().orElse("");
    return root.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
  }

  /** --version: recdata, Spark, Scala, Hadoop and Java versions. */
  public static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      var v = Versions.asJson();
      return List.of(
              "recdata " + v.get("recdata").asText(),
              "Spark " + v.get("spark").asText() + " (Scala " + v.get("scala").asText() + ")",
              "Hadoop " + v.get("hadoop").asText(),
              "Java " + v.get("java").asText())
          .toArray(String[]::new);
    }
  }
}
