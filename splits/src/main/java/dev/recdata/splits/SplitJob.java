package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import dev.recdata.etl.EtlOutput;
import dev.recdata.etl.InMemoryEtl;
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

  private static final String STAGE = SplitOutput.STAGE;

  /**
   * Splits {@code interactions} into {@code out/{train,validation,test}} (or {@code
   * out/fold=i/...}) and writes {@code out/manifest.json} ({@link SplitOutput}); nothing appears at
   * {@code out} unless the whole run succeeds.
   *
   * @param upstream the etl output, named in our manifest for lineage; {@code null} when there is
   *     none
   * @param upstreamPath where the interactions came from, recorded in the manifest
   */
  public static SplitSummary run(
      SparkSession spark,
      Dataset<Row> interactions,
      EtlOutput upstream,
      String upstreamPath,
      SplitOptions options,
      String out) {
    return run(
        spark,
        new SplitInputReader.SplitInput(
            interactions, upstream, upstreamPath, SplitInputReader.InputOrder.UNKNOWN),
        options,
        out);
  }

  /**
   * As above for what {@link SplitInputReader#read} found; an input clustered by user (etl's
   * output) is split without a shuffle.
   */
  public static SplitSummary run(
      SparkSession spark, SplitInputReader.SplitInput in, SplitOptions options, String out) {
    EtlOutput upstream = in.upstream();
    String upstreamPath = in.path();
    String runId = RunIds.newRunId();
    Progress progress = new Progress(STAGE);
    AtomicOutput output =
        AtomicOutput.begin(
            spark.sparkContext().hadoopConfiguration(), out, runId, SplitOutput.OWNER);
    try {
      Dataset<Row> canonical = SplitInputReader.canonical(in.interactions(), upstreamPath);
      // Per-group strategies count their groups while cutting; only the global-time split has no
      // cutter.
      boolean perGroup = options.strategy() != Strategy.GLOBAL_TIME;
      GroupCutter.Counts groupCounts = perGroup ? GroupCutter.Counts.register(spark) : null;
      SparkSessions.describe(spark, STAGE, perGroup ? "count events" : "count events and groups");
      InputStats counted =
          perGroup ? InputStats.rows(canonical) : InputStats.of(canonical, options);
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
      ExecutionMode.apply(spark, STAGE, input);

      Dataset<Row> positives = Splitter.positives(canonical);
      SplitOptions resolved = options;
      if (options.strategy() == Strategy.GLOBAL_TIME && options.cutoffs().isEmpty()) {
        SparkSessions.describe(spark, STAGE, "find exact time cutoffs");
        resolved = options.withCutoffs(GlobalTimeCutoffs.fromRatios(positives, options.ratios()));
        progress.step("cutoffs", "time cutoffs %s", resolved.cutoffs());
      }

      SparkSessions.describe(
          spark, STAGE, "assign and write " + options.strategy().cliName() + " splits");
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
                  return new Written(
                      Map.of(), SplitWriter.writeFolds(tagged, output, options.folds()));
                }
                if (perGroup) {
                  // cut and written in the same tasks, one Parquet file per split and task
                  Splitter.PerGroupCut groups =
                      Splitter.perGroupCut(positives, cut, clustered, groupCounts);
                  return new Written(SplitFiles.write(groups, output), List.of());
                }
                Dataset<Row> tagged = Splitter.assign(positives, cut, clustered, groupCounts);
                return new Written(SplitWriter.writeSplits(tagged, output), List.of());
              });
      List<SplitSummary.FoldCount> folds = written.folds();
      boolean kfold = options.strategy() == Strategy.KFOLD;
      Long train = kfold ? null : written.rows().get(Splitter.TRAIN);
      Long validation = kfold ? null : written.rows().get(Splitter.VALIDATION);
      Long test = kfold ? null : written.rows().get(Splitter.TEST);

      InputStats stats =
          perGroup
              ? counted.withGroups(
                  groupCounts.groups().value(), groupCounts.groupsBelowMin().value())
              : counted;
      long users = stats.users(spark, positives, options);
      JsonNode inMemoryEtl =
          in.inMemoryEtl() == null ? null : writeRejects(in.inMemoryEtl(), output);
      SplitSummary summary =
          new SplitSummary(
              input,
              train,
              validation,
              test,
              options.groupBy(),
              stats.groups(),
              stats.groupsBelowMin(),
              impressions,
              users,
              folds,
              resolved.cutoffs(),
              runId,
              out);
      progress.step("write", "wrote %s to %s", summary.rowsLine(), out);
      if (options.sequences()) {
        SparkSessions.describe(spark, STAGE, "write sequence files");
        SplitWriter.writeSequences(spark, output);
        progress.step("sequences", "wrote sequence files");
      }
      SplitOutput.write(
          output.conf(),
          output.stagingDir(),
          summary,
          options,
          upstream,
          upstreamPath,
          inMemoryEtl,
          progress.secondsPerStep(),
          progress.totalSeconds());
      output.commit();
      progress.info("%s", summary.groupsLine(options.minInteractions()));
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
    var byReason = manifest.putObject(EtlOutput.REJECTED_BY_REASON);
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
