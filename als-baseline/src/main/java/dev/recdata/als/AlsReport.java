package dev.recdata.als;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ALS run measured: every grid point's validation scores, the chosen point, the test scores
 * of ALS and of each baseline (means across folds in k-fold mode, with {@code testStd} their
 * standard deviations), and how far ALS is ahead of each baseline.
 *
 * @param protocol {@code holdout} (train/validation/test) or {@code kfold}
 * @param test model name ({@code als}, {@code most_popular}, {@code recently_popular}, {@code
 *     random}, {@code bias}) to metric to value
 * @param validation the selected point and the ranking baselines on validation (empty without one):
 *     what the verdict compares
 * @param globalTime ALS with the selected settings and the ranking baselines under one global time
 *     cutoff over the same rows (empty when the split already is global-time, or k-fold)
 * @param temporalLeakage the mean share of training rows later than the test row they help predict
 *     (null for k-fold)
 * @param tuningSample the users tuning was fitted and scored on (all unless the train part was
 *     larger than {@code --tune-sample-rows})
 */
public record AlsReport(
    String runId,
    String protocol,
    int folds,
    String selectBy,
    Map<String, Double> selectedPoint,
    List<GridScore> grid,
    Map<String, Map<String, Double>> test,
    Map<String, Map<String, Double>> testStd,
    String outputDir,
    Map<String, Map<String, Double>> validation,
    Map<String, Map<String, Double>> globalTime,
    Double temporalLeakage,
    Verdict verdict,
    TuningSample tuningSample) {

  /** Counters reported beside the metrics; they are not compared between models. */
  static final Set<String> COUNTS =
      Set.of("rated_pairs", "ranked_users", "users_without_recommendations");

  /** One grid point and its validation scores (fold means in k-fold mode). */
  public record GridScore(Map<String, Double> point, Map<String, Double> metrics, double seconds) {
    public String label() {
      return Grid.label(point);
    }
  }

  /**
   * For each baseline, each metric both models have: how much better ALS is, relative to the
   * baseline ({@code (als - baseline) / baseline}, sign flipped for errors): +0.25 means 25%
   * better.
   */
  public Map<String, Map<String, Double>> improvementOverBaselines() {
    Map<String, Map<String, Double>> result = new LinkedHashMap<>();
    Map<String, Double> als = test.getOrDefault("als", Map.of());
    test.forEach(
        (model, metrics) -> {
          if (model.equals("als")) {
            return;
          }
          Map<String, Double> lifts = new LinkedHashMap<>();
          metrics.forEach(
              (metric, base) -> {
                Double mine = als.get(metric);
                if (mine == null || COUNTS.contains(metric) || base == 0.0) {
                  return;
                }
                double lift = (mine - base) / Math.abs(base);
                lifts.put(metric, AlsOptions.lowerIsBetter(metric) ? -lift : lift);
              });
          result.put(model, lifts);
        });
    return result;
  }

  /**
   * True when ALS beats every baseline on the metric each is judged by: NDCG@K for rankers, RMSE
   * for bias.
   */
  public boolean alsBeatsBaselines(int k) {
    Map<String, Double> als = test.getOrDefault("als", Map.of());
    for (Map.Entry<String, Map<String, Double>> entry : test.entrySet()) {
      if (entry.getKey().equals("als")) {
        continue;
      }
      String metric = entry.getValue().containsKey("ndcg@" + k) ? "ndcg@" + k : "rmse";
      Double base = entry.getValue().get(metric);
      Double mine = als.get(metric);
      if (base == null || mine == null) {
        continue;
      }
      boolean better = AlsOptions.lowerIsBetter(metric) ? mine < base : mine > base;
      if (!better) {
        return false;
      }
    }
    return true;
  }
}
