package dev.recdata.etl;

import dev.recdata.common.Preflight;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.etl.feedback.FeedbackExtractor;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recdata etl}: MovieLens files, interaction files and PostgreSQL feedback into one
 * canonical dataset.
 */
@Command(
    name = "etl",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Extract MovieLens (100K, 1M, 10M, 20M, 25M, 32M, latest), interaction CSV/Parquet files and application"
          + " feedback from PostgreSQL; clean, deduplicate, sort by time, reindex ids and write a canonical Parquet"
          + " dataset with rejects and a manifest.",
      "Output: DIR/interactions, items, users, id_maps/{users,items}, rejects, feedback_history, manifest.json."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:internal error", "2:bad input or options (see the message)"})
public final class EtlCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;

  @Option(
      names = "--out",
      required = true,
      description = "Output folder (replaced atomically on success).")
  String out;

  @Mixin EtlCliOptions etl;
  @Mixin ConfigFileOption config;

  @Override
  public Integer call() {
    EtlOptions options = options();
    if (options.feedback() != null) {
      FeedbackExtractor.preflight(options.feedback());
    }
    SparkSession session = SparkSessions.getOrCreate("recdata etl", spark.master);
    Preflight.paths(session.sparkContext().hadoopConfiguration(), "--input", options.inputs());
    Preflight.path(session.sparkContext().hadoopConfiguration(), "--out", options.out());
    EtlJob.run(session, options);
    return 0;
  }

  EtlOptions options() {
    return etl.options(etl.inputs, jdbc.target(), out, null);
  }
}
