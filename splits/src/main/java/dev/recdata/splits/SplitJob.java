package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code recdata split}: canonical interactions in, train/validation/test (or k folds) and a
 * manifest out.
 */
public final class SplitJob {
  private SplitJob() {}

  private static final String STAGE = "split";

  /**
   * Splits {@code interactions} into {@code out/splits/...} and writes {@code out/manifest.json};
   * nothing appears at {@code out} unless the whole run succeeds.
   *
   * @param upstreamManifest etl's manifest, copied into ours for lineage; {@code null} when there
   *     is none
   * @param upstreamPath where the interactions came from, recorded in the manifest
   */
  public static SplitSummary run(
      SparkSession spark,
      Dataset<Row> interactions,
      JsonNode upstreamManifest,
      String upstreamPath,
      SplitOptions options,
      String out) {
    String runId = RunIds.newRunId();
    Progress progress = new Progress(STAGE);
    AtomicOutput output =
        AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, runId);
    try {
      Dataset<Row> canonical = SplitInputReader.canonical(interactions, upstreamPath);
      SparkSessions.describe(spark, STAGE, "count events");
      Row events =
          canonical
              .agg(
                  count(lit(1)),
                  sum(when(col(Schema.EVENT).equalTo(Schema.EVENT_IMPRESSION), 1).otherwise(0)))
              .first();
      long input = events.getLong(0);
      long impressions = events.isNullAt(1) ? 0 : events.getLong(1);
      RecdataException.checkInput(
          input > impressions,
          "no interactions to split in %s: %,d rows, %,d of them impressions",
          upstreamPath,
          input,
          impressions);
      progress.step(
          "count",
          "read %,d rows from %s; %,d impressions left out",
          input,
          upstreamPath,
          impressions);

      Dataset<Row> positives = Splitter.positives(canonical);
      SplitOptions resolved = options;
      if (options.strategy() == Strategy.GLOBAL_TIME && options.cutoffs().isEmpty()) {
        SparkSessions.describe(spark, STAGE, "find exact time cutoffs");
        resolved = options.withCutoffs(GlobalTimeCutoffs.fromRatios(positives, options.ratios()));
        progress.step("cutoffs", "time cutoffs %s", resolved.cutoffs());
      }

      SparkSessions.describe(
          spark, STAGE, "assign and write " + options.strategy().cliName() + " splits");
      Dataset<Row> tagged = Splitter.assign(positives, resolved);
      long positiveRows = input - impressions;
      long train;
      long validation;
      long test;
      List<SplitSummary.FoldCount> folds = List.of();
      if (options.strategy() == Strategy.KFOLD) {
        folds = SplitWriter.writeFolds(tagged, output, options.folds());
        test = folds.stream().mapToLong(SplitSummary.FoldCount::test).sum();
        train = positiveRows - test;
        validation = 0;
      } else {
        Map<String, Long> counts = SplitWriter.writeSplits(tagged, output);
        train = counts.get(Splitter.TRAIN);
        validation = counts.get(Splitter.VALIDATION);
        test = counts.get(Splitter.TEST);
      }
      progress.step(
          "write",
          "wrote train %,d, validation %,d, test %,d rows to %s",
          train,
          validation,
          test,
          out);

      SparkSessions.describe(spark, STAGE, "count users");
      long[] groups = groupStats(positives, options);
      if (options.sequences()) {
        SparkSessions.describe(spark, STAGE, "write sequence files");
        SplitWriter.writeSequences(spark, output);
        progress.step("sequences", "wrote sequence files");
      }
      List<Instant> cutoffs = resolved.cutoffs();
      SplitSummary summary =
          new SplitSummary(
              input,
              train,
              validation,
              test,
              groups[1],
              impressions,
              groups[0],
              folds,
              cutoffs,
              runId,
              out);
      Json.write(
          output.conf(),
          output.path(Schema.Layout.MANIFEST),
          SplitManifest.of(
              summary,
              options,
              upstreamManifest,
              upstreamPath,
              progress.secondsPerStep(),
              progress.totalSeconds()));
      output.commit();
      progress.info(
          "%,d users (%,d below --min-interactions %d, all in train)",
          groups[0], groups[1], options.minInteractions());
      return summary;
    } catch (RuntimeException e) {
      output.abort();
      throw e;
    }
  }

  /**
   * Distinct users, and groups (users, or items with --group-by item) with fewer events than
   * --min-interactions. One aggregation when grouping by user.
   */
  static long[] groupStats(Dataset<Row> positives, SplitOptions options) {
    String group = options.groupBy().column();
    Row stats =
        positives
            .groupBy(group)
            .agg(count(lit(1)).as("n"))
            .agg(count(lit(1)), sum(when(col("n").lt(options.minInteractions()), 1).otherwise(0)))
            .first();
    long groups = stats.getLong(0);
    long belowMin = stats.isNullAt(1) ? 0 : stats.getLong(1);
    long users =
        options.groupBy() == GroupBy.USER
            ? groups
            : positives.select(Schema.USER_ID).distinct().count();
    return new long[] {users, belowMin};
  }
}
