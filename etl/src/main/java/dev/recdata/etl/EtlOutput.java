package dev.recdata.etl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.DatasetNames;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.Versions;
import dev.recdata.etl.feedback.FeedbackHistory;
import dev.recdata.etl.feedback.Watermark;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The etl output contract: the folder layout ({@code interactions/}, {@code items/}, {@code
 * users/}, {@code id_maps/}, {@code rejects/}, {@code feedback_history/}) and {@code
 * manifest.json}. Only this class knows the manifest's keys; split, quality, export and the
 * pipeline read an etl output through {@link #read}.
 *
 * @param dir the etl output folder
 * @param runId the etl run id
 * @param clusteredBy the column the interactions files are clustered by ({@code user_id}), or null
 * @param feedbackSource the feedback table the history came from ({@code URL#table}), or null
 * @param feedbackWatermark where the next extract from {@code feedbackSource} continues, or null
 * @param inputs the manifest's record of the input files, carried into export's lineage as it is
 * @param counts the manifest's row counts, which quality stores as metrics as they are
 */
public record EtlOutput(
    String dir,
    int formatVersion,
    String runId,
    String clusteredBy,
    String feedbackSource,
    Watermark feedbackWatermark,
    JsonNode inputs,
    JsonNode counts) {

  public static final String STAGE = "etl";
  public static final String MANIFEST = Layout.MANIFEST;

  /** 1: before manifests carried a version; 2: with {@code format_version}, same layout. */
  public static final int FORMAT_VERSION = 2;

  /**
   * Folder of every feedback event ever extracted, carried from run to run so extraction can be
   * incremental.
   */
  public static final String FEEDBACK_HISTORY = "feedback_history";

  /** Manifest key under {@code counts}: rejected rows per {@link RejectReason} code. */
  public static final String REJECTED_BY_REASON = "rejected_by_reason";

  /**
   * An etl output is recognised by its manifest: only such a folder (or an empty one) is ever
   * replaced.
   */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, MANIFEST);

  private static final String RUN_ID = "run_id";

  public String interactions() {
    return child(Layout.INTERACTIONS);
  }

  /**
   * The input files and folders the run read, as they were given (the feedback table is not one of
   * them: its events are in {@link #feedbackHistory}).
   */
  public java.util.List<String> inputPaths() {
    java.util.List<String> paths = new java.util.ArrayList<>();
    if (inputs != null) {
      inputs.forEach(input -> paths.add(input.path("path").asText()));
    }
    return paths;
  }

  /**
   * The dataset this output holds, for the tables dashboards group runs by: named after the first
   * input folder ({@code ml-100k}), else the feedback table, else this folder (see {@link
   * DatasetNames}).
   */
  public String datasetName() {
    java.util.List<String> paths = inputPaths();
    if (!paths.isEmpty()) {
      return DatasetNames.fromPath(paths.get(0));
    }
    if (feedbackSource != null) {
      return DatasetNames.fromFeedbackSource(feedbackSource);
    }
    return DatasetNames.fromPath(dir);
  }

  public String items() {
    return child(Layout.ITEMS);
  }

  public String users() {
    return child(Layout.USERS);
  }

  public String idMaps() {
    return child(Layout.ID_MAPS);
  }

  public String userMap() {
    return child(Layout.USER_MAP);
  }

  public String itemMap() {
    return child(Layout.ITEM_MAP);
  }

  /**
   * The id-map version: {@code sha256:} and 16 hex digits of a SHA-256 over the sorted SHA-256s of
   * the files under {@code id_maps/}. It is this one value wherever recdata writes {@code
   * id_map_version} (export's lineage, every tensor set's metadata, pipeline.json), so a consumer
   * can tell whether two outputs index users and items the same way: two etl runs that assign the
   * same indexes share it, whatever their run ids.
   */
  public String idMapVersion(Configuration conf) {
    List<String> hashes = new ArrayList<>();
    for (JsonNode file : Fingerprints.ofTree(conf, idMaps())) {
      hashes.add(file.path("sha256").asText());
    }
    hashes.sort(null);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(String.join("\n", hashes).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String rejects() {
    return child(Layout.REJECTS);
  }

  public String feedbackHistory() {
    return child(FEEDBACK_HISTORY);
  }

  /**
   * Whether {@code part} (one of the folders above) was written: items, users and the history are
   * optional.
   */
  public boolean has(Configuration conf, String part) {
    return HadoopPaths.exists(conf, part);
  }

  private String child(String relative) {
    return new Path(dir, relative).toString();
  }

  /**
   * The etl output whose manifest is {@code dir/manifest.json}; null when there is none (for
   * example no previous run yet). A manifest of a newer format than this build reads is exit 2.
   */
  public static EtlOutput readIfPresent(Configuration conf, String dir) {
    JsonNode manifest = ManifestFile.readIfStage(conf, new Path(dir), MANIFEST, STAGE);
    return manifest == null ? null : of(new Path(dir), manifest);
  }

  /**
   * The etl output at {@code path}, or in {@code path/etl} (a pipeline run folder); exit 2 saying
   * what {@code path} holds when neither is one.
   */
  public static EtlOutput read(Configuration conf, String path, String option) {
    EtlOutput output = readIfPresent(conf, path);
    if (output == null) {
      output = readIfPresent(conf, new Path(path, STAGE).toString());
    }
    RecdataException.checkInput(
        output != null && HadoopPaths.exists(conf, output.interactions()),
        "%s %s holds no etl output (expected %s and %s/ written by etl; it %s)",
        option,
        path,
        MANIFEST,
        Layout.INTERACTIONS,
        ManifestFile.whatIsAt(conf, new Path(path)));
    return output;
  }

  private static EtlOutput of(Path dir, JsonNode manifest) {
    int version = ManifestFile.version(manifest, new Path(dir, MANIFEST), STAGE, FORMAT_VERSION);
    JsonNode feedback = manifest.path("feedback");
    return new EtlOutput(
        dir.toString(),
        version,
        manifest.path(RUN_ID).asText(null),
        manifest.path(Schema.CLUSTERED_BY_KEY).asText(null),
        feedback.path("source").asText(null),
        Watermark.fromJson(feedback.get("watermark")),
        manifest.get("inputs"),
        manifest.get("counts"));
  }

  /**
   * One input as the manifest records it: its path, the source kind read, and each file (with
   * checksums when asked).
   */
  public record Input(String path, String source, List<JsonNode> files) {}

  /**
   * Rows in and out of a run (input = output + rejected + deduplicated + filtered), with the id map
   * sizes and rejected rows per reason code (ordered as they are to be written).
   */
  public record Counts(
      long input,
      long output,
      long rejected,
      long deduplicatedTotal,
      long filteredTotal,
      Map<String, Long> deduplicated,
      Map<String, Long> filtered,
      long users,
      long items,
      Map<String, Long> rejectedByReason) {}

  /**
   * Writes {@code dir/manifest.json} for what the run wrote into {@code dir}, and returns it.
   *
   * @param feedback what the feedback history step did, or null without a feedback table
   */
  public static ObjectNode write(
      Configuration conf,
      String dir,
      String runId,
      String startedAt,
      List<Input> inputs,
      FeedbackHistory.Extended feedback,
      Counts counts,
      Map<String, Object> parameters,
      Map<String, Double> secondsPerStep,
      double totalSeconds) {
    ObjectNode manifest = ManifestFile.start(STAGE, FORMAT_VERSION);
    manifest.put(RUN_ID, runId);
    manifest.put("started_at", startedAt);
    ArrayNode inputArray = manifest.putArray("inputs");
    for (Input input : inputs) {
      ObjectNode node = inputArray.addObject();
      node.put("path", input.path());
      node.put("source", input.source());
      node.putArray("files").addAll(input.files());
    }
    if (feedback != null) {
      ObjectNode node = manifest.putObject("feedback");
      node.put("source", feedback.source());
      node.put("continued_from", feedback.continuedFrom());
      node.put("table", feedback.table());
      node.put("table_rows_read", feedback.tableRowsRead());
      node.set(
          "previous_watermark",
          feedback.previousWatermark() == null ? null : feedback.previousWatermark().toJson());
      node.set("watermark", feedback.watermark() == null ? null : feedback.watermark().toJson());
      node.put("history_events", feedback.historyEvents());
    }
    // Cleaning wrote the interactions clustered by user; the split stage reads this to skip its
    // shuffle.
    manifest.put(Schema.CLUSTERED_BY_KEY, Schema.USER_ID);
    ObjectNode countNode = manifest.putObject("counts");
    countNode.put("input", counts.input());
    countNode.put("output", counts.output());
    countNode.put("rejected", counts.rejected());
    countNode.put("deduplicated_total", counts.deduplicatedTotal());
    countNode.put("filtered_total", counts.filteredTotal());
    counts.deduplicated().forEach(countNode.putObject("deduplicated")::put);
    counts.filtered().forEach(countNode.putObject("filtered")::put);
    countNode.put("users", counts.users());
    countNode.put("items", counts.items());
    counts.rejectedByReason().forEach(countNode.putObject(REJECTED_BY_REASON)::put);
    manifest.set("parameters", Json.MAPPER.valueToTree(parameters));
    manifest.set("versions", Versions.asJson());
    manifest.put("finished_at", java.time.Instant.now().toString());
    ObjectNode seconds = manifest.putObject("seconds");
    secondsPerStep.forEach(seconds::put);
    seconds.put("total", totalSeconds);
    Json.write(conf, new Path(dir, MANIFEST).toString(), manifest);
    return manifest;
  }
}
