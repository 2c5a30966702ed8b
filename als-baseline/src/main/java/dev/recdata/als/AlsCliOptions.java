package dev.recdata.als;

import dev.recdata.common.cli.CliValues;
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
      defaultValue = "explicit",
      description =
          "explicit (rating values) or implicit (likes and ratings >= --positive-threshold). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--rank",
      defaultValue = "10",
      description = "Latent factors (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(
      names = "--max-iter",
      defaultValue = "10",
      description = "ALS iterations (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(
      names = "--reg-param",
      defaultValue = "0.1",
      description = "L2 regularization (default: ${DEFAULT-VALUE}).")
  double regParam;

  @Option(
      names = "--alpha",
      defaultValue = "1.0",
      description = "Implicit confidence weight: c = 1 + alpha * r (default: ${DEFAULT-VALUE}).")
  double alpha;

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
      description =
          "Grid, e.g. \"rank=16,32,64;regParam=0.01,0.05,0.1;alpha=1,10,40\" (rank, maxIter, regParam, alpha).")
  String grid;

  @Option(
      names = "--refit-on-train-val",
      description = "Refit the chosen model on train + validation before scoring on test.")
  boolean refitOnTrainVal;

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

  public AlsOptions options() {
    return new AlsOptions(
        CliValues.enumValue("--mode", mode, AlsOptions.Mode.class),
        rank,
        maxIter,
        regParam,
        alpha,
        nonnegative,
        seed.seed,
        blocks,
        positiveThreshold.positiveThreshold,
        k,
        selectBy,
        Grid.parse(grid),
        refitOnTrainVal,
        centerByBiases,
        biasDamping);
  }
}
