package dev.recdata.splits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.Versions;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code manifest.json} of a split run, read by quality and the ALS baseline. Every key is
 * always present; options that do not apply to the strategy are {@code null}.
 */
final class SplitManifest {
  private SplitManifest() {}

  static ObjectNode of(
      SplitSummary summary,
      SplitOptions options,
      JsonNode upstream,
      String inputPath,
      JsonNode inMemoryEtl,
      Map<String, Double> secondsPerStep,
      double totalSeconds) {
    Strategy strategy = options.strategy();
    ObjectNode manifest = Json.object();
    manifest.put("stage", "split");
    manifest.put("run_id", summary.runId());
    manifest.put("created_at", Instant.now().toString());
    manifest.put("strategy", strategy.cliName());
    double[] ratios = options.ratios();
    if (ratios == null) {
      manifest.putNull("ratios");
    } else {
      ArrayNode array = manifest.putArray("ratios");
      for (double ratio : ratios) {
        array.add(ratio);
      }
    }
    putOrNull(manifest, "k", strategy == Strategy.LEAVE_LAST, options.k());
    putOrNull(manifest, "seed", strategy.isRandom(), options.seed());
    putOrNull(manifest, "folds", strategy == Strategy.KFOLD, options.folds());
    manifest.put("min_interactions", options.minInteractions());
    manifest.put("group_by", options.groupBy().cliName());
    if (strategy == Strategy.GLOBAL_TIME) {
      ArrayNode cutoffs = manifest.putArray("cutoffs");
      summary.cutoffs().forEach(cutoff -> cutoffs.add(cutoff.toString()));
    } else {
      manifest.putNull("cutoffs");
    }
    manifest.put("text_format", options.sequences() ? "sequences" : null);
    ObjectNode input = manifest.putObject("input");
    input.put("path", inputPath);
    input.put("upstream_run_id", upstream == null ? null : upstream.path("run_id").asText(null));
    input.put("upstream_stage", upstream == null ? null : upstream.path("stage").asText(null));
    // raw files: what etl run in memory read, rejected (in OUT/rejects/) and removed; else null
    manifest.set("in_memory_etl", inMemoryEtl);
    ObjectNode counts = manifest.putObject("counts");
    counts.put("input", summary.input());
    counts.put("impressions_excluded", summary.impressionsExcluded());
    counts.put("train", summary.train());
    counts.put("validation", summary.validation());
    counts.put("test", summary.test());
    counts.put("users", summary.users());
    counts.put("users_below_min_interactions", summary.usersBelowMin());
    ArrayNode folds = manifest.putArray("folds_counts");
    for (SplitSummary.FoldCount fold : summary.folds()) {
      ObjectNode node = folds.addObject();
      node.put("fold", fold.fold());
      node.put("train", fold.train());
      node.put("test", fold.test());
    }
    manifest.set("versions", Versions.asJson());
    ObjectNode seconds = manifest.putObject("seconds");
    secondsPerStep.forEach(seconds::put);
    seconds.put("total", totalSeconds);
    return manifest;
  }

  private static void putOrNull(ObjectNode node, String key, boolean applies, long value) {
    if (applies) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }
}
