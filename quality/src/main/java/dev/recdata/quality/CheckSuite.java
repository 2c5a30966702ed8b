package dev.recdata.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Declares which checks apply to an input, at which level and threshold, and evaluates them. The strategy
 * decides: ratio conformance only for per-user ratio strategies, cutoff leakage only for global-time, and
 * temporal leakage is an ERROR only where the strategy promises time order.
 */
final class CheckSuite {
  private CheckSuite() {}

  /** Strategies that cut each user's history by ratios, so every user should be e.g. 70/20/10. */
  static final Set<String> PER_USER_RATIO = Set.of("user-ratio", "user-random");

  /** Strategies that promise evaluation events at or after the user's training events. */
  static final Set<String> TIME_ORDERED = Set.of("user-ratio", "leave-last", "global-time");

  static final String GLOBAL_TIME = "global-time";

  static List<CheckResult> evaluate(QualityInput input, QualityInput.Group group, QualityOptions o) {
    Dataset<Row> tagged = group.tagged();
    List<CheckResult> results = new ArrayList<>();
    if (QualityInput.ETL.equals(input.kind())) {
      results.add(Checks.nullIds(tagged));
      results.add(Checks.duplicates(tagged));
      return results;
    }
    String strategy = input.strategy() == null ? "unknown" : input.strategy();
    results.add(
        input.expectedRows() == null
            ? CheckResult.skipped(
                Checks.ROW_CONSERVATION, Level.ERROR, "the manifest records no counts.input to compare with")
            : Checks.rowConservation(tagged, input.expectedRows()));
    results.add(Checks.rowsInTwoSplits(tagged));
    results.add(Checks.pairLeakage(tagged, o.maxLeakedPairsShare()));
    Level temporalLevel = TIME_ORDERED.contains(strategy) ? Level.ERROR : Level.WARNING;
    results.add(Checks.temporalLeakage(tagged, temporalLevel, o.maxTemporalLeakShare()));
    if (GLOBAL_TIME.equals(strategy)) {
      results.add(Checks.cutoffLeakage(tagged, group.parts(), input.cutoffs()));
    }
    String whyNoRatio = whyNoRatioCheck(input, group, strategy);
    if (whyNoRatio == null) {
      Dataset<Row> perUser = userSplitCounts(input, group, o);
      results.add(Checks.ratioPerUser(perUser, o.minUsersWithinTolerance(), target(input.ratios())));
      results.add(Checks.ratioOverall(tagged, group.parts(), input.ratios(), o.ratioTolerance()));
    } else {
      results.add(CheckResult.skipped(Checks.RATIO_PER_USER, Level.ERROR, whyNoRatio));
      results.add(CheckResult.skipped(Checks.RATIO_OVERALL, Level.WARNING, whyNoRatio));
    }
    results.add(Checks.coldStartUsers(tagged, o.maxColdStartUsers()));
    results.add(Checks.coldStartItems(tagged, o.maxColdStartItems()));
    results.add(Checks.duplicates(tagged));
    results.add(Checks.nullIds(tagged));
    results.add(Checks.idRange(tagged));
    return results.stream().map(r -> r.named(group.qualify(r.check()))).toList();
  }

  /** Null when the per-user ratio checks apply to this group, else the reason they do not. */
  static String whyNoRatioCheck(QualityInput input, QualityInput.Group group, String strategy) {
    if (!PER_USER_RATIO.contains(strategy)) {
      return "ratio conformance applies to user-ratio and user-random splits, not " + strategy;
    }
    if (input.ratios().length != group.parts().size()) {
      return String.format(
          Locale.ROOT,
          "the manifest's ratios %s do not match the parts %s",
          Arrays.toString(input.ratios()),
          group.parts());
    }
    return null;
  }

  static Dataset<Row> userSplitCounts(QualityInput input, QualityInput.Group group, QualityOptions o) {
    return Checks.userSplitCounts(
        group.tagged(), group.parts(), input.ratios(), o.ratioTolerance(), input.minInteractions());
  }

  /** {@code 70/20/10} for ratios 0.7, 0.2, 0.1. */
  static String target(double[] ratios) {
    StringBuilder s = new StringBuilder();
    for (double r : ratios) {
      s.append(s.length() == 0 ? "" : "/").append(Math.round(r * 1000) / 10.0);
    }
    return s.toString().replace(".0", "");
  }
}
