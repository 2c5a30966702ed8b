package dev.recdata.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsJob;
import dev.recdata.als.AlsOptions;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.Versions;
import dev.recdata.common.cli.CliValues;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.EtlOptions;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.etl.generate.GenerateOptions;
import dev.recdata.etl.generate.GeneratedSample;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.InputFormat;
import dev.recdata.quality.FailOn;
import dev.recdata.quality.QualityJob;
import dev.recdata.quality.QualityOptions;
import dev.recdata.quality.QualityReport;
import dev.recdata.splits.SplitInputReader;
import dev.recdata.splits.SplitJob;
import dev.recdata.splits.SplitOptions;
import dev.recdata.splits.Strategy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recdata pipeline}: etl -> split -> quality (gate) -> als in one Spark session, each run in its own folder
 * {@code OUT/runs/RUN_ID/{etl,splits,quality,als}}. {@code OUT/latest} names the newest complete run and moves
 * only when every stage succeeded, so readers never see a half-made version and older runs stay for rollback.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run etl -> split -> quality (gate) -> als end to end into OUT/runs/<run_id>/ and point OUT/latest at it.",
      "With no --input it first generates a small MovieLens-shaped sample (offline, seconds)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:bad input or options",
      "3:quality gate failed (training did not start; OUT/latest unchanged)"
    })
public final class PipelineCommand implements Callable<Integer> {
  static final List<String> STAGES = List.of("etl", "split", "quality", "als");

  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;

  @Option(
      names = "--config",
      description = "Properties file of defaults, one key per option without the dashes (window-days=90, jdbc-url=...); flags win.")
  java.io.File config;

  @Option(names = "--out", defaultValue = "recdata-out", description = "Root folder of the runs (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--input", description = "Input for etl (repeatable); none: a generated sample.")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--feedback-table",
      description = "PostgreSQL feedback table (needs --jdbc-url): each run reads only rows newer than the last complete run's watermark and appends them to its history.")
  String feedbackTable;

  @Option(names = "--feedback-lag", defaultValue = "0", description = "Seconds of feedback left for the next run (default: ${DEFAULT-VALUE}).")
  long feedbackLagSeconds;

  @Option(names = "--sample-rows", defaultValue = "100000", description = "Rows of the generated sample (default: ${DEFAULT-VALUE}).")
  long sampleRows;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample, random splits and ALS (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--strategy", defaultValue = "user-ratio", description = "Split strategy (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--ratios", defaultValue = "0.7,0.2,0.1", description = "Split ratios (default: ${DEFAULT-VALUE}).")
  String ratios;

  @Option(names = "--window-days", description = "etl: keep only the last N days of events.")
  Integer windowDays;

  @Option(names = "--min-user-interactions", defaultValue = "0", description = "etl k-core minimum per user (default: ${DEFAULT-VALUE}).")
  int minUserInteractions;

  @Option(names = "--fail-on", defaultValue = "fail", description = "Quality gate: fail or warn (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--als-mode", defaultValue = "explicit", description = "ALS mode: explicit or implicit (default: ${DEFAULT-VALUE}).")
  String alsMode;

  @Option(names = "--to", defaultValue = "als", description = "Last stage to run: etl, split, quality or als (default: ${DEFAULT-VALUE}).")
  String to;

  @Override
  public Integer call() {
    RecdataException.checkInput(STAGES.contains(to), "--to %s is not a stage; expected one of %s", to, STAGES);
    SplitOptions splitOptions = splitOptions();
    Progress progress = new Progress("pipeline");
    String runId = RunIds.newRunId();
    String runDir = out + "/runs/" + runId;
    SparkSession session = SparkSessions.getOrCreate("recdata pipeline", spark.master);
    Configuration conf = session.sparkContext().hadoopConfiguration();
    ObjectNode manifest = Json.object();
    manifest.put("run_id", runId);
    manifest.put("started_at", Instant.now().toString());

    FeedbackOptions feedback = null;
    if (feedbackTable != null) {
      RecdataException.checkInput(jdbc.url != null, "--feedback-table %s needs --jdbc-url", feedbackTable);
      feedback = FeedbackOptions.defaults(jdbc.target(), feedbackTable).withLagSeconds(feedbackLagSeconds);
    }
    // The last complete run's etl output carries the feedback watermark and history this run continues from.
    String previousRun = latestRunId(conf, out);
    String previousEtl = previousRun == null ? null : out + "/runs/" + previousRun + "/etl";
    manifest.put("previous_run_id", previousRun);

    List<String> etlInputs = inputs;
    if (etlInputs.isEmpty() && feedback == null) {
      String sample = runDir + "/input";
      var summary = GeneratedSample.generate(conf, GenerateOptions.forRows(sample, sampleRows, seed));
      progress.step("generate", "generated a %,d-row sample in %s", summary.rows(), sample);
      etlInputs = List.of(sample);
    }
    manifest.putPOJO("inputs", etlInputs);

    CleaningOptions cleaning =
        CleaningOptions.defaults(Instant.now())
            .withKCore(minUserInteractions, 0)
            .withWindow(null, windowDays);
    EtlJob.run(
        session,
        new EtlOptions(
            etlInputs,
            InputFormat.AUTO,
            ColumnMapping.defaults(),
            feedback,
            cleaning,
            EtlJob.DEFAULT_MAX_REJECT_RATIO,
            true,
            runDir + "/etl",
            previousEtl));
    progress.step("etl", "etl done");

    if (STAGES.indexOf(to) >= 1) {
      var splitInput = SplitInputReader.read(session, runDir + "/etl");
      SplitJob.run(session, splitInput.interactions(), splitInput.upstreamManifest(), splitInput.path(), splitOptions, runDir + "/splits");
      progress.step("split", "split done");
    }
    if (STAGES.indexOf(to) >= 2) {
      QualityOptions quality = QualityOptions.defaults().withFailOn(FailOn.parse(failOn));
      QualityReport report = QualityJob.run(session, runDir + "/splits", runDir, quality, jdbc.target(), "recdata");
      progress.step("quality", "quality %s", report.status());
      if (report.gateFailed()) {
        throw new RecdataException(
            RecdataException.EXIT_GATE_FAILED,
            "quality gate failed before training ("
                + report.gatingChecks().stream().map(c -> c.check() + ": " + c.message()).collect(Collectors.joining("; "))
                + "); see "
                + runDir
                + "/quality/report.html; "
                + out
                + "/latest is unchanged");
      }
    }
    if (STAGES.indexOf(to) >= 3) {
      AlsOptions als = AlsOptions.defaults(CliValues.enumValue("--als-mode", alsMode, AlsOptions.Mode.class));
      AlsJob.run(session, runDir + "/splits", runDir, als, jdbc.target(), "recdata");
      progress.step("als", "als done");
    }

    manifest.put("to", to);
    manifest.put("finished_at", Instant.now().toString());
    manifest.set("versions", Versions.asJson());
    ObjectNode seconds = manifest.putObject("seconds");
    progress.secondsPerStep().forEach(seconds::put);
    seconds.put("total", progress.totalSeconds());
    Json.write(conf, runDir + "/pipeline.json", manifest);
    publishLatest(conf, out, runId);
    progress.info("run %s complete in %.1f s; %s/latest -> runs/%s", runId, progress.totalSeconds(), out, runId);
    return 0;
  }

  private SplitOptions splitOptions() {
    Strategy chosen = Strategy.fromCli(strategy);
    SplitOptions options = SplitOptions.of(chosen).withSeed(seed);
    if (chosen == Strategy.USER_RATIO || chosen == Strategy.USER_RANDOM || chosen == Strategy.GLOBAL_TIME) {
      double[] parsed;
      try {
        parsed = Arrays.stream(ratios.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
      } catch (NumberFormatException e) {
        throw RecdataException.badInput("--ratios %s: expected numbers such as 0.7,0.2,0.1", ratios);
      }
      options = options.withRatios(parsed);
    }
    return options;
  }

  /** The run id OUT/latest names, or null before the first complete run. */
  static String latestRunId(Configuration conf, String out) {
    Path latest = new Path(out, "latest");
    try {
      FileSystem fs = latest.getFileSystem(conf);
      if (!fs.exists(latest)) {
        return null;
      }
      try (var in = fs.open(latest)) {
        String runId = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        return runId.isEmpty() ? null : runId;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + latest, e);
    }
  }

  /** Writes the run id to OUT/latest through a temporary file and a rename, so a reader sees old or new. */
  static void publishLatest(Configuration conf, String out, String runId) {
    Path latest = new Path(out, "latest");
    Path tmp = new Path(out, ".latest." + runId);
    try {
      FileSystem fs = latest.getFileSystem(conf);
      try (OutputStream stream = fs.create(tmp, true)) {
        stream.write((runId + "\n").getBytes(StandardCharsets.UTF_8));
      }
      // Hadoop's rename does not replace; delete-then-rename leaves a moment with no pointer, never a wrong one.
      if (fs.exists(latest)) {
        fs.delete(latest, false);
      }
      if (!fs.rename(tmp, latest)) {
        throw new IOException("rename " + tmp + " -> " + latest + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + latest, e);
    }
  }
}
