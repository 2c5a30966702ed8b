package dev.recdata.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.DeterministicFiles;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.Versions;
import dev.recdata.export.ExportReader.ExportInputs;
import dev.recdata.export.serving.PublishGuard;
import dev.recdata.export.serving.RecommendationsPublisher;
import dev.recdata.export.serving.ServingExport;
import dev.recdata.export.serving.ServingSummary;
import dev.recdata.export.training.TrainingExport;
import java.time.Instant;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code export} stage: read etl, split and ALS outputs and write {@code OUT/export/} atomically: training
 * tensors (triplets, candidate lists, sequences, features), the serving side (factors, recommendations,
 * similar items) and a manifest with lineage and a checksum of every file. Layout: serving-export/LAYOUT.md.
 */
public final class ExportJob {
  private ExportJob() {}

  /** An export output is recognised by its manifest: only such a folder (or an empty one) is ever replaced. */
  public static final OutputOwner OWNER = OutputOwner.of(ExportPaths.STAGE, Layout.MANIFEST);

  public static ExportSummary run(
      SparkSession spark, ExportPaths paths, ExportOptions options, JdbcTarget jdbc, String jdbcSchema) {
    String runId = RunIds.newRunId();
    String started = Instant.now().toString();
    Progress progress = new Progress(ExportPaths.STAGE);
    // Before the inputs are read: an output folder recdata may not replace stops the run here.
    AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), paths.exportDir(), runId, OWNER);
    try {
      SparkSessions.describe(spark, ExportPaths.STAGE, "read " + paths.etl() + " and " + paths.splits());
      ExportInputs inputs = ExportReader.read(spark, paths);
      ObjectNode counts = Json.object();
      counts.set(TrainingExport.FOLDER, TrainingExport.write(spark, inputs, options, output, progress));

      ServingSummary serving = null;
      if (paths.als() != null && inputs.alsParams() != null) {
        serving = ServingExport.write(spark, paths.etl(), paths.als(), options.servingOptions(), output);
        ObjectNode servingCounts = counts.putObject(ServingExport.DIR);
        serving.counts().forEach(servingCounts::put);
      } else {
        progress.info("no ALS output at %s: wrote the training side only", paths.als());
      }

      if (serving != null && !options.forcePublish()) {
        // Before the commit: a refused model leaves the previous export and the published rows as they were.
        SparkSessions.describe(spark, ExportPaths.STAGE, "publish guard");
        PublishGuard.Coverage candidate = PublishGuard.of(
            spark.read().parquet(output.path(ServingExport.DIR + "/parquet/" + ServingExport.RECOMMENDATIONS)),
            serving.modelVersion());
        PublishGuard.Coverage published = jdbc == null ? null : PublishGuard.published(jdbc, jdbcSchema);
        PublishGuard.check(candidate, published, options.minCoverageRatio(),
            jdbcSchema + "." + RecommendationsPublisher.RECOMMENDATIONS);
        progress.step("guard", "publish guard passed: %,d users, %,d items (published now: %s)", candidate.users(),
            candidate.items(), published == null ? "none" : published.users() + " users, " + published.items() + " items");
      }

      SparkSessions.describe(spark, ExportPaths.STAGE, "checksums and manifest");
      // The files get their final names and footers before they are checksummed (commit would do it after).
      DeterministicFiles.normalize(output.conf(), output.stagingDir());
      ObjectNode manifest = manifest(runId, started, paths, inputs, options, counts, output, progress);
      Json.write(output.conf(), output.path(Layout.MANIFEST), manifest);
      output.commit();
      if (jdbc != null && serving != null) {
        // after the commit: the table never names a version whose files are not in place
        var published =
            RecommendationsPublisher.publishExport(
                spark, jdbc, jdbcSchema, new Path(paths.exportDir(), ServingExport.DIR).toString(), serving);
        progress.step("publish", "published model %s to %s.%s (%,d rows) and %s (%,d items)", published.modelVersion(),
            jdbcSchema, RecommendationsPublisher.RECOMMENDATIONS, published.recommendations(),
            RecommendationsPublisher.ITEM_EMBEDDINGS, published.itemEmbeddings());
      }
      progress.info("wrote %s in %.1f s", paths.exportDir(), progress.totalSeconds());
      return new ExportSummary(runId, paths.exportDir(), counts, manifest);
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }

  private static ObjectNode manifest(
      String runId, String started, ExportPaths paths, ExportInputs inputs, ExportOptions o, ObjectNode counts,
      AtomicOutput output, Progress progress) {
    ObjectNode manifest = Json.object();
    manifest.put("stage", ExportPaths.STAGE);
    manifest.put("run_id", runId);
    manifest.put("started_at", started);
    ObjectNode lineage = manifest.putObject("lineage");
    ObjectNode etl = lineage.putObject("etl");
    etl.put("path", paths.etl());
    etl.put("run_id", runIdOf(inputs.etlManifest()));
    etl.put("id_map_version", inputs.idMapVersion());
    if (inputs.etlManifest() != null) {
      etl.set("inputs", inputs.etlManifest().path("inputs"));
    }
    ObjectNode split = lineage.putObject("split");
    split.put("path", paths.splits());
    split.put("run_id", runIdOf(inputs.splitManifest()));
    split.put("strategy", inputs.splitManifest() == null ? null : inputs.splitManifest().path("strategy").asText(null));
    split.put("upstream_run_id", inputs.splitManifest() == null ? null : inputs.splitManifest().path("input").path("upstream_run_id").asText(null));
    ObjectNode als = lineage.putObject("als");
    als.put("path", paths.als());
    als.put("run_id", runIdOf(inputs.alsParams()));
    if (inputs.alsParams() != null) {
      als.set("model_params", inputs.alsParams().path("model_params"));
    }
    ObjectNode options = Json.MAPPER.valueToTree(o);
    options.set("formats", Json.MAPPER.valueToTree(o.formats().stream().map(f -> f.cliName()).sorted().toList()));
    options.put("sampler", o.sampler().cliName());
    manifest.set("options", options);
    manifest.set("versions", Versions.asJson());
    manifest.set("counts", counts);
    // Checksums are read back through the output file system, so they describe the bytes that landed there.
    ObjectNode files = manifest.putObject("files");
    String root = new Path(output.stagingDir()).toUri().getPath();
    for (JsonNode file : Fingerprints.ofTree(output.conf(), output.stagingDir())) {
      String relative = new Path(file.path("path").asText()).toUri().getPath().substring(root.length() + 1);
      files.putObject(relative).put("bytes", file.path("bytes").asLong()).put("sha256", file.path("sha256").asText());
    }
    manifest.put("finished_at", Instant.now().toString());
    manifest.set("seconds", Json.MAPPER.valueToTree(progress.secondsPerStep()));
    return manifest;
  }

  private static String runIdOf(JsonNode manifest) {
    return manifest == null ? null : manifest.path("run_id").asText(null);
  }
}
