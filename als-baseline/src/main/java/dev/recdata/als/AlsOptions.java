package dev.recdata.als;

import dev.recdata.common.RecdataException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the ALS stage trains, tunes and scores.
 *
 * @param mode EXPLICIT fits rating values (RMSE/MAE plus ranking); IMPLICIT fits likes and ratings
 *     at or above {@code positiveThreshold} as confidences {@code 1 + alpha * strength}
 * @param positiveThreshold a rating at or above it is a positive: an implicit training signal and,
 *     in both modes, a relevant test item for the ranking metrics (default 4.0 on a 1-5 scale)
 * @param k the cut-off of the ranking metrics
 * @param selectBy the validation metric that picks the grid point ({@code rmse}, {@code mae} lower
 *     is better; {@code ndcg@K}, {@code map@K}, ... higher is better)
 * @param centerByBiases explicit mode only: fit ALS to the residual of a damped bias model (global
 *     mean + user and item biases) and add the biases back when predicting
 * @param biasDamping the shrinkage of the bias model: a bias is a sum of residuals over (count +
 *     damping)
 */
public record AlsOptions(
    Mode mode,
    int rank,
    int maxIter,
    double regParam,
    double alpha,
    boolean nonnegative,
    long seed,
    int blocks,
    float positiveThreshold,
    int k,
    String selectBy,
    Grid grid,
    boolean refitOnTrainVal,
    boolean centerByBiases,
    double biasDamping,
    Protocol protocol) {

  public enum Mode {
    EXPLICIT,
    IMPLICIT
  }

  /** What implicit ALS trains on. */
  public enum Signal {
    /** Likes and ratings at or above the threshold; everything else is unobserved. */
    POSITIVES,
    /**
     * Every like and every rating, with the rating as confidence: a watched-and-rated-low film
     * still says the user chose to watch it, which is most of what predicts the next one.
     */
    RATINGS
  }

  /** How the grid is chosen. */
  public enum Tune {
    /** The options as given, one point. */
    OFF,
    /** A built-in search space (see {@link AutoTuning}), under the budget. */
    AUTO,
    /** The grid given with --tune/--grid, under the budget. */
    GRID
  }

  /** What ships when ALS loses to a baseline on validation. */
  public enum ServeFallback {
    /** The best baseline's recommendations, with a loud warning. */
    POPULAR,
    /** ALS's recommendations anyway. */
    NONE
  }

  /**
   * How a model is chosen, scored and shipped, beyond ALS's own parameters.
   *
   * @param signal implicit mode: positives only, or every rating with its value as confidence
   * @param tune how the grid is chosen
   * @param tuneBudget wall-clock time after which no new grid point starts (the first one always
   *     runs to the end); null for no limit
   * @param refitOnAll after the test score is recorded, refit the served model with the selected
   *     settings on all of the split's rows (train + validation + test)
   * @param recentDays the recently-popular baseline counts the last this many days before the
   *     training cutoff
   * @param serveFallback what ships when ALS loses to the best baseline on validation
   * @param pinned the ALS parameters the user gave ({@code rank}, {@code regParam}, ...): {@code
   *     --tune auto} searches only the others
   * @param globalTimeCheck also score the selected settings under one global time cutoff (one more
   *     fit), so a user sees both protocols
   * @param tuneSampleRows tune on a seeded sample of users when the train part holds more rows than
   *     this (0: never); the selected settings are still refit and scored on all rows
   */
  public record Protocol(
      Signal signal,
      Tune tune,
      java.time.Duration tuneBudget,
      boolean refitOnAll,
      int recentDays,
      ServeFallback serveFallback,
      java.util.Set<String> pinned,
      boolean globalTimeCheck,
      long tuneSampleRows) {
    /**
     * Above this many training rows tuning, the verdict and the global-time comparison run on a
     * seeded sample of users holding about this many (see {@link TuningSample}); 0 never samples.
     * 250,000 (about 2,000 users of ML-1M-like data, twice ML-100K's): on generated 1M-row data of
     * two shapes (MovieLens 25M's, 154 rows per user, and ML-1M's, 166 per user) the search
     * selected the same point on the sample as on all 700,000 train rows, in a half to a third of
     * the search time.
     */
    public static final long DEFAULT_TUNE_SAMPLE_ROWS = 250_000;

    public Protocol {
      // sorted: Set.copyOf iterates in an order salted per JVM, and params.json lists this set, so
      // two runs with the same options wrote it in different orders
      pinned =
          java.util.Collections.unmodifiableSortedSet(
              new java.util.TreeSet<>(pinned == null ? java.util.Set.of() : pinned));
      signal = signal == null ? Signal.RATINGS : signal;
      tune = tune == null ? Tune.OFF : tune;
      serveFallback = serveFallback == null ? ServeFallback.POPULAR : serveFallback;
      RecdataException.checkInput(
          tuneBudget == null || !tuneBudget.isNegative(), "--tune-budget must not be negative");
      RecdataException.checkInput(
          recentDays >= 1, "--recent-days %d must be at least 1", recentDays);
      RecdataException.checkInput(
          tuneSampleRows >= 0,
          "--tune-sample-rows %d must be 0 (never sample) or more",
          tuneSampleRows);
    }

    /** The defaults of {@code recdata als} and the pipeline. */
    public static Protocol defaults() {
      return new Protocol(
          Signal.RATINGS,
          Tune.AUTO,
          java.time.Duration.ofMinutes(10),
          true,
          30,
          ServeFallback.POPULAR,
          java.util.Set.of(),
          true,
          DEFAULT_TUNE_SAMPLE_ROWS);
    }

    /**
     * As before tuning and the final refit existed: the options as given, the held-out model
     * served.
     */
    public static Protocol asGiven() {
      return new Protocol(
          Signal.RATINGS,
          Tune.OFF,
          null,
          false,
          30,
          ServeFallback.NONE,
          java.util.Set.of(),
          false,
          0);
    }

    public Protocol withTune(Tune newTune, java.time.Duration budget) {
      return new Protocol(
          signal,
          newTune,
          budget,
          refitOnAll,
          recentDays,
          serveFallback,
          pinned,
          globalTimeCheck,
          tuneSampleRows);
    }

    public Protocol withRefitOnAll(boolean refit) {
      return new Protocol(
          signal,
          tune,
          tuneBudget,
          refit,
          recentDays,
          serveFallback,
          pinned,
          globalTimeCheck,
          tuneSampleRows);
    }

    public Protocol withServeFallback(ServeFallback fallback) {
      return new Protocol(
          signal,
          tune,
          tuneBudget,
          refitOnAll,
          recentDays,
          fallback,
          pinned,
          globalTimeCheck,
          tuneSampleRows);
    }

    public Protocol withTuneSampleRows(long rows) {
      return new Protocol(
          signal,
          tune,
          tuneBudget,
          refitOnAll,
          recentDays,
          serveFallback,
          pinned,
          globalTimeCheck,
          rows);
    }

    public Protocol withSignal(Signal newSignal) {
      return new Protocol(
          newSignal,
          tune,
          tuneBudget,
          refitOnAll,
          recentDays,
          serveFallback,
          pinned,
          globalTimeCheck,
          tuneSampleRows);
    }
  }

  /**
   * The options as given, without the protocol: tuned only by an explicit grid, nothing refit on
   * all.
   */
  public AlsOptions(
      Mode mode,
      int rank,
      int maxIter,
      double regParam,
      double alpha,
      boolean nonnegative,
      long seed,
      int blocks,
      float positiveThreshold,
      int k,
      String selectBy,
      Grid grid,
      boolean refitOnTrainVal,
      boolean centerByBiases,
      double biasDamping) {
    this(
        mode,
        rank,
        maxIter,
        regParam,
        alpha,
        nonnegative,
        seed,
        blocks,
        positiveThreshold,
        k,
        selectBy,
        grid,
        refitOnTrainVal,
        centerByBiases,
        biasDamping,
        Protocol.asGiven()
            .withTune(grid == null || grid.values().isEmpty() ? Tune.OFF : Tune.GRID, null));
  }

  public AlsOptions {
    RecdataException.checkInput(mode != null, "--mode is required: explicit or implicit");
    RecdataException.checkInput(rank >= 1, "--rank %d must be at least 1", rank);
    RecdataException.checkInput(maxIter >= 1, "--max-iter %d must be at least 1", maxIter);
    RecdataException.checkInput(regParam >= 0, "--reg-param %s must be >= 0", regParam);
    RecdataException.checkInput(alpha >= 0, "--alpha %s must be >= 0", alpha);
    RecdataException.checkInput(blocks >= 1, "--blocks %d must be at least 1", blocks);
    RecdataException.checkInput(k >= 1, "--k %d must be at least 1", k);
    RecdataException.checkInput(biasDamping >= 0, "--bias-damping %s must be >= 0", biasDamping);
    RecdataException.checkInput(
        Float.isFinite(positiveThreshold), "--positive-threshold must be a number");
    grid = grid == null ? Grid.empty() : grid;
    String defaultMetric = mode == Mode.EXPLICIT ? "rmse" : "ndcg@" + k;
    selectBy =
        selectBy == null || selectBy.isBlank()
            ? defaultMetric
            : selectBy.trim().toLowerCase(Locale.ROOT);
    List<String> selectable = selectableMetrics(mode, k);
    RecdataException.checkInput(
        selectable.contains(selectBy),
        "--select-by %s is not available in %s mode with k=%d; expected one of %s",
        selectBy,
        mode.name().toLowerCase(Locale.ROOT),
        k,
        selectable);
    centerByBiases = centerByBiases && mode == Mode.EXPLICIT;
    protocol = protocol == null ? Protocol.asGiven() : protocol;
  }

  /**
   * Defaults for a mode as given (no tuning, no final refit): rank 10, 10 iterations, regParam 0.1,
   * alpha 1, K 10, seed 42, threshold 4.
   */
  public static AlsOptions defaults(Mode mode) {
    return new AlsOptions(
        mode,
        10,
        10,
        0.1,
        1.0,
        false,
        42L,
        4,
        4.0f,
        10,
        null,
        Grid.empty(),
        false,
        mode == Mode.EXPLICIT,
        5.0);
  }

  /**
   * What {@code recdata als} and the pipeline run with no option: implicit ALS, every rating as
   * confidence, auto-tuned within 10 minutes, refit on train + validation for the test score and on
   * everything for serving, the popularity fallback.
   */
  public static AlsOptions commandDefaults() {
    return new AlsOptions(
        Mode.IMPLICIT,
        10,
        10,
        0.1,
        1.0,
        false,
        42L,
        4,
        4.0f,
        10,
        null,
        Grid.empty(),
        true,
        true,
        5.0,
        Protocol.defaults());
  }

  public static List<String> selectableMetrics(Mode mode, int k) {
    List<String> ranking =
        List.of("precision@" + k, "recall@" + k, "ndcg@" + k, "map@" + k, "mrr", "hit_rate@" + k);
    if (mode == Mode.IMPLICIT) {
      return ranking;
    }
    List<String> all = new java.util.ArrayList<>(List.of("rmse", "mae"));
    all.addAll(ranking);
    return List.copyOf(all);
  }

  /** True when a smaller value of the metric is better. */
  public static boolean lowerIsBetter(String metric) {
    return metric.equals("rmse") || metric.equals("mae");
  }

  /** These options with a grid point's values applied. */
  public AlsOptions at(Map<String, Double> point) {
    return new AlsOptions(
        mode,
        point.containsKey("rank") ? point.get("rank").intValue() : rank,
        point.containsKey("maxIter") ? point.get("maxIter").intValue() : maxIter,
        point.getOrDefault("regParam", regParam),
        point.getOrDefault("alpha", alpha),
        nonnegative,
        seed,
        blocks,
        positiveThreshold,
        k,
        selectBy,
        grid,
        refitOnTrainVal,
        centerByBiases,
        biasDamping,
        protocol);
  }

  public AlsOptions withGrid(Grid newGrid) {
    return new AlsOptions(
        mode,
        rank,
        maxIter,
        regParam,
        alpha,
        nonnegative,
        seed,
        blocks,
        positiveThreshold,
        k,
        selectBy,
        newGrid,
        refitOnTrainVal,
        centerByBiases,
        biasDamping,
        protocol.withTune(
            newGrid.values().isEmpty() ? Tune.OFF : Tune.GRID, protocol.tuneBudget()));
  }

  public AlsOptions withProtocol(Protocol newProtocol) {
    return new AlsOptions(
        mode,
        rank,
        maxIter,
        regParam,
        alpha,
        nonnegative,
        seed,
        blocks,
        positiveThreshold,
        k,
        selectBy,
        grid,
        refitOnTrainVal,
        centerByBiases,
        biasDamping,
        newProtocol);
  }
}
