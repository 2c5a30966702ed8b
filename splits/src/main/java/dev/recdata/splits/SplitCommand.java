package dev.recdata.splits;

import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.SparkOptions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Parses {@code recdata split} options, builds {@link SplitOptions} and runs {@link SplitJob}. */
@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    description = {
      "Splits the canonical interactions written by etl into train/validation/test (or k folds).",
      "Impressions are left out of every split (counted in the manifest). Output:"
          + " OUT/{train,validation,test} or OUT/fold=i/{train,test}, OUT/manifest.json;"
          + " committed all at once."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Success",
      "1:Internal error",
      "2:Usage error or bad input (the message names it)"
    })
public final class SplitCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      description =
          "An etl output folder (with interactions/ and manifest.json), a Parquet folder of"
              + " interactions, or any layout etl reads (then etl runs in memory first, with its defaults).")
  String input;

  @Option(names = "--out", required = true, description = "Output folder (replaced atomically).")
  String out;

  @Option(
      names = "--strategy",
      defaultValue = "user-ratio",
      description =
          "user-ratio, leave-last, global-time, user-random or kfold (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = "--ratios",
      description =
          "train,validation,test or train,test fractions summing to 1 (default 0.7,0.2,0.1) for"
              + " user-ratio, user-random and global-time.")
  String ratios;

  @Option(
      names = "--k",
      defaultValue = "1",
      description = "leave-last: events per user in test and in validation.")
  int k;

  @Option(
      names = "--cutoffs",
      description =
          "global-time: one or two ISO instants, e.g. 2019-01-01T00:00:00Z,2019-07-01T00:00:00Z.")
  String cutoffs;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "user-random and kfold seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description = "kfold: number of folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--min-interactions",
      defaultValue = "1",
      description = "Users with fewer events go wholly to train (default: ${DEFAULT-VALUE}).")
  int minInteractions;

  @Option(
      names = "--group-by",
      defaultValue = "user",
      description = "user, or item to stratify per item (default: ${DEFAULT-VALUE}).")
  String groupBy;

  @Option(
      names = "--text-format",
      description =
          "sequences: also write sequences/<split>.txt with 1-based 'user item' lines.")
  String textFormat;

  @Override
  public Integer call() {
    SplitOptions options = options();
    SparkSession session = SparkSessions.getOrCreate("recdata split", spark.master);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--input", input);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", out);
    // before the input is read: a one-off split of raw files runs etl in memory first
    dev.recdata.common.AtomicOutput.checkTarget(session.sparkContext().hadoopConfiguration(), out, SplitOutput.OWNER);
    SplitInputReader.SplitInput in = SplitInputReader.read(session, input);
    SplitSummary summary = SplitJob.run(session, in, options, out);
    spec.commandLine()
        .getOut()
        .printf(
            "split %s: %s; %s -> %s%n",
            options.strategy().cliName(),
            summary.rowsLine(),
            summary.groupsLine(options.minInteractions()),
            out);
    return 0;
  }

  /**
   * The validated options; every mistake is a {@link RecdataException} naming the option and value.
   */
  SplitOptions options() {
    RecdataException.checkInput(
        textFormat == null || textFormat.equals("sequences"),
        "--text-format %s is not known: expected sequences",
        textFormat);
    return new SplitOptions(
        Strategy.fromCli(strategy),
        ratios == null ? null : parseRatios(ratios),
        k,
        cutoffs == null ? List.of() : parseCutoffs(cutoffs),
        seed,
        folds,
        minInteractions,
        GroupBy.fromCli(groupBy),
        textFormat != null);
  }

  static double[] parseRatios(String text) {
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

  static List<Instant> parseCutoffs(String text) {
    List<Instant> instants = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        instants.add(Instant.parse(part.trim()));
      } catch (DateTimeParseException e) {
        throw RecdataException.badInput(
            "--cutoffs %s: '%s' is not an ISO instant such as 2019-01-01T00:00:00Z", text, part);
      }
    }
    return instants;
  }
}
