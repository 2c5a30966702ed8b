package dev.recdata.splits;

import dev.recdata.common.Preflight;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.etl.read.FileReadCliOptions;
import dev.recdata.etl.read.FileReadOptions;
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
              + " interactions, or any layout etl reads (then etl runs in memory first: --format and the"
              + " column mapping as for etl, its default cleaning, rejects kept in OUT/rejects/).")
  String input;

  @Option(names = "--out", required = true, description = "Output folder (replaced atomically).")
  String out;

  @Mixin SplitCliOptions split;

  /** Raw files are read as etl reads them (the split runs etl in memory first). */
  @Mixin FileReadCliOptions raw;

  @Mixin ConfigFileOption config;

  @Override
  public Integer call() {
    SplitOptions options = options();
    FileReadOptions rawRead = raw.options();
    SparkSession session = SparkSessions.getOrCreate("recdata split", spark.master);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--input", input);
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", out);
    // before the input is read: a one-off split of raw files runs etl in memory first
    dev.recdata.common.AtomicOutput.checkTarget(
        session.sparkContext().hadoopConfiguration(), out, SplitOutput.OWNER);
    SplitInputReader.SplitInput in = SplitInputReader.read(session, input, rawRead);
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

  SplitOptions options() {
    return split.options();
  }
}
