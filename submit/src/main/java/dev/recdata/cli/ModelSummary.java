package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsOptions;
import dev.recdata.als.AlsOutput;
import dev.recdata.als.AlsReport;
import dev.recdata.als.Grid;
import dev.recdata.als.Verdict;
import dev.recdata.common.Json;
import dev.recdata.quality.ModelScores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's verdict on its model, in pipeline.json ({@code "model"}) and as the run's last
 * line: the selected settings, the test scores of ALS and every baseline on the metrics a user
 * compares (NDCG@K, Recall@K, RMSE), whether ALS won and what ships.
 */
record ModelSummary(AlsReport report, AlsOptions options) {
  private static final String MODE = "mode";
  private static final String SELECTED = "selected";
  private static final String TEST = "test";
  private static final String ALS_WON = "als_won";
  private static final String BEST_BASELINE = "best_baseline";
  private static final String SERVED = "served";

  /**
   * The summary's parts that {@code runs list} and {@code runs diff} show, read back from {@link
   * #json}.
   *
   * @param test per recommender ({@code als}, {@code most_popular}, ...) its test metrics
   */
  record Recorded(
      String mode,
      String selected,
      Map<String, Map<String, Double>> test,
      Boolean alsWon,
      String bestBaseline,
      String served) {
    static Recorded fromJson(JsonNode json) {
      if (json == null || !json.isObject()) {
        return null;
      }
      Map<String, Map<String, Double>> test = new LinkedHashMap<>();
      json.path(TEST)
          .fields()
          .forEachRemaining(
              model -> {
                Map<String, Double> metrics = new LinkedHashMap<>();
                model
                    .getValue()
                    .fields()
                    .forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asDouble()));
                test.put(model.getKey(), metrics);
              });
      return new Recorded(
          json.path(MODE).asText(null),
          json.path(SELECTED).asText(null),
          test,
          json.hasNonNull(ALS_WON) ? json.get(ALS_WON).asBoolean() : null,
          json.path(BEST_BASELINE).asText(null),
          json.path(SERVED).asText(null));
    }

    /** The NDCG@K that ALS and the baselines were scored on ({@code ndcg@10}), or null. */
    String ndcgMetric() {
      Map<String, Double> als = test.get(Verdict.ALS);
      return als == null
          ? null
          : als.keySet().stream().filter(m -> m.startsWith("ndcg@")).findFirst().orElse(null);
    }

    Double score(String recommender, String metric) {
      Map<String, Double> metrics = recommender == null ? null : test.get(recommender);
      return metrics == null || metric == null ? null : metrics.get(metric);
    }
  }

  static ModelSummary of(AlsReport report, AlsOptions options) {
    return new ModelSummary(report, options);
  }

  private List<String> metrics() {
    return List.of("ndcg@" + options.k(), "recall@" + options.k(), "rmse");
  }

  ObjectNode json() {
    ObjectNode json = Json.object();
    json.put(MODE, options.mode().name().toLowerCase(Locale.ROOT));
    json.put(SELECTED, Grid.label(report.selectedPoint()));
    ObjectNode test = json.putObject(TEST);
    report
        .test()
        .forEach(
            (model, values) -> {
              ObjectNode scores = test.putObject(model);
              for (String metric : metrics()) {
                if (values.containsKey(metric)) {
                  scores.put(metric, values.get(metric));
                }
              }
            });
    if (report.temporalLeakage() != null) {
      json.put("temporal_leakage_share", report.temporalLeakage());
    }
    json.put(ALS_WON, report.verdict().alsWon());
    json.put(BEST_BASELINE, report.verdict().bestBaseline());
    json.put(SERVED, report.verdict().served());
    json.put("verdict", report.verdict().summary());
    json.put("metrics", report.outputDir() + "/metrics.json");
    return json;
  }

  /**
   * Every test score of ALS and the baselines, with the verdict, for the quality report's model
   * section.
   */
  ModelScores scores() {
    return new ModelScores(
        report.test(), report.verdict().summary(), report.outputDir() + "/" + AlsOutput.METRICS);
  }

  /**
   * {@code model: implicit ALS rank=64,... | test ndcg@10 als 0.13, most_popular 0.07 ... | ...}
   */
  String line() {
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            Locale.ROOT,
            "model: %s ALS %s | test",
            options.mode().name().toLowerCase(Locale.ROOT),
            Grid.label(report.selectedPoint())));
    for (String metric : metrics()) {
      StringBuilder part = new StringBuilder();
      for (Map.Entry<String, Map<String, Double>> model : report.test().entrySet()) {
        Double value = model.getValue().get(metric);
        if (value != null) {
          part.append(
              String.format(
                  Locale.ROOT, "%s%s %.4f", part.length() == 0 ? "" : ", ", model.getKey(), value));
        }
      }
      if (part.length() > 0) {
        line.append(' ').append(metric).append(": ").append(part).append(';');
      }
    }
    line.append(" | ").append(report.verdict().summary());
    return line.toString();
  }
}
