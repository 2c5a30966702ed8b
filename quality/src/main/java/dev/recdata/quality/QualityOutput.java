package dev.recdata.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The quality output contract: {@code report.json} (the run's checks and metrics, recognised by its
 * {@code "stage"}) and {@code report.html} directly in the quality folder. Only this class knows
 * the file names and the keys other programs read.
 *
 * @param dir the quality folder
 * @param status {@code pass}, {@code warn} or {@code fail}
 * @param checks every check as report.json lists it, in order
 */
public record QualityOutput(
    String dir,
    int formatVersion,
    String runId,
    String status,
    boolean gateFailed,
    List<Check> checks) {

  /**
   * One check's outcome as report.json holds it.
   *
   * @param level {@code ERROR} or {@code WARNING}
   * @param status {@code pass}, {@code warn}, {@code fail} or {@code skip}
   */
  public record Check(String check, String level, String status, String message) {}

  public static final String STAGE = "quality";
  public static final String REPORT_JSON = "report.json";
  public static final String REPORT_HTML = "report.html";

  /** 1: before report.json carried a version; 2: with {@code format_version}, same layout. */
  public static final int FORMAT_VERSION = 2;

  /**
   * A quality output is recognised by its report.json: only such a folder (or an empty one) is ever
   * replaced.
   */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, REPORT_JSON);

  private static final String RUN_ID = "run_id";

  /**
   * The start of report.json: stage, format version and run id; {@link QualityReport#toJson()} adds
   * the rest.
   */
  static ObjectNode start(String runId) {
    ObjectNode root = ManifestFile.start(STAGE, FORMAT_VERSION);
    root.put(RUN_ID, runId);
    return root;
  }

  /** Writes report.json and report.html into {@code dir}. */
  static void write(Configuration conf, String dir, QualityReport report) {
    Json.write(conf, new Path(dir, REPORT_JSON).toString(), report.toJson());
    HtmlReport.write(conf, new Path(dir, REPORT_HTML).toString(), report);
  }

  /**
   * Renders report.html in the quality folder {@code dir} again from its report.json, naming the
   * pipeline run and adding the model's test scores. The pipeline calls this after ALS: quality
   * runs (and gates) before any model exists, and re-rendering from report.json rather than from
   * the report in memory also serves a run that reused its quality folder from a base run ({@code
   * --from als}). Only report.html changes; report.json and the tables stay as quality wrote them.
   *
   * @param context the pipeline run rendering the report, the same {@link RunContext} its quality
   *     stage ran with (a reused quality folder names the run it came from beside it)
   */
  public static void renderWithModel(
      Configuration conf, String dir, RunContext context, ModelScores model) {
    Path json = new Path(dir, REPORT_JSON);
    JsonNode report = ManifestFile.readIfStage(conf, new Path(dir), REPORT_JSON, STAGE);
    RecdataException.checkInput(
        report != null, "%s holds no quality report (expected %s)", dir, json);
    ManifestFile.version(report, json, STAGE, FORMAT_VERSION);
    HtmlReport.write(
        conf,
        new Path(dir, REPORT_HTML).toString(),
        QualityReport.fromJson(report),
        context.pipelineRunId(),
        model);
  }

  /**
   * The quality output at {@code path}, or in {@code path/quality} (a pipeline run folder, or a
   * folder given to {@code quality --out} before it wrote into --out itself); exit 2 saying what
   * {@code path} holds otherwise.
   */
  public static QualityOutput read(Configuration conf, String path, String option) {
    for (Path dir : List.of(new Path(path), new Path(path, STAGE))) {
      JsonNode report = ManifestFile.readIfStage(conf, dir, REPORT_JSON, STAGE);
      if (report != null) {
        return new QualityOutput(
            dir.toString(),
            ManifestFile.version(report, new Path(dir, REPORT_JSON), STAGE, FORMAT_VERSION),
            report.path(RUN_ID).asText(null),
            report.path("status").asText(null),
            report.path("gate_failed").asBoolean(false),
            checks(report));
      }
    }
    throw RecdataException.badInput(
        "%s %s holds no quality output (expected %s written by quality; it %s)",
        option, path, REPORT_JSON, ManifestFile.whatIsAt(conf, new Path(path)));
  }

  private static List<Check> checks(JsonNode report) {
    List<Check> checks = new ArrayList<>();
    for (JsonNode c : report.path("checks")) {
      checks.add(
          new Check(
              c.path("check").asText(),
              c.path("level").asText(),
              c.path("status").asText(),
              c.path("message").asText()));
    }
    return List.copyOf(checks);
  }
}
