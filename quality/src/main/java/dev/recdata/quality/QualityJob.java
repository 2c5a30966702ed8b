package dev.recdata.quality;

import dev.recdata.common.AtomicOutput;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Progress;
import dev.recdata.common.RunContext;
import dev.recdata.common.RunIds;
import dev.recdata.common.SparkSessions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The quality stage: read a split (or etl) folder, evaluate the checks and metrics, write {@code
 * OUT/report.json} and {@code OUT/report.html} ({@link QualityOutput}), and optionally the
 * PostgreSQL tables (written before the reports are committed, so a failed write commits nothing).
 * It never exits: the command turns a gating check into exit code 3.
 */
public final class QualityJob {
  private QualityJob() {}

  public static final String STAGE = QualityOutput.STAGE;

  public static QualityReport run(
      SparkSession spark,
      String input,
      String out,
      QualityOptions o,
      JdbcTarget jdbc,
      String jdbcSchema) {
    return run(spark, input, out, o, jdbc, jdbcSchema, RunContext.STANDALONE);
  }

  /**
   * @param context the pipeline run this check belongs to and the dataset name to file it under;
   *     the only source of the pipeline run id that report.json, report.html and the tables carry
   */
  public static QualityReport run(
      SparkSession spark,
      String input,
      String out,
      QualityOptions o,
      JdbcTarget jdbc,
      String jdbcSchema,
      RunContext context) {
    Instant startedAt = Instant.now();
    Progress progress = new Progress(STAGE);
    // Before the input is read: a folder recdata may not replace stops the run here, not after the
    // work. The
    // staging folder gets an id of its own, since the quality run id is made from the input's.
    AtomicOutput output =
        AtomicOutput.begin(
            spark.sparkContext().hadoopConfiguration(),
            out,
            RunIds.newRunId(),
            QualityOutput.OWNER);
    try {
      SparkSessions.describe(spark, STAGE, "read " + input);
      QualityInput in = QualityInputReader.read(spark, input);
      ExecutionMode.applyForParquet(spark, STAGE, input);
      String runId = o.runId() != null ? o.runId() : qualityRunId(in.upstreamRunId());
      String dataset = context.datasetNameOr(in::datasetName);
      progress.step(
          "read",
          "read %s folder %s (%d group(s)), run %s",
          in.kind(),
          input,
          in.groups().size(),
          runId);
      QualityReport.CheckedInput checked = QualityReport.CheckedInput.of(input, in);
      return evaluateAndWrite(
          spark,
          out,
          o,
          jdbc,
          jdbcSchema,
          in,
          new Identity(runId, context.pipelineRunId(), dataset, checked),
          startedAt,
          progress,
          output);
    } catch (Throwable e) {
      output.abort();
      throw e;
    }
  }

  /** Which run a report is and what it checked, as the tables file it. */
  private record Identity(
      String runId, String pipelineRunId, String dataset, QualityReport.CheckedInput checked) {}

  private static QualityReport evaluateAndWrite(
      SparkSession spark,
      String out,
      QualityOptions o,
      JdbcTarget jdbc,
      String jdbcSchema,
      QualityInput in,
      Identity id,
      Instant startedAt,
      Progress progress,
      AtomicOutput output) {

    List<CheckResult> checks = new ArrayList<>();
    List<MetricValue> metrics = new ArrayList<>();
    List<QualityReport.FractionBin> bins = new ArrayList<>();
    List<QualityReport.ChartPoint> charts = new ArrayList<>();
    for (QualityInput.Group group : in.groups()) {
      // Not cached: each pass below reads only the Parquet columns it needs, and building Spark's
      // in-memory copy of the rows cost more than all of those reads (13.8 of the 35 CPU seconds of
      // quality on a 5M split).
      Dataset<Row> tagged = group.tagged();
      SparkSessions.describe(
          spark, STAGE, "per-user and per-item counts " + group.qualify(in.kind()));
      // The union of the parts is labelled with its fold too (fold=1/all): one "all" per fold
      // would be the same key several times in a k-fold run.
      String prefix = group.name().isEmpty() ? "" : group.name() + "/";
      try (GroupStats stats = GroupStats.of(tagged, group.parts())) {
        SparkSessions.describe(spark, STAGE, "checks " + group.qualify(in.kind()));
        checks.addAll(CheckSuite.evaluate(in, group, stats, o));
        SparkSessions.describe(spark, STAGE, "metrics " + group.qualify(in.kind()));
        MetricCollector.Summary summary =
            MetricCollector.summarise(tagged, stats, prefix, id.dataset());
        metrics.addAll(summary.metrics());
        charts.addAll(summary.charts());
        if (QualityInput.SPLIT.equals(in.kind())) {
          SparkSessions.describe(spark, STAGE, "temporal leakage " + group.qualify(in.kind()));
          metrics.addAll(MetricCollector.temporalLeakage(group, id.dataset()));
        }
        if (CheckSuite.whyNoRatioCheck(in, group, String.valueOf(in.strategy())) == null) {
          Dataset<Row> perUser = CheckSuite.userSplitCounts(in, stats, o);
          metrics.addAll(MetricCollector.collect(Metrics.userConformance(perUser, id.dataset())));
          bins.addAll(MetricCollector.fractionBins(perUser, group));
        } else if (QualityInput.SPLIT.equals(in.kind()) && group.parts().size() > 1) {
          // Any split's users have fractions to chart (global-time: how unevenly one cutoff cuts
          // users), even where no ratio says what the fractions should be.
          bins.addAll(
              MetricCollector.fractionBins(
                  Checks.userPartCounts(stats, in.minInteractions()), group));
        }
      }
    }
    metrics.addAll(Metrics.fromManifestCounts(id.dataset(), in.kind() + "_manifest", in.counts()));
    if (in.upstreamEtlCounts() != null) {
      metrics.addAll(
          Metrics.fromManifestCounts(id.dataset(), "etl_manifest", in.upstreamEtlCounts()));
    }
    charts.addAll(MetricCollector.fractionCharts(bins));
    progress.step("evaluate", "%d checks, %d metrics", checks.size(), metrics.size());
    for (CheckResult c : checks) {
      progress.info("  %-28s %-7s %-4s %s", c.check(), c.level(), c.status().label(), c.message());
    }

    QualityReport report =
        new QualityReport(
            id.runId(),
            id.pipelineRunId(),
            id.dataset(),
            id.checked(),
            QualityReport.statusOf(checks),
            o.failOn(),
            startedAt,
            Instant.now(),
            checks,
            metrics,
            bins,
            charts);
    QualityOutput.write(output.conf(), output.stagingDir(), report);
    // Tables before the commit: a failed write leaves the previous reports in place, not new
    // reports the
    // tables do not know.
    if (jdbc != null) {
      QualityTableWriter.write(jdbc, jdbcSchema, report);
      progress.step(
          "jdbc", "wrote run %s to %s schema %s", id.runId(), jdbc.redactedUrl(), jdbcSchema);
    }
    output.commit();
    progress.step(
        "write", "wrote %s/%s and %s", out, QualityOutput.REPORT_JSON, QualityOutput.REPORT_HTML);
    progress.info(
        "status %s (%s)", report.status(), report.gateFailed() ? "gate failed" : "gate passed");
    return report;
  }

  /**
   * The checked split's (or etl output's) run id: a quality run is identified by what it checked,
   * so checking a split again replaces its run in the tables instead of counting it twice. A folder
   * without a manifest has no such id and gets a new one.
   */
  static String qualityRunId(String upstreamRunId) {
    return upstreamRunId != null ? upstreamRunId : "q" + RunIds.newRunId();
  }
}
