package dev.recdata.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsOptions;
import dev.recdata.als.AlsOutput;
import dev.recdata.als.AlsReport;
import dev.recdata.als.Grid;
import dev.recdata.common.Json;
import dev.recdata.quality.ModelScores;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's verdict on its model, in pipeline.json ({@code "model"}) and as the run's last
 * line: the selected settings, the test scores of ALS and every baseline on the metrics a user
 * compares (NDCG@K, Recall@K, RMSE), whether ALS won and what ships.
 */
record ModelSummary(AlsReport report, AlsOptions options) {
  static ModelSummary of(AlsReport report, AlsOptions options) {
    return new ModelSummary(report, options);
  }

  private List<String> metrics() {
    return List.of("ndcg@" + options.k(), "recall@" + options.k(), "rmse");
  }

  ObjectNode json() {
    ObjectNode json = Json.object();
    json.put("mode", options.mode().name().toLowerCase(Locale.ROOT));
    json.put("selected", Grid.label(report.selectedPoint()));
    ObjectNode test = json.putObject("test");
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
    json.put("als_won", report.verdict().alsWon());
    json.put("best_baseline", report.verdict().bestBaseline());
    json.put("served", report.verdict().served());
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
