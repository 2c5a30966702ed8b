package dev.recdata.splits;

import static dev.recdata.common.RecdataException.checkInput;

import dev.recdata.common.RecdataException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code recdata split} does, validated once here so the job never sees an inconsistent
 * combination.
 *
 * @param strategy how rows are divided
 * @param ratios train/validation/test (or train/test) fractions for user-ratio, user-random and
 *     global-time by quantiles; {@code null} means the default {@code 0.7,0.2,0.1}; must be {@code
 *     null} for leave-last and kfold
 * @param k events per user in test (and again in validation) for leave-last
 * @param cutoffs one or two increasing instants for global-time; empty means "by the ratios' time
 *     quantiles"
 * @param seed seed of the stable hash that orders events for user-random and kfold
 * @param folds number of folds for kfold
 * @param minInteractions groups with fewer positive events than this go wholly to train
 * @param groupBy the key whose events are cut together (user, or item to stratify per item)
 * @param sequences also write SASRec-style {@code user item} text files per split
 */
public record SplitOptions(
    Strategy strategy,
    double[] ratios,
    int k,
    List<Instant> cutoffs,
    long seed,
    int folds,
    int minInteractions,
    GroupBy groupBy,
    boolean sequences)
    implements Serializable {

  static final double[] DEFAULT_RATIOS = {0.7, 0.2, 0.1};

  /** Ratios typed as decimals rarely sum to exactly 1 in binary; this much slack is not a typo. */
  private static final double SUM_TOLERANCE = 1e-6;

  public SplitOptions {
    checkInput(strategy != null, "--strategy is required");
    groupBy = groupBy == null ? GroupBy.USER : groupBy;
    cutoffs = cutoffs == null ? List.of() : List.copyOf(cutoffs);
    boolean byCutoffs = strategy == Strategy.GLOBAL_TIME && !cutoffs.isEmpty();
    if (strategy.usesRatios() && !byCutoffs) {
      ratios = ratios == null ? DEFAULT_RATIOS.clone() : ratios.clone();
      checkRatios(ratios);
    } else {
      checkInput(
          ratios == null,
          "--ratios %s does not apply to %s%s",
          format(ratios),
          strategy.cliName(),
          byCutoffs ? " with --cutoffs: give either --ratios or --cutoffs" : "");
    }
    checkInput(
        cutoffs.isEmpty() || strategy == Strategy.GLOBAL_TIME,
        "--cutoffs apply only to global-time, not to %s",
        strategy.cliName());
    checkInput(
        cutoffs.size() <= 2,
        "--cutoffs %s: expected one (train/test) or two (train/validation/test) instants",
        cutoffs);
    checkInput(
        cutoffs.size() < 2 || cutoffs.get(0).isBefore(cutoffs.get(1)),
        "--cutoffs %s: the validation cutoff must be before the test cutoff",
        cutoffs);
    checkInput(strategy != Strategy.LEAVE_LAST || k >= 1, "--k %d: leave-last needs k >= 1", k);
    checkInput(
        strategy != Strategy.KFOLD || folds >= 2,
        "--folds %d: kfold needs at least 2 folds",
        folds);
    checkInput(minInteractions >= 0, "--min-interactions %d: expected 0 or more", minInteractions);
    // A global cutoff cannot honour per-group rules without putting late events in train.
    checkInput(
        strategy != Strategy.GLOBAL_TIME || groupBy == GroupBy.USER,
        "--group-by item does not apply to global-time (one cutoff for everyone)");
    checkInput(
        strategy != Strategy.GLOBAL_TIME || minInteractions <= 1,
        "--min-interactions %d does not apply to global-time: moving a user's late events to train"
            + " would put evaluation events before training events",
        minInteractions);
    checkInput(
        !(sequences && strategy == Strategy.KFOLD),
        "--text-format sequences is not supported with kfold; use a train/validation/test"
            + " strategy");
  }

  /** Options with the defaults for everything but the strategy. */
  public static SplitOptions of(Strategy strategy) {
    return new SplitOptions(strategy, null, 1, List.of(), 42L, 5, 1, GroupBy.USER, false);
  }

  /** The same options with the ratios replaced; {@code null} clears them. */
  public SplitOptions withRatios(double... newRatios) {
    return new SplitOptions(
        strategy, newRatios, k, cutoffs, seed, folds, minInteractions, groupBy, sequences);
  }

  public SplitOptions withK(int newK) {
    return new SplitOptions(
        strategy, ratios, newK, cutoffs, seed, folds, minInteractions, groupBy, sequences);
  }

  /** Explicit cutoffs for global-time; the ratios are dropped since the cutoffs replace them. */
  public SplitOptions withCutoffs(List<Instant> newCutoffs) {
    return new SplitOptions(
        strategy, null, k, newCutoffs, seed, folds, minInteractions, groupBy, sequences);
  }

  public SplitOptions withSeed(long newSeed) {
    return new SplitOptions(
        strategy, ratios, k, cutoffs, newSeed, folds, minInteractions, groupBy, sequences);
  }

  public SplitOptions withFolds(int newFolds) {
    return new SplitOptions(
        strategy, ratios, k, cutoffs, seed, newFolds, minInteractions, groupBy, sequences);
  }

  public SplitOptions withMinInteractions(int newMin) {
    return new SplitOptions(strategy, ratios, k, cutoffs, seed, folds, newMin, groupBy, sequences);
  }

  public SplitOptions withGroupBy(GroupBy newGroupBy) {
    return new SplitOptions(
        strategy, ratios, k, cutoffs, seed, folds, minInteractions, newGroupBy, sequences);
  }

  public SplitOptions withSequences(boolean newSequences) {
    return new SplitOptions(
        strategy, ratios, k, cutoffs, seed, folds, minInteractions, groupBy, newSequences);
  }

  /** A copy: the record stays immutable even though arrays are not. */
  @Override
  public double[] ratios() {
    return ratios == null ? null : ratios.clone();
  }

  /** True for every strategy with a validation part (three ratios, two cutoffs, leave-last). */
  public boolean hasValidation() {
    return switch (strategy) {
      case LEAVE_LAST -> true;
      case KFOLD -> false;
      case GLOBAL_TIME -> cutoffs.isEmpty() ? ratios.length == 3 : cutoffs.size() == 2;
      default -> ratios.length == 3;
    };
  }

  /**
   * {@code --ratios} as typed ({@code 0.7,0.2,0.1}); the constructor checks the count, range and
   * sum and supplies the default, so this is the one place ratios are read.
   */
  public static double[] parseRatios(String text) {
    String[] parts = text.split(",", -1);
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw RecdataException.badInput("--ratios %s: '%s' is not a number", text, parts[i]);
      }
    }
    return values;
  }

  /** Ratios as the user typed them, e.g. {@code 0.7,0.2,0.1}. */
  static String format(double[] values) {
    if (values == null) {
      return "(none)";
    }
    return Arrays.stream(values).mapToObj(SplitOptions::plain).collect(Collectors.joining(","));
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static void checkRatios(double[] ratios) {
    String given = format(ratios);
    checkInput(
        ratios.length == 2 || ratios.length == 3,
        "ratios %s: expected two (train,test) or three (train,validation,test) fractions",
        given);
    BigDecimal sum = BigDecimal.ZERO;
    for (double ratio : ratios) {
      checkInput(
          Double.isFinite(ratio) && ratio >= 0 && ratio <= 1,
          "ratios %s: each fraction must be between 0 and 1",
          given);
      sum = sum.add(BigDecimal.valueOf(ratio));
    }
    checkInput(ratios[0] > 0, "ratios %s: the train fraction must be above 0", given);
    if (Math.abs(sum.doubleValue() - 1.0) > SUM_TOLERANCE) {
      throw RecdataException.badInput(
          "ratios %s sum to %s; they must sum to 1",
          given, sum.stripTrailingZeros().toPlainString());
    }
  }
}
