package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.Verdict;
import dev.recdata.common.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * One run as {@code runs list} shows it. Every value but the id and status is null when the run did
 * not get that far, is unfinished, or its pipeline.json predates the value.
 *
 * @param rowsIn rows etl read
 * @param ndcgMetric the test metric ALS and the best baseline are compared on ({@code ndcg@10})
 */
record RunLine(
    String runId,
    String status,
    boolean latest,
    String finishedAt,
    Long rowsIn,
    Long train,
    Long validation,
    Long test,
    RunManifest.Quality quality,
    String ndcgMetric,
    Double als,
    String bestBaseline,
    Double bestBaselineScore,
    String served) {

  static RunLine of(Configuration conf, RunsFolder.RunFolder run, boolean latest) {
    RunManifest manifest = run.manifest();
    if (manifest == null) {
      return new RunLine(
          run.id(),
          run.statusLabel(),
          latest,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
    RunOutputs outputs = RunOutputs.recordedOrRead(conf, run);
    JsonNode counts = outputs.counts() == null ? Json.object() : outputs.counts();
    JsonNode split = counts.path(PipelineCommand.Stage.SPLIT.cliName);
    ModelSummary.Recorded model = manifest.modelVerdict();
    String metric = model == null ? null : model.ndcgMetric();
    return new RunLine(
        run.id(),
        run.statusLabel(),
        latest,
        manifest.finishedAt(),
        count(counts.path(PipelineCommand.Stage.ETL.cliName).get("input")),
        count(split.get("train")),
        count(split.get("validation")),
        count(split.get("test")),
        outputs.quality(),
        metric,
        model == null ? null : model.score(Verdict.ALS, metric),
        model == null ? null : model.bestBaseline(),
        model == null ? null : model.score(model.bestBaseline(), metric),
        model == null ? null : model.served());
  }

  private static Long count(JsonNode value) {
    return value != null && value.isIntegralNumber() ? value.asLong() : null;
  }

  private static final List<String> HEADER =
      List.of(
          "RUN",
          "STATUS",
          "LATEST",
          "FINISHED",
          "ROWS IN",
          "TRAIN",
          "VALIDATION",
          "TEST",
          "QUALITY",
          "TEST NDCG: ALS / BEST BASELINE",
          "SERVED");

  /** The lines as a table, columns aligned, numbers right-aligned. */
  static String table(List<RunLine> lines) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    lines.forEach(line -> rows.add(line.cells()));
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        boolean number = i >= 4 && i <= 7;
        String format = "%" + (number ? "" : "-") + widths[i] + "s";
        line.append(String.format(Locale.ROOT, format, row.get(i))).append("  ");
      }
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return out.toString();
  }

  private List<String> cells() {
    return List.of(
        runId,
        status,
        latest ? "latest" : "",
        finishedAt == null ? "-" : seconds(finishedAt),
        number(rowsIn),
        number(train),
        number(validation),
        number(test),
        quality == null ? "-" : quality.status() + (quality.gateFailed() ? " (gate failed)" : ""),
        als == null ? "-" : comparison(),
        served == null ? "-" : served);
  }

  /** {@code @10 0.2685 / 0.2560 most_popular}. */
  private String comparison() {
    String k = ndcgMetric.substring(ndcgMetric.indexOf('@'));
    String baseline =
        bestBaselineScore == null
            ? "-"
            : String.format(Locale.ROOT, "%.4f %s", bestBaselineScore, bestBaseline);
    return String.format(Locale.ROOT, "%s %.4f / %s", k, als, baseline);
  }

  /** An ISO instant to the second ({@code 2026-12-06T15:37:56Z}), as people read it. */
  static String seconds(String instant) {
    try {
      return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  private static String number(Long value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%,d", value);
  }

  ObjectNode json() {
    ObjectNode json = Json.object();
    json.put("run_id", runId);
    json.put("status", status);
    json.put("latest", latest);
    json.put("finished_at", finishedAt);
    json.put("rows_in", rowsIn);
    json.put("train", train);
    json.put("validation", validation);
    json.put("test", test);
    json.put("quality", quality == null ? null : quality.status());
    json.put("quality_gate_failed", quality == null ? null : quality.gateFailed());
    json.put("metric", ndcgMetric);
    json.put("als", als);
    json.put("best_baseline", bestBaseline);
    json.put("best_baseline_score", bestBaselineScore);
    json.put("served", served);
    return json;
  }
}
