package dev.recdata.cli;

import dev.recdata.common.Progress;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recdata runs list|gc}: what a pipeline root holds, and removing what is no longer needed.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List or clean the runs of a pipeline root (--out of `recdata pipeline`).",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Gc.class})
public final class RunsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return dev.recdata.common.RecdataException.EXIT_BAD_INPUT;
  }

  /**
   * Hadoop configuration from the environment (core-site.xml on the classpath, HADOOP_CONF_DIR), no
   * Spark needed.
   */
  static Configuration conf() {
    return new Configuration();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "One line per run: id, status (complete, failed, unfinished, running), and which one latest names.")
  static final class ListRuns implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "The pipeline root (the pipeline's --out).")
    String out;

    @picocli.CommandLine.Mixin dev.recdata.common.cli.ConfigFileOption config;

    @Override
    public Integer call() {
      RunsFolder runs = new RunsFolder(conf(), out);
      runs.checkIsPipelineRoot();
      String latest = runs.latestRunId();
      for (RunsFolder.RunFolder run : runs.runs()) {
        String status =
            run.status() == RunsFolder.Status.UNFINISHED
                ? (run.running() ? "running" : "unfinished")
                : run.status().name().toLowerCase(java.util.Locale.ROOT);
        System.out.println(run.id() + "\t" + status + (run.id().equals(latest) ? "\tlatest" : ""));
      }
      return 0;
    }
  }

  @Command(
      name = "gc",
      mixinStandardHelpOptions = true,
      description = {
        "Remove unfinished runs (killed before their pipeline.json; never one whose process on this host is alive)"
            + " and, with --keep N, every finished run but the N newest.",
        "Never removes the run OUT/latest names, nor anything under --out that the pipeline did not make."
      })
  static final class Gc implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "The pipeline root (the pipeline's --out).")
    String out;

    @picocli.CommandLine.Mixin dev.recdata.common.cli.ConfigFileOption config;

    @Option(
        names = "--keep",
        description = "Keep the N newest finished runs (complete or failed); default: keep all.")
    Integer keep;

    @Override
    public Integer call() {
      dev.recdata.common.RecdataException.checkInput(
          keep == null || keep >= 1, "--keep %s: expected 1 or more", keep);
      Progress progress = new Progress("runs gc");
      List<String> removed = new RunsFolder(conf(), out).gc(keep, progress);
      progress.info("done; %d finished run(s) removed beyond --keep", removed.size());
      return 0;
    }
  }
}
