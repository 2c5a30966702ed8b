package dev.recdata.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.DeterministicFiles;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.Progress;
import dev.recdata.common.RunIds;
import dev.recdata.common.SparkSessions;
import dev.recdata.export.ExportReader.ExportInputs;
import dev.recdata.export.serving.PublishGuard;
import dev.recdata.export.serving.RecommendationsPublisher;
import dev.recdata.export.serving.ServingExport;
import dev.recdata.export.serving.ServingSummary;
import dev.recdata.export.tensor.TensorSetWriter;
import dev.recdata.export.training.TrainingExport;
import java.time.Instant;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code export} stage: read etl, split and ALS outputs and write {@code OUT} ({@link
 * ExportOutput}) atomically: training tensors (triplets, candidate lists, sequences, features), the
 * serving side (factors, recommendations, similar items) and a manifest with lineage and a checksum
 * of every file. Layout: serving-export/LAYOUT.md.
 */
public final class ExportJob {
  private ExportJob() {}

  /**
   * An export output is recognised by its manifest: only such a folder (or an empty one) is ever
   * replaced.
   */
  public static final OutputOwner OWNER = ExportOutput.OWNER;

  public static ExportSummary run(
      SparkSession spark,
      ExportPaths paths,
      ExportOptions options,
      JdbcTarget jdbc,
      String jdbcSchema) {
    return run(spark, paths, options, jdbc, jdbcSchema, paths.exportDir());
  }

  /**
   * @param replacing the export whose recommendations are served now, which the publish guard
   *     compares with when no PostgreSQL table is published (no {@code jdbc}, or an empty table):
   *     the export in the output folder for {@code recdata export}, the last complete run's for the
   *     pipeline; null or a folder without an export: nothing to compare with
   */
  public static ExportSummary run(
      SparkSession spark,
      ExportPaths paths,
      ExportOptions options,
      JdbcTarget jdbc,
      String jdbcSchema,
      String replacing) {
    String runId = RunIds.newRunId();
    String started = Instant.now().toString();
    Progress progress = new Progress(ExportPaths.STAGE);
    // Before the inputs are read: an output folder recdata may not replace stops the run here.
    AtomicOutput output =
        AtomicOutput.begin(
            spark.sparkContext().hadoopConfiguration(), paths.exportDir(), runId, OWNER);
    try {
      SparkSessions.describe(
          spark, ExportPaths.STAGE, "read " + paths.etl() + " and " + paths.splits());
      ExportInputs inputs = ExportReader.read(spark, paths);
      ExecutionMode.applyForParquet(spark, ExportPaths.STAGE, paths.splits());
      ObjectNode counts = Json.object();
      TrainingExport.Summary training;
      ServingSummary serving = null;
      try (TensorSetWriter.Background tensorFiles = TensorSetWriter.background()) {
        training = TrainingExport.write(spark, inputs, options, output, progress, tensorFiles);
        counts.set(TrainingExport.FOLDER, training.counts());

        if (inputs.als() != null) {
          serving =
              ServingExport.write(
                  spark, inputs.etl().dir(), inputs.als().dir(), options.servingOptions(), output);
          ObjectNode servingCounts = counts.putObject(ServingExport.DIR);
          serving.counts().forEach(servingCounts::put);
          // the serving side timed and printed its own steps: the next step here starts now, or
          // the guard's line would carry the whole serving side's seconds (82 s of "guard" at 25M)
          progress.restartStep();
        } else {
          progress.info(
              paths.als() == null
                  ? "no ALS output: neither --als nor --input was given; wrote the training side"
                      + " only"
                  : "no ALS output: the run folder has no %s; wrote the training side only",
              paths.als());
        }
        // the training sets' tensor files were filled while the steps above ran
        tensorFiles.finish();
        progress.step("tensor_files", "training tensor files written");
      }

      if (serving != null && !options.forcePublish()) {
        // Before the commit: a refused model leaves the previous export and the published rows as
        // they were.
        SparkSessions.describe(spark, ExportPaths.STAGE, "publish guard");
        PublishGuard.Coverage candidate =
            PublishGuard.of(
                spark
                    .read()
                    .parquet(
                        output.path(
                            ServingExport.DIR + "/parquet/" + ServingExport.RECOMMENDATIONS)),
                serving.modelVersion());
        PublishGuard.Coverage published =
            jdbc == null ? null : PublishGuard.published(jdbc, jdbcSchema);
        String servedFrom = jdbcSchema + "." + RecommendationsPublisher.RECOMMENDATIONS;
        if (published == null && replacing != null) {
          // no table to compare with: the files `serve --run` reads now are the version replaced
          published = PublishGuard.exported(spark, replacing);
          servedFrom = replacing;
        }
        PublishGuard.check(candidate, published, options.minCoverageRatio(), servedFrom);
        progress.step(
            "guard",
            "publish guard passed: %,d users, %,d items (served now: %s)",
            candidate.users(),
            candidate.items(),
            published == null
                ? "none"
                : published.users() + " users, " + published.items() + " items in " + servedFrom);
      }

      SparkSessions.describe(spark, ExportPaths.STAGE, "checksums and manifest");
      // The files get their final names and footers before they are checksummed (commit would do it
      // after).
      DeterministicFiles.normalize(output.conf(), output.stagingDir());
      ObjectNode manifest =
          ExportOutput.write(
              output.conf(),
              output.stagingDir(),
              runId,
              started,
              paths,
              inputs,
              options,
              counts,
              training.evalBatches(),
              progress.secondsPerStep());
      output.commit();
      if (jdbc != null && serving != null) {
        // after the commit: the table never names a version whose files are not in place
        var published =
            RecommendationsPublisher.publishExport(
                spark,
                jdbc,
                jdbcSchema,
                new Path(paths.exportDir(), ServingExport.DIR).toString(),
                serving);
        progress.step(
            "publish",
            "published model %s to %s.%s (%,d rows) and %s (%,d items)",
            published.modelVersion(),
            jdbcSchema,
            RecommendationsPublisher.RECOMMENDATIONS,
            published.recommendations(),
            RecommendationsPublisher.ITEM_EMBEDDINGS,
            published.itemEmbeddings());
      }
      progress.info("wrote %s in %.1f s", paths.exportDir(), progress.totalSeconds());
      return new ExportSummary(runId, paths.exportDir(), counts, manifest);
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }
}
