package dev.recdata.als;

import java.util.Locale;
import java.util.Map;

/**
 * Whether ALS beat the best ranking baseline, and what therefore ships: ALS, or (with {@code
 * --serve-fallback popular}) the baseline that beat it. Decided on validation, where the settings
 * were chosen, so the test score stays an unbiased report of what was decided; a split without
 * validation (k-fold, or two ratios) decides on test and says so.
 *
 * @param metric the ranking metric compared ({@code ndcg@K}: serving is a ranking job whatever the
 *     mode)
 * @param decidedOn {@code validation} or {@code test}
 * @param served {@code als} or the baseline whose recommendations ship
 */
public record Verdict(
    String metric,
    String decidedOn,
    double als,
    String bestBaseline,
    double baseline,
    boolean alsWon,
    String served,
    AlsOptions.ServeFallback fallback) {

  public static final String ALS = "als";

  static Verdict decide(
      Map<String, Map<String, Double>> validation,
      Map<String, Map<String, Double>> test,
      AlsOptions o) {
    String metric = "ndcg@" + o.k();
    boolean onValidation = validation.containsKey(ALS);
    Map<String, Map<String, Double>> scores = onValidation ? validation : test;
    double als = scores.getOrDefault(ALS, Map.of()).getOrDefault(metric, Double.NaN);
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (String baseline : new String[] {"most_popular", "recently_popular"}) {
      double score = scores.getOrDefault(baseline, Map.of()).getOrDefault(metric, Double.NaN);
      if (!Double.isNaN(score) && score > bestScore) {
        best = baseline;
        bestScore = score;
      }
    }
    // NaN (no positives to rank) decides nothing: ALS ships, as it would without the check
    boolean won = best == null || Double.isNaN(als) || als > bestScore;
    String served =
        won || o.protocol().serveFallback() == AlsOptions.ServeFallback.NONE ? ALS : best;
    return new Verdict(
        metric,
        onValidation ? "validation" : "test",
        als,
        best,
        best == null ? Double.NaN : bestScore,
        won,
        served,
        o.protocol().serveFallback());
  }

  public boolean alsServed() {
    return ALS.equals(served);
  }

  /** One line a person acts on. */
  public String summary() {
    if (bestBaseline == null) {
      return "no baseline could be compared; serving ALS";
    }
    String comparison =
        String.format(
            Locale.ROOT,
            "%s %.4f vs %s %.4f on %s",
            metric,
            als,
            bestBaseline,
            baseline,
            decidedOn);
    if (alsWon) {
      return "ALS beats the best baseline (" + comparison + "); serving ALS";
    }
    if (alsServed()) {
      return "ALS LOSES to "
          + bestBaseline
          + " ("
          + comparison
          + "); serving ALS anyway (--serve-fallback none)";
    }
    return "ALS LOSES to "
        + bestBaseline
        + " ("
        + comparison
        + "); serving "
        + served
        + "'s recommendations instead (--serve-fallback popular; pass --serve-fallback none to ship ALS)";
  }
}
