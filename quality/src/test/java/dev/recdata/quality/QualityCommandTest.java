package dev.recdata.quality;

import static dev.recdata.quality.Fixtures.cleanSplit;
import static dev.recdata.quality.Fixtures.copy;
import static dev.recdata.quality.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QualityCommandTest {
  @TempDir Path tmp;

  private final StringWriter err = new StringWriter();

  /**
   * The command line as the CLI module wires it: RecdataException's exit code, a one-line message.
   */
  private CommandLine cli() {
    Fixtures.spark();
    CommandLine cli = new CommandLine(new QualityCommand());
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(e.getMessage());
          return e instanceof RecdataException r ? r.exitCode() : RecdataException.EXIT_INTERNAL;
        });
    return cli;
  }

  @Test
  void optionsBecomeTheOptionsRecord() {
    QualityCommand command = new QualityCommand();
    new CommandLine(command)
        .parseArgs(
            "--input",
            "in",
            "--out",
            "o",
            "--ratio-tolerance",
            "0.1",
            "--fail-on",
            "warn",
            "--jdbc-schema",
            "qa");

    QualityOptions options = command.quality.options(null);
    assertThat(options.ratioTolerance()).isEqualTo(0.1);
    assertThat(options.failOn()).isEqualTo(FailOn.WARN);
    assertThat(command.jdbcSchema.name).isEqualTo("qa");
    assertThat(options.minUsersWithinTolerance()).isEqualTo(0.95);
  }

  @Test
  void helpListsTheGateExitCode() {
    String usage = new CommandLine(new QualityCommand()).getUsageMessage();

    assertThat(usage)
        .contains("--fail-on", "--ratio-tolerance", "--jdbc-url", "3   quality gate failed");
  }

  @Test
  void temporalLeakExitsWithTheGateCode() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(Schema.Layout.TEST).add(row(5, 50, 0.5, 2f));
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 101, parts, 0.7, 0.2, 0.1));

    int code = cli().execute("--input", split.toString(), "--out", tmp.resolve("out").toString());

    assertThat(code).isEqualTo(RecdataException.EXIT_GATE_FAILED);
    assertThat(err.toString()).contains("quality gate failed", "temporal_leakage fail");
    assertThat(Files.exists(tmp.resolve("out/report.json"))).isTrue();
  }

  @Test
  void warningGatesOnlyWithFailOnWarn() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    // A cold-start user in test (a warning); the manifest counts the row, so nothing else is off.
    parts.get(Schema.Layout.TEST).add(row(11, 3, 10, 4f));
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 101, parts, 0.7, 0.2, 0.1));
    String out = tmp.resolve("out").toString();

    int lenient = cli().execute("--input", split.toString(), "--out", out, "--run-id", "lenient");
    int strict =
        cli()
            .execute(
                "--input",
                split.toString(),
                "--out",
                out,
                "--fail-on",
                "warn",
                "--run-id",
                "strict");

    assertThat(lenient).isEqualTo(0);
    assertThat(strict).isEqualTo(RecdataException.EXIT_GATE_FAILED);
    assertThat(err.toString()).contains("cold_start_users warn");
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsExitTwoAndLeavesTheOutputAsItWas() throws Exception {
    Map<String, List<Row>> parts = copy(cleanSplit());
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 101, parts, 0.7, 0.2, 0.1));
    Path out = tmp.resolve("out");
    String dead = "jdbc:postgresql://127.0.0.1:1/test";

    int first =
        cli().execute("--input", split.toString(), "--out", out.toString(), "--jdbc-url", dead);

    assertThat(first).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("cannot connect to PostgreSQL at " + dead);
    assertThat(out).as("nothing committed").doesNotExist();

    // A previous report stays exactly as it was, and no staging folder is left beside it.
    // (the fixture's verdict does not matter here, only that this run commits its reports)
    assertThat(
            cli().execute("--input", split.toString(), "--out", out.toString(), "--run-id", "good"))
        .isIn(0, RecdataException.EXIT_GATE_FAILED);
    String before = Files.readString(out.resolve("report.json"));
    assertThat(
            cli()
                .execute(
                    "--input",
                    split.toString(),
                    "--out",
                    out.toString(),
                    "--jdbc-url",
                    dead,
                    "--run-id",
                    "bad"))
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(before).contains("\"good\"");
    try (var listing = Files.list(tmp)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".out."));
    }
  }

  @Test
  void aTableWriteThatFailsAfterTheChecksCommitsNoReport() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 101, parts, 0.7, 0.2, 0.1));
    Path out = tmp.resolve("out");
    // The job itself, as if the database had gone away after the command's preflight.
    JdbcTarget gone = new JdbcTarget("jdbc:postgresql://127.0.0.1:1/test", "postgres", null);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                QualityJob.run(
                    Fixtures.spark(),
                    split.toString(),
                    out.toString(),
                    QualityOptions.defaults(),
                    gone,
                    "recdata"))
        .isInstanceOf(RecdataException.class);

    assertThat(out).doesNotExist();
    assertThat(tmp.toFile().list())
        .as("no staging folder left")
        .noneMatch(name -> name.startsWith(".out."));
  }

  @Test
  void unknownFailOnIsBadInput() {
    int code = cli().execute("--input", "x", "--out", "y", "--fail-on", "sometimes");

    assertThat(code).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--fail-on sometimes", "expected one of fail, warn");
  }
}
