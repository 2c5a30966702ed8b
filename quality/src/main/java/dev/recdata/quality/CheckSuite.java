package dev.recdata.quality;

import dev.recdata.splits.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Declares which checks apply to an input, at which level and threshold, and evaluates them. The
 * strategy decides: ratio conformance only for per-user ratio strategies, cutoff leakage only for
 * global-time, and temporal leakage is an ERROR only where the strategy promises time order.
 */
final class CheckSuite {
  private CheckSuite() {}

  static List<CheckResult> evaluate(
      QualityInput input, QualityInput.Group group, GroupStats stats, QualityOptions o) {
    Dataset<Row> tagged = group.tagged();
    List<CheckResult> results = new ArrayList<>();
    if (QualityInput.ETL.equals(input.kind())) {
      results.add(Checks.nullIds(stats));
      results.add(Checks.duplicates(stats));
      return results;
    }
    String strategy = input.strategy() == null ? "unknown" : input.strategy();
    // The split's own rules, by the name its manifest gives; null for a name this version does not
    // know.
    Strategy known = Strategy.fromManifest(input.strategy());
    results.add(
        input.expectedRows() == null
            ? CheckResult.skipped(
                Checks.ROW_CONSERVATION,
                Level.ERROR,
                "the manifest records no counts.input to compare with")
            : Checks.rowConservation(stats, input.expectedRows()));
    results.add(Checks.rowsInTwoSplits(stats));
    results.add(Checks.pairLeakage(stats, o.maxLeakedPairsShare()));
    Level temporalLevel = known != null && known.keepsTimeOrder() ? Level.ERROR : Level.WARNING;
    results.add(Checks.temporalLeakage(stats, temporalLevel, o.maxTemporalLeakShare()));
    if (known == Strategy.GLOBAL_TIME) {
      results.add(Checks.cutoffLeakage(tagged, group.parts(), input.cutoffs()));
    }
    String whyNoRatio = whyNoRatioCheck(input, group, strategy);
    if (whyNoRatio == null) {
      Dataset<Row> perUser = userSplitCounts(input, stats, o);
      results.add(
          Checks.ratioPerUser(perUser, o.minUsersWithinTolerance(), target(input.ratios())));
      results.add(Checks.ratioOverall(stats, input.ratios(), o.ratioTolerance()));
    } else {
      results.add(CheckResult.skipped(Checks.RATIO_PER_USER, Level.ERROR, whyNoRatio));
      results.add(CheckResult.skipped(Checks.RATIO_OVERALL, Level.WARNING, whyNoRatio));
    }
    results.add(
        Checks.coldStartUsers(
            stats,
            o.maxColdStartUsersShare() != null
                ? o.maxColdStartUsersShare()
                : coldStartUsersShare(known)));
    results.add(
        Checks.coldStartItems(
            stats,
            o.maxColdStartItemsShare() != null
                ? o.maxColdStartItemsShare()
                : COLD_START_ITEMS_SHARE));
    results.add(Checks.duplicates(stats));
    results.add(Checks.nullIds(stats));
    results.add(Checks.idRange(tagged, stats));
    return results.stream().map(r -> r.named(group.qualify(r.check()))).toList();
  }

  /**
   * Default largest share of evaluated items missing from train. No model trained on train can
   * recommend such an item, so past a tenth of them the ranking metrics measure the catalogue gap
   * more than the model. Typical splits stay well below: on ML-100K about 7% of the evaluated items
   * are unseen under user-ratio 0.7/0.2/0.1, 5% under global-time 0.8/0.1/0.1 and 2% under 5-fold
   * (the long tail of items rated once or twice). The old default, 0 items, warned on every run.
   */
  static final double COLD_START_ITEMS_SHARE = 0.10;

  /**
   * Default largest share of evaluation users missing from train, by strategy. A per-user strategy
   * keeps part of every user's events in train (none of ML-100K's 943 users is cold under
   * user-ratio or 5-fold), so cold users there mean the split or the id mapping is off; 5% leaves
   * room for users with fewer events than folds in k-fold and user-random. A global-time cutoff
   * evaluates whoever arrives after it (about two thirds of ML-100K's test users under 0.8/0.1/0.1
   * are new), so there the share is reported and never warns: a threshold of 0 warned on every
   * global-time run.
   */
  static double coldStartUsersShare(Strategy strategy) {
    return strategy == Strategy.GLOBAL_TIME ? 1.0 : 0.05;
  }

  /** Null when the per-user ratio checks apply to this group, else the reason they do not. */
  static String whyNoRatioCheck(QualityInput input, QualityInput.Group group, String strategy) {
    Strategy known = Strategy.fromManifest(strategy);
    if (known == null || !known.cutsEachGroupByRatios()) {
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

  static Dataset<Row> userSplitCounts(QualityInput input, GroupStats stats, QualityOptions o) {
    return Checks.userSplitCounts(
        stats, input.ratios(), o.ratioTolerance(), input.minInteractions());
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
