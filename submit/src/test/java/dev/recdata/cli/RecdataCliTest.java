package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, version, one-line errors with exit codes, and the main job. */
class RecdataCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    SharedSpark.session(); // commands reuse the shared local[2] session instead of starting local[*]
    return Recdata.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsEveryStageAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("generate", "etl", "split", "quality", "als", "export", "pipeline")
        .contains("3   quality gate failed");
  }

  @Test
  void versionNamesSparkAndScala() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).contains("Spark 4.1.0 (Scala 2.13");
  }

  @Test
  void missingInputIsOneLineAndExitCodeTwo(@TempDir Path tmp) {
    int code = run("etl", "--input", tmp.resolve("no-such-folder").toString(), "--out", tmp.resolve("o").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("no-such-folder").doesNotContain("\tat ");
  }

  @Test
  void unknownOptionIsAUsageError(@TempDir Path tmp) {
    assertThat(run("split", "--input", "x", "--out", "y", "--strategy", "sideways")).isEqualTo(2);
    assertThat(err.toString()).contains("sideways");
  }

  @Test
  void splitRunsEtlInMemoryOnARawMovieLensFolder(@TempDir Path tmp) {
    String out = tmp.resolve("split").toString();
    int code = run("split", "--input", TestData.ml100k().toString(), "--out", out, "--strategy", "leave-last", "--k", "1");
    assertThat(code).as(err.toString()).isZero();
    JsonNode manifest = Json.read(SharedSpark.session().sparkContext().hadoopConfiguration(), out + "/manifest.json");
    assertThat(manifest.get("counts").get("input").asLong()).isEqualTo(100_000);
    assertThat(manifest.get("counts").get("test").asLong()).isEqualTo(943);
  }

  @Test
  void pipelineOnTheGeneratedSampleCompletesAndMovesLatest(@TempDir Path tmp) throws Exception {
    String out = tmp.resolve("runs-root").toString();
    int code = run("pipeline", "--out", out, "--sample-rows", "20000");
    assertThat(code).as(err.toString()).isZero();
    String runId = Files.readString(Path.of(out, "latest")).strip();
    Path run = Path.of(out, "runs", runId);
    assertThat(run.resolve("etl/manifest.json")).isRegularFile();
    assertThat(run.resolve("splits/manifest.json")).isRegularFile();
    assertThat(run.resolve("quality/report.html")).isRegularFile();
    assertThat(run.resolve("als/metrics.json")).isRegularFile();
    assertThat(run.resolve("pipeline.json")).isRegularFile();
  }

  @Test
  void pipelineConfigFileGivesDefaultsAndFlagsWin(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("pipeline.properties");
    Files.writeString(config, "window-days=90\nratios=0.8,0.1,0.1\nto=split\n");
    String[] args = {"pipeline", "--config", config.toString(), "--to", "quality"};
    picocli.CommandLine cli = Recdata.commandLine();
    Recdata.configDefaults(cli, args);

    PipelineCommand pipeline = cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();

    assertThat(pipeline.windowDays).isEqualTo(90);
    assertThat(pipeline.ratios).isEqualTo("0.8,0.1,0.1");
    assertThat(pipeline.to).isEqualTo("quality");
  }

  @Test
  void missingConfigFileIsExitCodeTwo(@TempDir Path tmp) {
    assertThat(run("pipeline", "--config", tmp.resolve("nope.properties").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("nope.properties");
  }
}
