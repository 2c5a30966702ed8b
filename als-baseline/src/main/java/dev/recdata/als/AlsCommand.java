package dev.recdata.als;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.RunContext;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.JdbcSchemaOption;
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

  @Option(
      names = "--input",
      required = true,
      description = "Split folder written by split (holds manifest.json and train/ or fold=i/).")
  String input;

  @Option(
      names = "--out",
      required = true,
      description =
          "Output folder: the model and reports go into OUT itself (replaced atomically).")
  String out;

  @Mixin AlsCliOptions als;
  @Mixin JdbcSchemaOption jdbcSchema;
  @Mixin ConfigFileOption config;

  AlsOptions options() {
    return als.options();
  }

  @Override
  public Integer call() {
    AlsOptions o = options();
    RunContext context = new RunContext(null, als.datasetName());
    JdbcTarget target = jdbc.target();
    Preflight.jdbc(target, jdbcSchema.name, "the model metrics tables");
    SparkSession session = SparkSessions.getOrCreate("recdata als", spark.master);
    if (!spark.verbose) {
      session.sparkContext().setLogLevel("WARN");
    }
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--input", input);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", out);
    AlsReport report = AlsJob.run(session, input, out, o, target, jdbcSchema.name, context);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        Locale.ROOT,
        "als: selected %s by %s%n",
        Grid.label(report.selectedPoint()),
        report.selectBy());
    report
        .test()
        .forEach(
            (model, metrics) ->
                stdout.printf(Locale.ROOT, "als: test %-13s %s%n", model, format(metrics)));
    report
        .improvementOverBaselines()
        .forEach(
            (baseline, lifts) ->
                stdout.printf(Locale.ROOT, "als: vs %-13s %s%n", baseline, formatPercent(lifts)));
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
