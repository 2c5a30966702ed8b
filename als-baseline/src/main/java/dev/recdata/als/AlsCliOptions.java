package dev.recdata.als;

import dev.recdata.common.cli.CliValues;
import dev.recdata.common.cli.DatasetNameOption;
import dev.recdata.common.cli.PositiveThresholdOption;
import dev.recdata.common.cli.SeedOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of the ALS stage, included by {@code recdata als} and the pipeline; builds {@link
 * AlsOptions}.
 */
public final class AlsCliOptions {
  // --als-mode is the pipeline's older name, kept so existing command lines and config files still
  // work.
  @Option(
      names = {"--mode", "--als-mode"},
      defaultValue = "implicit",
      description =
          "implicit (ranking: what a user will pick next; the model that ships) or explicit (rating values,"
              + " scored for RMSE/MAE too). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--implicit-signal",
      defaultValue = "ratings",
      description =
          "Implicit mode: ratings (every rating and like, the rating as confidence) or positives (only likes"
              + " and ratings >= --positive-threshold). Default: ${DEFAULT-VALUE}.")
  String implicitSignal;

  @Option(
      names = "--tune",
      defaultValue = "auto",
      description =
          "off (the parameters as given), auto (a built-in search selected on validation by --select-by) or a"
              + " grid such as \"rank=16,32;regParam=0.01,0.1;alpha=1,10\" (rank, maxIter, regParam, alpha)."
              + " Default: ${DEFAULT-VALUE}.")
  String tune;

  @Option(
      names = "--tune-budget",
      defaultValue = "10m",
      description =
          "No new grid point starts after this long (90s, 10m, 1h; none for no limit); the first one always"
              + " finishes. Default: ${DEFAULT-VALUE}.")
  String tuneBudget;

  // No picocli defaults on these four: a value the user gives (or a config file does) pins that
  // parameter, and --tune auto searches only the others.
  @Option(names = "--rank", description = "Latent factors (default: 10, or tuned by --tune auto).")
  Integer rank;

  @Option(
      names = "--max-iter",
      description = "ALS iterations (default: 10; --tune auto does not search them).")
  Integer maxIter;

  @Option(
      names = "--reg-param",
      description = "L2 regularization (default: 0.1, or tuned by --tune auto).")
  Double regParam;

  @Option(
      names = "--alpha",
      description =
          "Implicit confidence weight: c = 1 + alpha * weight (default: 1.0, or tuned by --tune auto).")
  Double alpha;

  @Option(names = "--nonnegative", description = "Non-negative factors.")
  boolean nonnegative;

  @Mixin public SeedOption seed;

  @Option(
      names = "--blocks",
      defaultValue = "4",
      description = "User and item blocks for ALS (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Mixin public PositiveThresholdOption positiveThreshold;

  @Option(
      names = "--k",
      defaultValue = "10",
      description = "Cut-off of the ranking metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--select-by",
      description =
          "Validation metric picking the grid point: rmse, mae, ndcg@K, map@K, precision@K, recall@K, hit_rate@K, mrr (default: rmse explicit, ndcg@K implicit).")
  String selectBy;

  @Option(
      names = "--grid",
      description = "The same as --tune GRID (kept for existing command lines).")
  String grid;

  @Option(
      names = "--refit-on-train-val",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Refit the selected settings on train + validation before scoring on test (the test period"
              + " follows validation). Default: ${DEFAULT-VALUE}.")
  boolean refitOnTrainVal;

  @Option(
      names = "--refit-on-all",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "After the test score is recorded, refit the served model on all rows (train + validation +"
              + " test); metrics always come from the held-out model. Default: ${DEFAULT-VALUE}.")
  boolean refitOnAll;

  @Option(
      names = "--global-time-check",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Also score the selected settings and the popularity baselines under one global time cutoff"
              + " (one more fit; on the --tune-sample-rows sample of users above it), beside the"
              + " split's own protocol. Default: ${DEFAULT-VALUE}.")
  boolean globalTimeCheck;

  @Option(
      names = "--tune-sample-rows",
      defaultValue = "250000",
      description =
          "When the train part holds more rows than this, tuning (each point), the verdict and the"
              + " global-time comparison fit and score on a seeded sample of users holding about"
              + " this many rows (their own rows); the selected settings are refit and scored on"
              + " all rows, and the served model sees every row. 0 never samples. Default:"
              + " ${DEFAULT-VALUE}.")
  long tuneSampleRows;

  @Option(
      names = "--recent-days",
      defaultValue = "30",
      description =
          "The recently-popular baseline counts the last this many days before the training cutoff"
              + " (default: ${DEFAULT-VALUE}).")
  int recentDays;

  @Option(
      names = "--serve-fallback",
      defaultValue = "popular",
      description =
          "popular: when ALS loses to the best baseline on validation, ship that baseline's recommendations"
              + " (and say so); none: ship ALS anyway. Default: ${DEFAULT-VALUE}.")
  String serveFallback;

  @Option(
      names = "--center-by-biases",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Explicit mode: fit ALS to residuals of the bias model (default: ${DEFAULT-VALUE}).")
  boolean centerByBiases;

  @Option(
      names = "--bias-damping",
      defaultValue = "5.0",
      description = "Shrinkage of user and item biases (default: ${DEFAULT-VALUE}).")
  double biasDamping;

  /** --dataset-name, shared with quality: the pipeline gives both stages one name. */
  @Mixin public DatasetNameOption datasetName;

  /** {@code --dataset-name}, or null to derive the name from the split's lineage. */
  public String datasetName() {
    return datasetName == null ? null : datasetName.name;
  }

  public AlsOptions options() {
    boolean gridGiven = grid != null && !grid.isBlank();
    String tuneValue = gridGiven ? grid : tune == null ? "auto" : tune.trim();
    if (gridGiven && tune != null && !tune.isBlank() && !tune.trim().equalsIgnoreCase("auto")) {
      throw dev.recdata.common.RecdataException.badInput(
          "give --tune %s or --grid %s, not both", tune, grid);
    }
    AlsOptions.Tune kind =
        tuneValue.equalsIgnoreCase("off")
            ? AlsOptions.Tune.OFF
            : tuneValue.equalsIgnoreCase("auto") ? AlsOptions.Tune.AUTO : AlsOptions.Tune.GRID;
    java.util.Set<String> pinned = new java.util.TreeSet<>();
    if (rank != null) {
      pinned.add("rank");
    }
    if (maxIter != null) {
      pinned.add("maxIter");
    }
    if (regParam != null) {
      pinned.add("regParam");
    }
    if (alpha != null) {
      pinned.add("alpha");
    }
    AlsOptions.Protocol protocol =
        new AlsOptions.Protocol(
            CliValues.enumValue("--implicit-signal", implicitSignal, AlsOptions.Signal.class),
            kind,
            CliValues.duration("--tune-budget", tuneBudget),
            refitOnAll,
            recentDays,
            CliValues.enumValue("--serve-fallback", serveFallback, AlsOptions.ServeFallback.class),
            pinned,
            globalTimeCheck,
            tuneSampleRows);
    return new AlsOptions(
        CliValues.enumValue("--mode", mode, AlsOptions.Mode.class),
        rank == null ? 10 : rank,
        maxIter == null ? 10 : maxIter,
        regParam == null ? 0.1 : regParam,
        alpha == null ? 1.0 : alpha,
        nonnegative,
        seed.seed,
        blocks,
        positiveThreshold.positiveThreshold,
        k,
        selectBy,
        kind == AlsOptions.Tune.GRID ? Grid.parse(tuneValue) : Grid.empty(),
        refitOnTrainVal,
        centerByBiases,
        biasDamping,
        protocol);
  }
}
