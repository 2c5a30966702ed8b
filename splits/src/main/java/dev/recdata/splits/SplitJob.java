package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.InMemoryEtl;
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

  /** A split output is recognised by its manifest: only such a folder (or an empty one) is ever replaced. */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, Schema.Layout.MANIFEST);

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
    return run(
        spark,
        new SplitInputReader.SplitInput(
            interactions, upstreamManifest, upstreamPath, SplitInputReader.InputOrder.UNKNOWN),
        options,
        out);
  }

  /**
   * As above for what {@link SplitInputReader#read} found; an input clustered by user (etl's
   * output) is split without a shuffle.
   */
  public static SplitSummary run(
      SparkSession spark, SplitInputReader.SplitInput in, SplitOptions options, String out) {
    JsonNode upstreamManifest = in.upstreamManifest();
    String upstreamPath = in.path();
    String runId = RunIds.newRunId();
    Progress progress = new Progress(STAGE);
    AtomicOutput output =
        AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, runId, OWNER);
    try {
      Dataset<Row> canonical = SplitInputReader.canonical(in.interactions(), upstreamPath);
      // Per-group strategies count their groups while cutting; only the global-time split has no cutter.
      boolean perGroup = options.strategy() != Strategy.GLOBAL_TIME;
      GroupCutter.Counts groupCounts = perGroup ? GroupCutter.Counts.register(spark) : null;
      SparkSessions.describe(spark, STAGE, perGroup ? "count events" : "count events and groups");
      InputStats counted = perGroup ? InputStats.rows(canonical) : InputStats.of(canonical, options);
      long input = counted.events();
      long impressions = counted.impressions();
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
      long positiveRows = input - impressions;
      SplitOptions cut = resolved;
      ClusteredScan scan = ClusteredScan.of(spark, in);
      Written written =
          scan.run(
              () -> {
                boolean clustered = scan.holds(positives, options);
                if (cut.strategy() != Strategy.GLOBAL_TIME) {
                  progress.info(
                      clustered
                          ? "input is clustered by user (etl's layout): no shuffle"
                          : "shuffling the input by %s",
                      options.groupBy().column());
                }
                if (cut.strategy() == Strategy.KFOLD) {
                  Dataset<Row> tagged = Splitter.assign(positives, cut, clustered, groupCounts);
                  return new Written(Map.of(), SplitWriter.writeFolds(tagged, output, options.folds()));
                }
                if (perGroup) {
                  // cut and written in the same tasks, one Parquet file per split and task
                  Splitter.PerGroupCut groups = Splitter.perGroupCut(positives, cut, clustered, groupCounts);
                  return new Written(SplitFiles.write(groups, output), List.of());
                }
                Dataset<Row> tagged = Splitter.assign(positives, cut, clustered, groupCounts);
                return new Written(SplitWriter.writeSplits(tagged, output), List.of());
              });
      List<SplitSummary.FoldCount> folds = written.folds();
      long train;
      long validation;
      long test;
      if (options.strategy() == Strategy.KFOLD) {
        test = folds.stream().mapToLong(SplitSummary.FoldCount::test).sum();
        train = positiveRows - test;
        validation = 0;
      } else {
        train = written.rows().get(Splitter.TRAIN);
        validation = written.rows().get(Splitter.VALIDATION);
        test = written.rows().get(Splitter.TEST);
      }
      progress.step(
          "write",
          "wrote train %,d, validation %,d, test %,d rows to %s",
          train,
          validation,
          test,
          out);

      InputStats stats =
          perGroup
              ? counted.withGroups(groupCounts.groups().value(), groupCounts.groupsBelowMin().value())
              : counted;
      long[] groups = {stats.users(spark, positives, options), stats.groupsBelowMin()};
      if (options.sequences()) {
        SparkSessions.describe(spark, STAGE, "write sequence files");
        SplitWriter.writeSequences(spark, output);
        progress.step("sequences", "wrote sequence files");
      }
      JsonNode inMemoryEtl = in.inMemoryEtl() == null ? null : writeRejects(in.inMemoryEtl(), output);
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
              inMemoryEtl,
              progress.secondsPerStep(),
              progress.totalSeconds()));
      output.commit();
      progress.info(
          "%,d users (%,d below --min-interactions %d, all in train)",
          groups[0], groups[1], options.minInteractions());
      return summary;
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }

  /**
   * A one-off split of raw files keeps what its in-memory etl rejected, as etl would: in {@code
   * OUT/rejects/} (etl's reject columns), counted in the manifest with the rows etl removed, so
   * {@code input = output + rejected + deduplicated + filtered} holds here too.
   */
  private static JsonNode writeRejects(InMemoryEtl etl, AtomicOutput output) {
    etl.rejects().write().parquet(output.path(Schema.Layout.REJECTS));
    var manifest = Json.object();
    manifest.put("input", etl.input());
    manifest.put("output", etl.output());
    manifest.put("rejected", etl.rejected());
    manifest.put("deduplicated_total", etl.deduplicated());
    manifest.put("filtered_total", etl.filtered());
    var byReason = manifest.putObject(EtlJob.REJECTED_BY_REASON);
    for (Row row :
        etl.rejects()
            .groupBy(col(Schema.REJECT_REASON_CODE))
            .count()
            .orderBy(desc("count"), col(Schema.REJECT_REASON_CODE))
            .collectAsList()) {
      byReason.put(row.getString(0), row.getLong(1));
    }
    etl.rejects().unpersist();
    return manifest;
  }

  /** Rows per split name (train, validation, test), or per fold for kfold. */
  private record Written(Map<String, Long> rows, List<SplitSummary.FoldCount> folds) {}
}
