package dev.recdata.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.Versions;
import dev.recdata.export.ExportReader.ExportInputs;
import dev.recdata.export.serving.ServingExport;
import dev.recdata.export.training.EvalBatchScore;
import dev.recdata.export.training.EvalBatchesSummary;
import dev.recdata.export.training.TrainingExport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The export output contract: {@code training/}, {@code serving/} (when there was an ALS output)
 * and {@code manifest.json} with lineage and a checksum of every file, directly in the export
 * folder (layout: serving-export/LAYOUT.md). Only this class knows the manifest's keys.
 *
 * @param dir the export folder
 * @param hasServing whether the serving side was written
 * @param alsRunId the run id of the ALS model the serving side was exported from (null without one)
 * @param counts the manifest's row counts ({@code training} and {@code serving} sets), as they are
 */
public record ExportOutput(
    String dir,
    int formatVersion,
    String runId,
    boolean hasServing,
    String alsRunId,
    JsonNode counts) {
  public static final String STAGE = ExportPaths.STAGE;
  public static final String MANIFEST = Layout.MANIFEST;

  /** 1: before the manifest carried a version; 2: with {@code format_version}, same layout. */
  public static final int FORMAT_VERSION = 2;

  /**
   * An export output is recognised by its manifest: only such a folder (or an empty one) is ever
   * replaced.
   */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, MANIFEST);

  private static final String RUN_ID = "run_id";
  private static final String EVAL_BATCHES = "eval_batches";

  /**
   * The version a serving layer names what it serves by: the ALS model's run, else this export's.
   */
  public String modelVersion() {
    return alsRunId != null ? alsRunId : runId;
  }

  public String serving() {
    return new Path(dir, ServingExport.DIR).toString();
  }

  public String training() {
    return new Path(dir, TrainingExport.FOLDER).toString();
  }

  /**
   * The export output at {@code path}, or in {@code path/export} (a pipeline run folder, or a
   * folder given to {@code export --out} before it wrote into --out itself); exit 2 saying what
   * {@code path} holds otherwise.
   */
  public static ExportOutput read(Configuration conf, String path, String option) {
    for (Path dir : List.of(new Path(path), new Path(path, STAGE))) {
      ExportOutput output = readIfPresent(conf, dir.toString());
      if (output != null) {
        return output;
      }
    }
    throw RecdataException.badInput(
        "%s %s holds no export output (expected %s written by export; it %s)",
        option, path, MANIFEST, ManifestFile.whatIsAt(conf, new Path(path)));
  }

  /**
   * The export output whose manifest is {@code dir/manifest.json}; null when there is none (no
   * export written there yet).
   */
  public static ExportOutput readIfPresent(Configuration conf, String dir) {
    Path path = new Path(dir);
    JsonNode manifest = ManifestFile.readIfStage(conf, path, MANIFEST, STAGE);
    if (manifest == null) {
      return null;
    }
    return new ExportOutput(
        path.toString(),
        ManifestFile.version(manifest, new Path(path, MANIFEST), STAGE, FORMAT_VERSION),
        manifest.path(RUN_ID).asText(null),
        manifest.path("counts").has(ServingExport.DIR),
        manifest.path("lineage").path("als").path(RUN_ID).asText(null),
        manifest.get("counts"));
  }

  /**
   * {@code eval_batches}: the protocol of the evaluation lists and, per set, who has a list, who
   * was left out, and the held-out ALS model's score on the lists (or why there is none), so a
   * ranker scored on the same tensors is compared with ALS on the same protocol.
   */
  static ObjectNode evalBatches(List<EvalBatchesSummary> sets, int negatives) {
    ObjectNode json = Json.object();
    json.put(
        "protocol",
        "sampled: positives + " + negatives + " negatives per user, seeded shuffled order");
    json.put("negatives", negatives);
    json.put(
        "negatives_from",
        "uniform over the items the user has no interaction with in any split, distinct");
    json.put("candidate_order", TrainingExport.CANDIDATE_ORDER);
    json.put("ties", TrainingExport.TIES);
    json.put(
        "users_left_out",
        "users whose every catalogue item is one of theirs: no negative to draw, and a list of"
            + " positives only is ranked perfectly by any model");
    for (EvalBatchesSummary set : sets) {
      ObjectNode entry = json.putObject(set.name());
      entry.put("split", set.split());
      entry.put("users", set.users());
      entry.put("candidates", set.candidates());
      entry.put("max_candidates", set.longest());
      entry.put("users_without_negatives", set.coverage().usersWithoutNegatives());
      entry.put("users_with_fewer_negatives", set.coverage().usersWithFewerNegatives());
      ObjectNode als = entry.putObject("als");
      EvalBatchScore.Score score = set.alsScore();
      if (score == null) {
        als.put("omitted", set.alsOmitted());
        continue;
      }
      als.put("model", set.alsModel());
      als.put("k", score.k());
      als.put("hit_rate@" + score.k(), score.hitRate());
      als.put("ndcg@" + score.k(), score.ndcg());
      als.put("users", score.users());
      als.put("users_without_factors", score.usersWithoutFactors());
      als.put("candidates_without_factors", score.candidatesWithoutFactors());
    }
    return json;
  }

  /**
   * Writes {@code dir/manifest.json}: lineage from the inputs' contracts, options, row counts, and
   * the size and SHA-256 of every file already in {@code dir} (read back through its file system,
   * so they describe the bytes that landed there).
   */
  static ObjectNode write(
      Configuration conf,
      String dir,
      String runId,
      String started,
      ExportPaths paths,
      ExportInputs inputs,
      ExportOptions o,
      ObjectNode counts,
      List<EvalBatchesSummary> evalBatches,
      Map<String, Double> secondsPerStep) {
    ObjectNode manifest = ManifestFile.start(STAGE, FORMAT_VERSION);
    manifest.put(RUN_ID, runId);
    manifest.put("started_at", started);
    ObjectNode lineage = manifest.putObject("lineage");
    ObjectNode etl = lineage.putObject("etl");
    etl.put("path", paths.etl());
    etl.put(RUN_ID, inputs.etl().runId());
    etl.put("id_map_version", inputs.idMapVersion());
    if (inputs.etl().inputs() != null) {
      etl.set("inputs", inputs.etl().inputs());
    }
    ObjectNode split = lineage.putObject("split");
    split.put("path", paths.splits());
    split.put(RUN_ID, inputs.split().runId());
    split.put("strategy", inputs.split().strategy());
    split.put("upstream_run_id", inputs.split().upstreamRunId());
    ObjectNode als = lineage.putObject("als");
    als.put("path", paths.als());
    als.put(RUN_ID, inputs.als() == null ? null : inputs.als().runId());
    if (inputs.als() != null) {
      als.set("model_params", inputs.als().modelParams());
      // the factors, top-K and similar items come from this model; metrics came from a held-out one
      als.put("model_trained_on", inputs.als().modelTrainedOn());
      als.put("recommendations_from", inputs.als().recommendationsFrom());
    }
    ObjectNode options = Json.MAPPER.valueToTree(o);
    options.set(
        "formats",
        Json.MAPPER.valueToTree(o.formats().stream().map(f -> f.cliName()).sorted().toList()));
    options.put("sampler", o.sampler().cliName());
    manifest.set("options", options);
    manifest.set("versions", Versions.asJson());
    manifest.set("counts", counts);
    manifest.set(EVAL_BATCHES, evalBatches(evalBatches, o.evalNegatives()));
    ObjectNode files = manifest.putObject("files");
    String root = new Path(dir).toUri().getPath();
    for (JsonNode file : Fingerprints.ofTree(conf, dir)) {
      String relative =
          new Path(file.path("path").asText()).toUri().getPath().substring(root.length() + 1);
      files
          .putObject(relative)
          .put("bytes", file.path("bytes").asLong())
          .put("sha256", file.path("sha256").asText());
    }
    manifest.put("finished_at", Instant.now().toString());
    manifest.set("seconds", Json.MAPPER.valueToTree(secondsPerStep));
    Json.write(conf, new Path(dir, MANIFEST).toString(), manifest);
    return manifest;
  }
}
