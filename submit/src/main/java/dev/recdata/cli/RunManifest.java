package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.Progress;
import dev.recdata.common.Versions;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The contract of a pipeline run folder's {@code pipeline.json}, written when the run ends: its
 * status ({@code complete}, or {@code failed} with the error) and how far it went ({@code to}).
 * {@link RunsFolder} and {@code --from} read it only through {@link #readIfPresent}.
 *
 * @param status {@code complete} (also for files that predate the status) or {@code failed}
 * @param to the last stage the run was asked to reach, or null in files that predate it
 */
record RunManifest(int formatVersion, String runId, String status, String to, String error) {
  static final String FILE = "pipeline.json";
  static final String STAGE = "pipeline";

  /** 1: before pipeline.json carried a version; 2: with {@code format_version}. */
  static final int FORMAT_VERSION = 2;

  static final String COMPLETE = "complete";
  static final String FAILED = "failed";

  private static final String RUN_ID = "run_id";

  boolean failed() {
    return FAILED.equals(status);
  }

  /** The run's pipeline.json, or null when the run has none (killed, or still running). */
  static RunManifest readIfPresent(Configuration conf, Path runDir) {
    Path file = new Path(runDir, FILE);
    JsonNode json = Json.readIfExists(conf, file.toString());
    if (json == null) {
      return null;
    }
    return new RunManifest(
        ManifestFile.version(json, file, STAGE, FORMAT_VERSION),
        json.path(RUN_ID).asText(null),
        json.path("status").asText(COMPLETE),
        json.path("to").asText(null),
        json.path("error").asText(null));
  }

  /** A new pipeline.json, filled in by the run as it goes; {@link #write} ends it. */
  static ObjectNode start(String runId) {
    ObjectNode manifest = Json.object();
    manifest.put(ManifestFile.FORMAT_VERSION, FORMAT_VERSION);
    manifest.put(RUN_ID, runId);
    manifest.put("started_at", Instant.now().toString());
    return manifest;
  }

  /**
   * Records the outcome ({@code error} null when complete) with times and versions, and writes the
   * file.
   */
  static void write(
      Configuration conf, String runDir, ObjectNode manifest, String error, Progress progress) {
    manifest.put("status", error == null ? COMPLETE : FAILED);
    if (error != null) {
      manifest.put("error", error);
    }
    manifest.put("finished_at", Instant.now().toString());
    manifest.set("versions", Versions.asJson());
    ObjectNode seconds = manifest.putObject("seconds");
    progress.secondsPerStep().forEach(seconds::put);
    seconds.put("total", progress.totalSeconds());
    Json.write(conf, new Path(runDir, FILE).toString(), manifest);
  }
}
