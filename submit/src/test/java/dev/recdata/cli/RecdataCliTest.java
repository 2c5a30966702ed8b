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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it: help, version, one-line errors with exit codes, and the main
 * job.
 */
class RecdataCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    SharedSpark
        .session(); // commands reuse the shared local[2] session instead of starting local[*]
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

  /**
   * A wrong option is a usage error (exit 2, as --help documents), said in a line with a suggestion
   * and the help command, not the usage page.
   */
  @Test
  void unknownOrMalformedOptionsAreExitTwoWithOneLineAndAHint() {
    assertThat(run("split", "--input", "a", "--out", "b", "--ratio", "0.8,0.1,0.1")).isEqualTo(2);
    assertThat(err.toString())
        .contains("recdata split: Unknown options: '--ratio', '0.8,0.1,0.1'")
        .contains("--ratios")
        .contains("Run 'recdata split --help' for its options.")
        .doesNotContain("Usage:");
    assertThat(err.toString().strip().lines().count()).isLessThanOrEqualTo(4);

    err.getBuffer().setLength(0);
    assertThat(run("split", "--input", "a")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--out=<out>'");

    err.getBuffer().setLength(0);
    assertThat(run("als", "--input", "a", "--out", "b", "--mode", "sideways")).isEqualTo(2);
    assertThat(err.toString()).contains("--mode").contains("explicit").contains("implicit");

    err.getBuffer().setLength(0);
    assertThat(run("nosuchcommand")).isEqualTo(2);
    assertThat(err.toString()).contains("recdata: Unmatched argument");
  }

  @Test
  void missingInputIsOneLineAndExitCodeTwo(@TempDir Path tmp) {
    int code =
        run(
            "etl",
            "--input",
            tmp.resolve("no-such-folder").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("no-such-folder").doesNotContain("\tat ");
  }

  @Test
  void aNestedCommandsErrorNamesTheWholeCommand(@TempDir Path tmp) {
    assertThat(run("runs", "diff", "--out", tmp.toString(), "latest", "nosuch")).isEqualTo(2);
    assertThat(err.toString()).startsWith("recdata runs diff: ");
  }

  @Test
  void unknownOptionIsAUsageError(@TempDir Path tmp) {
    assertThat(run("split", "--input", "x", "--out", "y", "--strategy", "sideways")).isEqualTo(2);
    assertThat(err.toString()).contains("sideways");
  }

  @Test
  void splitRunsEtlInMemoryOnARawMovieLensFolder(@TempDir Path tmp) {
    String out = tmp.resolve("split").toString();
    int code =
        run(
            "split",
            "--input",
            TestData.ml100k().toString(),
            "--out",
            out,
            "--strategy",
            "leave-last",
            "--k",
            "1");
    assertThat(code).as(err.toString()).isZero();
    JsonNode manifest =
        Json.read(
            SharedSpark.session().sparkContext().hadoopConfiguration(), out + "/manifest.json");
    assertThat(manifest.get("counts").get("input").asLong()).isEqualTo(100_000);
    assertThat(manifest.get("counts").get("test").asLong()).isEqualTo(943);
  }

  @Test
  void pipelineRunsFromALaterStageOnACopyOfTheBaseRunAndLatestMovesToEachCompleteRun(
      @TempDir Path tmp) throws Exception {
    String out = tmp.resolve("runs-root").toString();
    int code = run("pipeline", "--out", out, "--sample-rows", "20000");
    assertThat(code).as(err.toString()).isZero();
    String fullRun = Files.readString(Path.of(out, "latest")).strip();
    Path full = Path.of(out, "runs", fullRun);
    assertThat(full.resolve("etl/manifest.json")).isRegularFile();
    assertThat(full.resolve("splits/manifest.json")).isRegularFile();
    // report.html names the pipeline run and, rendered again after ALS, shows its test scores
    assertThat(Files.readString(full.resolve("quality/report.html")))
        .contains("pipeline run <b>" + fullRun + "</b>", "<h2>ALS and the baselines on test</h2>");
    assertThat(full.resolve("als/metrics.json")).isRegularFile();
    assertThat(full.resolve("export/manifest.json")).isRegularFile();
    assertThat(full.resolve("export/serving/recommendations.jsonl")).isRegularFile();
    assertThat(full.resolve("export/training/triplets.safetensors")).isRegularFile();
    JsonNode fullManifest = manifest(full);
    assertThat(fullManifest.get("base_run_id").isNull()).isTrue();
    assertRecordsWhatItsStagesWrote(full, fullManifest);
    assertThat(fullManifest.at("/options/etl/sample_rows").asLong()).isEqualTo(20_000);
    assertThat(fullManifest.at("/options/split/ratios").toString()).isEqualTo("[0.7,0.2,0.1]");

    // New split ratios on the same etl output: a new run folder holding a copy of the base run's
    // etl.
    code =
        run(
            "pipeline",
            "--out",
            out,
            "--from",
            "split",
            "--to",
            "split",
            "--ratios",
            "0.8,0.1,0.1");
    assertThat(code).as(err.toString()).isZero();
    Path partial = onlyRunBut(out, fullRun);
    String partialRun = partial.getFileName().toString();
    assertThat(Files.readString(Path.of(out, "latest")).strip()).isEqualTo(partialRun);
    JsonNode partialManifest = manifest(partial);
    assertThat(partialManifest.get("base_run_id").asText()).isEqualTo(fullRun);
    assertThat(partialManifest.get("reused_stages"))
        .extracting(JsonNode::asText)
        .containsExactly("etl");
    assertThat(partialManifest.get("stages_run"))
        .extracting(JsonNode::asText)
        .containsExactly("split");
    assertThat(partialManifest.get("to").asText()).isEqualTo("split");
    assertThat(Files.readString(partial.resolve("etl/manifest.json")))
        .isEqualTo(Files.readString(full.resolve("etl/manifest.json")));
    assertThat(partial.resolve("input")).as("the generated sample travels with etl").isDirectory();
    assertThat(partial.resolve("splits/manifest.json")).isRegularFile();
    assertThat(partial.resolve("quality")).doesNotExist();
    // what it reused is described as in the run that made it
    assertThat(partialManifest.get("previous_run_id").asText()).isEqualTo(fullRun);
    assertThat(partialManifest.get("inputs")).isEqualTo(fullManifest.get("inputs"));
    assertThat(partialManifest.at("/options/etl")).isEqualTo(fullManifest.at("/options/etl"));
    assertThat(partialManifest.at("/counts/etl")).isEqualTo(fullManifest.at("/counts/etl"));
    assertThat(partialManifest.get("id_map_version")).isEqualTo(fullManifest.get("id_map_version"));
    assertThat(partialManifest.at("/options/split/ratios").toString()).isEqualTo("[0.8,0.1,0.1]");

    // runs diff: the option that changed, and the rows it moved from validation to train
    long trainBefore = fullManifest.at("/counts/split/train").asLong();
    long trainAfter = partialManifest.at("/counts/split/train").asLong();
    assertThat(trainAfter).isGreaterThan(trainBefore);
    this.out.getBuffer().setLength(0);
    assertThat(run("runs", "diff", "--out", out, fullRun, "latest")).as(err.toString()).isZero();
    assertThat(this.out.toString())
        .containsPattern("split\\.ratios +\\[0\\.7,0\\.2,0\\.1] -> \\[0\\.8,0\\.1,0\\.1]")
        .containsPattern(
            String.format(
                "split\\.train +%,d -> +%,d  \\+%,d ",
                trainBefore, trainAfter, trainAfter - trainBefore))
        .contains("inputs", "same [")
        .doesNotContain("etl.cleaning.maxTs"); // each run's clock, not a change the user made
    this.out.getBuffer().setLength(0);
    assertThat(run("runs", "diff", "--out", out, "previous", "latest", "--json")).isZero();
    JsonNode diff = Json.MAPPER.readTree(this.out.toString());
    assertThat(diff.at("/a/run_id").asText()).isEqualTo(fullRun);
    // the one option changed; the stages the second run stopped before are recorded in A only
    assertThat(diff.get("options"))
        .extracting(o -> o.get("stage").asText() + "." + o.get("option").asText())
        .containsExactly("split.ratios", "quality.null", "als.null", "export.null");
    assertThat(diff.get("counts"))
        .filteredOn(
            c -> c.get("stage").asText().equals("split") && c.get("count").asText().equals("train"))
        .singleElement()
        .satisfies(c -> assertThat(c.get("delta").asLong()).isEqualTo(trainAfter - trainBefore));

    // runs list: one line per run with its rows, split and quality; latest marked
    this.out.getBuffer().setLength(0);
    assertThat(run("runs", "list", "--out", out)).isZero();
    assertThat(this.out.toString().lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(fullRun + "  complete  ")
                    .containsPattern(String.format("20,000 +%,d ", trainBefore))
                    .contains("pass", fullManifest.at("/model/best_baseline").asText()))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(partialRun + "  complete  latest")
                    .contains(String.format("%,d", trainAfter)));

    // a run that does not exist is exit 2 naming it
    err.getBuffer().setLength(0);
    assertThat(run("runs", "diff", "--out", out, fullRun, "20260101T000000Z-deadbeef"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("run 20260101T000000Z-deadbeef does not exist");

    // latest now names a run that stopped after split: an als-only run needs a base that went
    // through quality.
    err.getBuffer().setLength(0);
    assertThat(run("pipeline", "--out", out, "--from", "als")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--from als needs the quality output of base run " + partialRun, "stopped after split");
    assertThat(Files.readString(Path.of(out, "latest")).strip()).isEqualTo(partialRun);

    // The full run still qualifies when named; the new run holds copies of etl, splits and quality.
    assertThat(run("pipeline", "--out", out, "--from", "als", "--base-run", fullRun))
        .as(err.toString())
        .isZero();
    String alsRun = Files.readString(Path.of(out, "latest")).strip();
    JsonNode alsManifest = manifest(Path.of(out, "runs", alsRun));
    assertThat(alsManifest.get("base_run_id").asText()).isEqualTo(fullRun);
    assertThat(alsManifest.get("reused_stages"))
        .extracting(JsonNode::asText)
        .containsExactly("etl", "split", "quality");
    assertThat(Files.readString(Path.of(out, "runs", alsRun, "quality/report.html")))
        .contains(
            "pipeline run <b>" + alsRun + "</b>",
            alsRun + " (quality reused from run " + fullRun + ")",
            "<h2>ALS and the baselines on test</h2>");
    assertThat(Path.of(out, "runs", alsRun, "als/metrics.json")).isRegularFile();
    assertThat(Path.of(out, "runs", alsRun, "export/manifest.json")).isRegularFile();
  }

  /**
   * pipeline.json holds what the run's stage manifests say: the same counts, the quality verdict
   * and the id-map version the export carries.
   */
  private static void assertRecordsWhatItsStagesWrote(Path run, JsonNode manifest) {
    var conf = SharedSpark.session().sparkContext().hadoopConfiguration();
    JsonNode etl = Json.read(conf, run.resolve("etl/manifest.json").toString());
    JsonNode split = Json.read(conf, run.resolve("splits/manifest.json").toString());
    JsonNode quality = Json.read(conf, run.resolve("quality/report.json").toString());
    JsonNode export = Json.read(conf, run.resolve("export/manifest.json").toString());
    assertThat(manifest.get("format_version").asInt()).isEqualTo(RunManifest.FORMAT_VERSION);
    assertThat(manifest.at("/counts/etl")).isEqualTo(etl.get("counts"));
    assertThat(manifest.at("/counts/etl/input").asLong()).isEqualTo(20_000);
    assertThat(manifest.at("/counts/split")).isEqualTo(split.get("counts"));
    assertThat(manifest.at("/counts/export/training/triplets").asLong())
        .isEqualTo(export.at("/counts/training/triplets").asLong())
        .isPositive();
    assertThat(manifest.at("/quality/status").asText()).isEqualTo(quality.get("status").asText());
    assertThat(manifest.at("/quality/gate_failed").asBoolean()).isFalse();
    assertThat(manifest.get("id_map_version").asText())
        .isEqualTo(export.at("/lineage/etl/id_map_version").asText())
        .startsWith("sha256:");
    assertThat(manifest.get("options").fieldNames())
        .toIterable()
        .containsExactly("etl", "split", "quality", "als", "export");
    assertThat(manifest.get("inputs")).hasSize(1);
  }

  private static JsonNode manifest(Path run) {
    return Json.read(
        SharedSpark.session().sparkContext().hadoopConfiguration(),
        run.resolve("pipeline.json").toString());
  }

  private static Path onlyRunBut(String out, String runId) throws Exception {
    try (var runs = Files.list(Path.of(out, "runs"))) {
      return runs.filter(
              r ->
                  !r.getFileName().toString().equals(runId)
                      && !r.getFileName().toString().startsWith("."))
          .reduce(
              (a, b) -> {
                throw new AssertionError("more than one new run: " + a + ", " + b);
              })
          .orElseThrow();
    }
  }

  @Test
  void fromALaterStageWithoutABaseRunIsExitCodeTwo(@TempDir Path tmp) {
    String out = tmp.resolve("empty").toString();
    assertThat(run("pipeline", "--out", out, "--from", "split")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--from split needs a base run", out + "/latest names no complete run");

    err.getBuffer().setLength(0);
    assertThat(
            run(
                "pipeline",
                "--out",
                out,
                "--from",
                "quality",
                "--base-run",
                "20260101T000000Z-deadbeef"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("base run 20260101T000000Z-deadbeef is not a finished run");
    // a run that could not start leaves no run folder behind, not even a failed one
    assertThat(Path.of(out, "runs")).doesNotExist();
  }

  @Test
  void fromALaterStageRejectsNewEtlInputAndStagesOutOfOrder(@TempDir Path tmp) {
    String out = tmp.resolve("o").toString();
    assertThat(run("pipeline", "--out", out, "--from", "split", "--input", "data/new"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--input feeds etl", "--from split");

    err.getBuffer().setLength(0);
    assertThat(run("pipeline", "--out", out, "--from", "als", "--to", "split")).isEqualTo(2);
    assertThat(err.toString()).contains("--from als comes after --to split");

    err.getBuffer().setLength(0);
    assertThat(run("pipeline", "--out", out, "--from", "serve")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--from serve is not a stage; expected one of [etl, split, quality, als, export]");
  }

  /** Nothing listens on port 1: a database that does not answer. */
  private static final String DEAD_DB = "jdbc:postgresql://127.0.0.1:1/test";

  /** Runs a command line and returns its exit code and how many Spark jobs it started. */
  private int[] runCountingSparkJobs(String... args) {
    SparkContext context = SharedSpark.session().sparkContext();
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(SparkListenerJobStart jobStart) {
            jobs.incrementAndGet();
          }
        };
    context.addSparkListener(listener);
    try {
      int code = run(args);
      context
          .listenerBus()
          .waitUntilEmpty(); // every job start posted so far has reached the listener
      return new int[] {code, jobs.get()};
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain", e);
    } finally {
      context.removeSparkListener(listener);
    }
  }

  @Test
  void pipelineWithADatabaseThatDoesNotAnswerExitsTwoBeforeAnySparkJobAndWritesNothing(
      @TempDir Path tmp) {
    String out = tmp.resolve("runs-root").toString();
    SharedSpark
        .session(); // started before the clock: the command itself starts no session before it
    // fails
    long started = System.nanoTime();

    int[] result =
        runCountingSparkJobs(
            "pipeline",
            "--out",
            out,
            "--sample-rows",
            "2000",
            "--jdbc-url",
            DEAD_DB + "?password=hunter2");

    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(result[0]).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .contains("cannot connect to PostgreSQL at " + DEAD_DB)
        .doesNotContain("hunter2");
    assertThat(result[1]).as("Spark jobs started").isZero();
    assertThat(Path.of(out)).as("nothing committed under --out").doesNotExist();
    assertThat(seconds).as("seconds to exit 2").isLessThan(10);
  }

  @Test
  void kfoldThroughExportExitsTwoBeforeAnySparkJobButKfoldUpToAlsIsAccepted(@TempDir Path tmp) {
    String out = tmp.resolve("runs-root").toString();

    int[] result =
        runCountingSparkJobs(
            "pipeline", "--out", out, "--sample-rows", "2000", "--strategy", "kfold");

    assertThat(result[0]).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .contains("--strategy kfold", "k-fold splits are not exported", "--to als");
    assertThat(result[1]).as("Spark jobs started").isZero();
    assertThat(Path.of(out)).doesNotExist();

    // With --to als the combination is fine: what stops this run is the dead database, checked
    // next.
    err.getBuffer().setLength(0);
    result =
        runCountingSparkJobs(
            "pipeline", "--out", out, "--strategy", "kfold", "--to", "als", "--jdbc-url", DEAD_DB);
    assertThat(result[0]).isEqualTo(2);
    assertThat(err.toString()).contains("cannot connect to PostgreSQL").doesNotContain("k-fold");
    assertThat(result[1]).isZero();
  }

  @Test
  void optionsALaterStageWouldRefuseExitTwoBeforeAnySparkJob(@TempDir Path tmp) {
    String out = tmp.resolve("runs-root").toString();
    String[][] cases = {
      {"--fail-on", "sometimes"},
      {"--als-mode", "sideways"},
      {"--ratios", "0.7,0.2,0.2"},
      {"--strategy", "by-moon"},
      {"--feedback-table", "public.feedback"},
      {"--jdbc-url", DEAD_DB, "--jdbc-schema", "Bad-Schema"},
    };
    String[] expected = {
      "--fail-on sometimes",
      "sideways",
      "0.7",
      "by-moon",
      "needs --jdbc-url",
      "--jdbc-schema Bad-Schema"
    };
    for (int i = 0; i < cases.length; i++) {
      err.getBuffer().setLength(0);
      String[] args =
          java.util.stream.Stream.concat(
                  java.util.stream.Stream.of("pipeline", "--out", out, "--sample-rows", "2000"),
                  java.util.Arrays.stream(cases[i]))
              .toArray(String[]::new);

      int[] result = runCountingSparkJobs(args);

      assertThat(result[0]).as(String.join(" ", cases[i]) + ": " + err).isEqualTo(2);
      assertThat(err.toString()).contains(expected[i]);
      assertThat(result[1]).as(String.join(" ", cases[i]) + ": Spark jobs started").isZero();
      assertThat(Path.of(out)).doesNotExist();
    }
  }

  @Test
  void anObjectStoreThatDoesNotAnswerExitsTwoBeforeAnySparkJob() {
    // Settings for this bucket only, so no other test's s3a use sees them.
    var conf = SharedSpark.session().sparkContext().hadoopConfiguration();
    String bucket = "fs.s3a.bucket.recdata-preflight.";
    conf.set(bucket + "endpoint", "http://127.0.0.1:1");
    conf.set(bucket + "endpoint.region", "us-east-1");
    conf.set(bucket + "path.style.access", "true");
    conf.set(bucket + "access.key", "preflight-identity");
    conf.set(bucket + "secret.key", "preflight-secret");
    long started = System.nanoTime();

    int[] result =
        runCountingSparkJobs(
            "pipeline", "--out", "s3a://recdata-preflight/out", "--sample-rows", "2000");

    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(result[0]).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .contains("cannot reach s3a://recdata-preflight for --out s3a://recdata-preflight/out")
        .doesNotContain("preflight-secret");
    assertThat(result[1]).as("Spark jobs started").isZero();
    assertThat(seconds).as("seconds to exit 2").isLessThan(60);
  }

  @Test
  void pipelineConfigFileGivesDefaultsAndFlagsWin(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("pipeline.properties");
    Files.writeString(config, "window-days=90\nratios=0.8,0.1,0.1\nto=split\n");
    PipelineCommand pipeline =
        parsePipeline("pipeline", "--config", config.toString(), "--to", "quality");

    assertThat(windowDays(pipeline)).isEqualTo(90);
    assertThat(pipeline.split.options().ratios()).containsExactly(0.8, 0.1, 0.1);
    assertThat(pipeline.to).isEqualTo("quality");
  }

  @Test
  void missingConfigFileIsExitCodeTwo(@TempDir Path tmp) {
    assertThat(run("pipeline", "--config", tmp.resolve("nope.properties").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("nope.properties");
  }

  private static Integer windowDays(PipelineCommand pipeline) {
    return pipeline.etl.options(java.util.List.of("in"), null, "out", null).cleaning().windowDays();
  }

  private static PipelineCommand parsePipeline(String... args) {
    picocli.CommandLine cli = Recdata.commandLine();
    Recdata.configDefaults(cli, args);
    return cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
  }

  @Test
  void yamlConfigGivesDefaultsListsForRepeatableOptionsAndFlagsWin(@TempDir Path tmp)
      throws Exception {
    Path config = tmp.resolve("pipeline.yaml");
    Files.writeString(
        config,
        """
        # weekly retraining
        window-days: 90
        ratios: 0.8,0.1,0.1
        to: split
        input:
          - data/a
          - data/b
        movielens:
        """);

    PipelineCommand pipeline =
        parsePipeline("pipeline", "--config", config.toString(), "--to", "quality");

    assertThat(windowDays(pipeline)).isEqualTo(90);
    assertThat(pipeline.split.options().ratios()).containsExactly(0.8, 0.1, 0.1);
    assertThat(pipeline.etl.inputs).containsExactly("data/a", "data/b");
    assertThat(pipeline.movielens).isNull();
    assertThat(pipeline.to).isEqualTo("quality");
    assertThat(
            parsePipeline("pipeline", "--config", config.toString(), "--input", "data/c")
                .etl
                .inputs)
        .containsExactly("data/c");
  }

  @Test
  void unknownConfigKeyNamesTheKeyAndTheFileInBothFormats(@TempDir Path tmp) throws Exception {
    Path yaml = tmp.resolve("pipeline.yml");
    Files.writeString(yaml, "window-days: 90\nwindow-dayz: 30\n");
    assertThat(run("pipeline", "--config", yaml.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key 'window-dayz'", yaml.toString());

    err.getBuffer().setLength(0);
    Path properties = tmp.resolve("pipeline.properties");
    Files.writeString(properties, "sample_rows=1000\n");
    assertThat(run("pipeline", "--config", properties.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key 'sample_rows'", properties.toString());
  }

  @Test
  void yamlNestedDeeperThanAStageIsRejectedBecauseKeysAreOptionNames(@TempDir Path tmp)
      throws Exception {
    Path yaml = tmp.resolve("pipeline.yaml");
    Files.writeString(yaml, "split:\n  ratios:\n    train: 0.8\n");
    assertThat(run("pipeline", "--config", yaml.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("key 'split.ratios' holds a mapping", yaml.toString());
  }
}
