package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.Progress;
import dev.recdata.common.Versions;
import dev.recdata.quality.QualityOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The contract of a pipeline run folder's {@code pipeline.json}, written when the run ends: its
 * status ({@code complete}, or {@code failed} with the error), how far it went ({@code to}), and
 * since format 3 what a user compares two runs by: the options of each stage, row counts per stage,
 * the quality verdict and the id-map version. {@link RunsFolder}, {@code --from}, {@code runs list}
 * and {@code runs diff} read it only through {@link #readIfPresent}.
 *
 * @param status {@code complete} (also for files that predate the status) or {@code failed}
 * @param to the last stage the run was asked to reach, or null in files that predate it
 * @param inputs what etl read (the run's own etl, or the base run's it reused); empty when unknown
 * @param idMapVersion {@code EtlOutput#idMapVersion} of the run's etl output; null before format 3
 * @param options per stage ({@code etl}, {@code split}, ...; {@code jdbc}) the options record the
 *     stage ran with, as JSON, credentials removed; an empty object before format 3
 * @param optionsFromClock option paths ({@code etl.cleaning.maxTs}) whose value the run derived
 *     from its own clock because the option was not given, so they differ between any two runs
 * @param counts per stage the {@code counts} of its manifest as they are; null before format 3
 * @param quality the quality verdict; null before format 3 or when the run did not reach quality
 * @param model the verdict on the model ({@link ModelSummary#json}); null before als ran (a run
 *     that copied als from its base run carries the base run's)
 */
record RunManifest(
    int formatVersion,
    String runId,
    String status,
    String from,
    String to,
    String error,
    String startedAt,
    String finishedAt,
    String baseRunId,
    String previousRunId,
    List<String> inputs,
    String idMapVersion,
    JsonNode options,
    List<String> optionsFromClock,
    JsonNode counts,
    Quality quality,
    JsonNode model) {
  static final String FILE = "pipeline.json";
  static final String STAGE = "pipeline";

  /**
   * 1: before pipeline.json carried a version; 2: with {@code format_version}; 3: with {@code
   * options}, {@code counts}, {@code quality} and {@code id_map_version}.
   */
  static final int FORMAT_VERSION = 3;

  static final String COMPLETE = "complete";
  static final String FAILED = "failed";

  private static final String RUN_ID = "run_id";
  private static final String OPTIONS = "options";
  private static final String OPTIONS_FROM_CLOCK = "options_from_clock";
  private static final String COUNTS = "counts";
  private static final String QUALITY = "quality";
  private static final String MODEL = "model";
  private static final String INPUTS = "inputs";
  private static final String PREVIOUS_RUN_ID = "previous_run_id";
  private static final String ID_MAP_VERSION = "id_map_version";

  /**
   * The quality verdict as pipeline.json keeps it: the report's status, whether it stopped the run,
   * and the checks a user reads first (failed and warned ones, with their messages).
   */
  record Quality(
      String status,
      boolean gateFailed,
      List<QualityOutput.Check> failing,
      List<QualityOutput.Check> warning) {
    static Quality of(QualityOutput report) {
      return new Quality(
          report.status(),
          report.gateFailed(),
          report.checks().stream().filter(c -> c.status().equals("fail")).toList(),
          report.checks().stream().filter(c -> c.status().equals("warn")).toList());
    }

    ObjectNode json() {
      ObjectNode json = Json.object();
      json.put("status", status);
      json.put("gate_failed", gateFailed);
      checks(json.putArray("failing"), failing);
      checks(json.putArray("warning"), warning);
      return json;
    }

    private static void checks(ArrayNode array, List<QualityOutput.Check> checks) {
      for (QualityOutput.Check c : checks) {
        array
            .addObject()
            .put("check", c.check())
            .put("level", c.level())
            .put("message", c.message());
      }
    }

    static Quality fromJson(JsonNode json) {
      if (json == null || !json.isObject()) {
        return null;
      }
      return new Quality(
          json.path("status").asText(null),
          json.path("gate_failed").asBoolean(false),
          checks(json.path("failing"), "fail"),
          checks(json.path("warning"), "warn"));
    }

    private static List<QualityOutput.Check> checks(JsonNode array, String status) {
      List<QualityOutput.Check> checks = new ArrayList<>();
      for (JsonNode c : array) {
        checks.add(
            new QualityOutput.Check(
                c.path("check").asText(),
                c.path("level").asText(),
                status,
                c.path("message").asText()));
      }
      return List.copyOf(checks);
    }
  }

  boolean failed() {
    return FAILED.equals(status);
  }

  /** The model verdict as recorded, or null before als ran. */
  ModelSummary.Recorded modelVerdict() {
    return ModelSummary.Recorded.fromJson(model);
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
        json.path("from").asText(null),
        json.path("to").asText(null),
        json.path("error").asText(null),
        json.path("started_at").asText(null),
        json.path("finished_at").asText(null),
        json.path("base_run_id").asText(null),
        json.path(PREVIOUS_RUN_ID).asText(null),
        texts(json.path(INPUTS)),
        json.path(ID_MAP_VERSION).asText(null),
        json.has(OPTIONS) ? json.get(OPTIONS) : Json.object(),
        texts(json.path(OPTIONS_FROM_CLOCK)),
        json.get(COUNTS),
        Quality.fromJson(json.get(QUALITY)),
        json.get(MODEL));
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  /** A new pipeline.json, filled in by the run as it goes; {@link #write} ends it. */
  static ObjectNode start(String runId, String from, String to, String previousRunId) {
    ObjectNode manifest = Json.object();
    manifest.put(ManifestFile.FORMAT_VERSION, FORMAT_VERSION);
    manifest.put(RUN_ID, runId);
    manifest.put("started_at", Instant.now().toString());
    manifest.put("from", from);
    manifest.put("to", to);
    // the run OUT/latest named when this one started, whichever stages it runs: the one to compare
    // it with, and the one whose feedback history its etl continues
    manifest.put(PREVIOUS_RUN_ID, previousRunId);
    return manifest;
  }

  /** Records what etl read. */
  static void putInputs(ObjectNode manifest, List<String> inputs) {
    manifest.putPOJO(INPUTS, inputs);
  }

  /**
   * Records the options one stage ({@code etl}, ...) or the JDBC target ({@code jdbc}) ran with.
   */
  static void putOptions(ObjectNode manifest, String stage, JsonNode options) {
    JsonNode all = manifest.get(OPTIONS);
    (all instanceof ObjectNode object ? object : manifest.putObject(OPTIONS)).set(stage, options);
  }

  /** Records that {@code path} ({@code etl.cleaning.maxTs}) took its value from the run's clock. */
  static void putOptionFromClock(ObjectNode manifest, String path) {
    JsonNode all = manifest.get(OPTIONS_FROM_CLOCK);
    (all instanceof ArrayNode array ? array : manifest.putArray(OPTIONS_FROM_CLOCK)).add(path);
  }

  static void putModel(ObjectNode manifest, JsonNode model) {
    manifest.set(MODEL, model);
  }

  /**
   * Carries over what the base run recorded for the stages this run copied from it (their options,
   * and the model verdict when als was copied), so the run describes every stage its folder holds.
   */
  static void putReused(ObjectNode manifest, RunManifest base, List<String> reusedStages) {
    for (String stage : reusedStages) {
      JsonNode options = base.options().get(stage);
      if (options != null) {
        putOptions(manifest, stage, options);
      }
      base.optionsFromClock().stream()
          .filter(path -> path.startsWith(stage + "."))
          .forEach(path -> putOptionFromClock(manifest, path));
    }
    if (reusedStages.contains(PipelineCommand.Stage.ALS.cliName) && base.model() != null) {
      putModel(manifest, base.model());
    }
  }

  /**
   * Records what the run folder's stage outputs say (see {@link RunOutputs}) and the id-map version
   * of its etl output (null without one).
   */
  static void putOutputs(ObjectNode manifest, RunOutputs outputs, String idMapVersion) {
    manifest.put(ID_MAP_VERSION, idMapVersion);
    manifest.set(COUNTS, outputs.counts());
    if (outputs.quality() != null) {
      manifest.set(QUALITY, outputs.quality().json());
    }
  }

  /** The options by stage in pipeline order (etl records its own last), then the rest. */
  private static ObjectNode inPipelineOrder(JsonNode options) {
    ObjectNode ordered = Json.object();
    if (options != null) {
      for (String stage : PipelineCommand.Stage.names()) {
        if (options.has(stage)) {
          ordered.set(stage, options.get(stage));
        }
      }
      options.fields().forEachRemaining(f -> ordered.putIfAbsent(f.getKey(), f.getValue()));
    }
    return ordered;
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
    manifest.set(OPTIONS, inPipelineOrder(manifest.get(OPTIONS)));
    manifest.put("finished_at", Instant.now().toString());
    manifest.set("versions", Versions.asJson());
    ObjectNode seconds = manifest.putObject("seconds");
    progress.secondsPerStep().forEach(seconds::put);
    seconds.put("total", progress.totalSeconds());
    Json.write(conf, new Path(runDir, FILE).toString(), manifest);
  }
}
