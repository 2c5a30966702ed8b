package dev.recdata.als;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.SparkOptions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recdata als}: parses options and runs {@link AlsJob}. */
@Command(
    name = "als",
    mixinStandardHelpOptions = true,
    description = {
      "Tunes Spark ALS on a split's validation set (or across k folds), scores it on test against most-popular,"
          + " random and bias baselines, and writes OUT/{model,metrics.json,params.json}."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage error or bad input (missing split, bad option, unreachable database)"
    })
public final class AlsCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Split folder written by split (holds manifest.json and train/ or fold=i/).")
  String input;

  @Option(names = "--out", required = true, description = "Output folder: the model and reports go into OUT itself (replaced atomically).")
  String out;

  @Option(names = "--mode", defaultValue = "explicit", description = "explicit (rating values) or implicit (likes and ratings >= --positive-threshold). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--rank", defaultValue = "10", description = "Latent factors (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--max-iter", defaultValue = "10", description = "ALS iterations (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(names = "--reg-param", defaultValue = "0.1", description = "L2 regularization (default: ${DEFAULT-VALUE}).")
  double regParam;

  @Option(names = "--alpha", defaultValue = "1.0", description = "Implicit confidence weight: c = 1 + alpha * r (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--nonnegative", description = "Non-negative factors.")
  boolean nonnegative;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for ALS and the random baseline (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--blocks", defaultValue = "4", description = "User and item blocks for ALS (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Option(names = "--positive-threshold", defaultValue = "4.0", description = "A rating >= this is a positive: implicit training signal and relevant test item (default: ${DEFAULT-VALUE}).")
  float positiveThreshold;

  @Option(names = "--k", defaultValue = "10", description = "Cut-off of the ranking metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--select-by", description = "Validation metric picking the grid point: rmse, mae, ndcg@K, map@K, precision@K, recall@K, hit_rate@K, mrr (default: rmse explicit, ndcg@K implicit).")
  String selectBy;

  @Option(names = "--grid", description = "Grid, e.g. \"rank=16,32,64;regParam=0.01,0.05,0.1;alpha=1,10,40\" (rank, maxIter, regParam, alpha).")
  String grid;

  @Option(names = "--refit-on-train-val", description = "Refit the chosen model on train + validation before scoring on test.")
  boolean refitOnTrainVal;

  @Option(names = "--center-by-biases", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Explicit mode: fit ALS to residuals of the bias model (default: ${DEFAULT-VALUE}).")
  boolean centerByBiases;

  @Option(names = "--bias-damping", defaultValue = "5.0", description = "Shrinkage of user and item biases (default: ${DEFAULT-VALUE}).")
  double biasDamping;

  @Option(names = "--jdbc-schema", defaultValue = MetricsTableWriter.DEFAULT_SCHEMA, description = "Schema of model_runs and model_metrics (default: ${DEFAULT-VALUE}).")
  String jdbcSchema;

  AlsOptions options() {
    AlsOptions.Mode parsedMode;
    try {
      parsedMode = AlsOptions.Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RecdataException.badInput("--mode %s is not supported: expected explicit or implicit", mode);
    }
    return new AlsOptions(parsedMode, rank, maxIter, regParam, alpha, nonnegative, seed, blocks, positiveThreshold, k,
        selectBy, Grid.parse(grid), refitOnTrainVal, centerByBiases, biasDamping);
  }

  @Override
  public Integer call() {
    AlsOptions o = options();
    JdbcTarget target = jdbc.target();
    Preflight.jdbc(target, jdbcSchema, "the model metrics tables");
    SparkSession session = SparkSessions.getOrCreate("recdata als", spark.master);
    if (!spark.verbose) {
      session.sparkContext().setLogLevel("WARN");
    }
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--input", input);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", out);
    AlsReport report = AlsJob.run(session, input, out, o, target, jdbcSchema);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(Locale.ROOT, "als: selected %s by %s%n", Grid.label(report.selectedPoint()), report.selectBy());
    report.test().forEach((model, metrics) -> stdout.printf(Locale.ROOT, "als: test %-13s %s%n", model, format(metrics)));
    report.improvementOverBaselines().forEach((baseline, lifts) -> stdout.printf(Locale.ROOT, "als: vs %-13s %s%n", baseline, formatPercent(lifts)));
    stdout.printf(Locale.ROOT, "als: wrote %s%n", report.outputDir());
    stdout.flush();
    return 0;
  }

  private static String format(Map<String, Double> metrics) {
    StringBuilder s = new StringBuilder();
    metrics.forEach((m, v) -> s.append(String.format(Locale.ROOT, "%s=%.4f ", m, v)));
    return s.toString().trim();
  }

  private static String formatPercent(Map<String, Double> lifts) {
    StringBuilder s = new StringBuilder();
    lifts.forEach((m, v) -> s.append(String.format(Locale.ROOT, "%s %+.1f%% ", m, 100 * v)));
    return s.toString().trim();
  }
}
