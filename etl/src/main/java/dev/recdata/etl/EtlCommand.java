package dev.recdata.etl;

import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.CliValues;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.clean.DuplicatePolicy;
import dev.recdata.etl.feedback.FeedbackExtractor;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.InputFormat;
import dev.recdata.etl.read.TimestampUnit;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recdata etl}: MovieLens files, interaction files and PostgreSQL feedback into one canonical dataset. */
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
      names = "--input",
      description = "MovieLens folder, ratings file, CSV or Parquet of interactions; a path or URI (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--out", required = true, description = "Output folder (replaced atomically on success).")
  String out;

  @Option(
      names = "--format",
      defaultValue = "auto",
      description = "Input layout: auto (detect), ml-100k, ml-dat (1M/10M), ml-csv (20M/25M/32M/latest), csv, parquet.")
  String format;

  @Option(names = "--user-col", defaultValue = "user_id", description = "csv/parquet: user id column (default: ${DEFAULT-VALUE}).")
  String userCol;

  @Option(names = "--item-col", defaultValue = "item_id", description = "csv/parquet: item id column (default: ${DEFAULT-VALUE}).")
  String itemCol;

  @Option(
      names = "--rating-col",
      defaultValue = "rating",
      description = "csv/parquet: rating column; empty for implicit feedback (default: ${DEFAULT-VALUE}).")
  String ratingCol;

  @Option(names = "--ts-col", defaultValue = "ts", description = "csv/parquet: timestamp column (default: ${DEFAULT-VALUE}).")
  String tsCol;

  @Option(
      names = "--ts-unit",
      defaultValue = "auto",
      description = "csv/parquet: timestamp encoding: auto, seconds, millis, iso (default: ${DEFAULT-VALUE}).")
  String tsUnit;

  @Option(names = "--delimiter", defaultValue = ",", description = "csv: field delimiter (default: '${DEFAULT-VALUE}').")
  String delimiter;

  @Option(names = "--no-header", description = "csv: the files have no header line (columns are _c0, _c1, ...).")
  boolean noHeader;

  @Option(names = "--feedback-table", description = "PostgreSQL table of application feedback (needs --jdbc-url).")
  String feedbackTable;

  @Option(names = "--feedback-id-col", defaultValue = FeedbackOptions.DEFAULT_ID_COL, description = "Unique, increasing row id column (default: ${DEFAULT-VALUE}).")
  String feedbackIdCol;

  @Option(names = "--feedback-user-col", defaultValue = FeedbackOptions.DEFAULT_USER_COL, description = "Default: ${DEFAULT-VALUE}.")
  String feedbackUserCol;

  @Option(names = "--feedback-like-col", defaultValue = FeedbackOptions.DEFAULT_LIKE_COL, description = "Liked item column (default: ${DEFAULT-VALUE}).")
  String feedbackLikeCol;

  @Option(names = "--feedback-others-col", defaultValue = FeedbackOptions.DEFAULT_OTHERS_COL, description = "Array of items shown and not liked (default: ${DEFAULT-VALUE}).")
  String feedbackOthersCol;

  @Option(names = "--feedback-ts-col", defaultValue = FeedbackOptions.DEFAULT_TS_COL, description = "Event time column (default: ${DEFAULT-VALUE}).")
  String feedbackTsCol;

  @Option(names = "--feedback-partitions", defaultValue = "4", description = "Parallel JDBC reads (default: ${DEFAULT-VALUE}).")
  int feedbackPartitions;

  @Option(
      names = "--feedback-lag",
      defaultValue = "0",
      description = "Seconds: only read feedback older than now minus this, so late commits are not skipped (default: ${DEFAULT-VALUE}).")
  long feedbackLagSeconds;

  @Option(names = "--keep-duplicates", defaultValue = "latest", description = "Repeated (user, item, event): latest, first or all (default: ${DEFAULT-VALUE}).")
  String keepDuplicates;

  @Option(names = "--keep-exact-duplicates", description = "Do not remove rows identical in every column.")
  boolean keepExactDuplicates;

  @Option(names = "--positive-threshold", description = "Implicit conversion: ratings >= this become likes, lower ratings are dropped.")
  Float positiveThreshold;

  @Option(names = "--min-user-interactions", defaultValue = "0", description = "k-core: fewest positive interactions per user (default: ${DEFAULT-VALUE}).")
  int minUserInteractions;

  @Option(names = "--min-item-interactions", defaultValue = "0", description = "k-core: fewest positive interactions per item (default: ${DEFAULT-VALUE}).")
  int minItemInteractions;

  @Option(names = "--since", description = "Keep events at or after this instant (ISO-8601, e.g. 2019-01-01T00:00:00Z).")
  String since;

  @Option(names = "--window-days", description = "Keep the last N days, counted back from the newest event.")
  Integer windowDays;

  @Option(names = "--min-ts", description = "Reject events before this instant (default: 1990-01-01T00:00:00Z).")
  String minTs;

  @Option(names = "--max-ts", description = "Reject events after this instant (default: now + 1 day).")
  String maxTs;

  @Option(names = "--max-reject-ratio", defaultValue = "0.01", description = "Fail when more than this share of rows is rejected (default: ${DEFAULT-VALUE}).")
  double maxRejectRatio;

  @Option(names = "--no-checksums", description = "Skip the SHA-256 of each input file in the manifest (saves one read of the input).")
  boolean noChecksums;

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
    ColumnMapping mapping =
        new ColumnMapping(
            userCol, itemCol, ratingCol, tsCol, CliValues.enumValue("--ts-unit", tsUnit, TimestampUnit.class), delimiter, !noHeader);
    FeedbackOptions feedback = null;
    if (feedbackTable != null) {
      RecdataException.checkInput(jdbc.url != null, "--feedback-table %s needs --jdbc-url", feedbackTable);
      feedback =
          new FeedbackOptions(
              jdbc.target(),
              feedbackTable,
              feedbackIdCol,
              feedbackUserCol,
              feedbackLikeCol,
              feedbackOthersCol,
              feedbackTsCol,
              feedbackPartitions,
              feedbackLagSeconds);
    }
    CleaningOptions defaults = CleaningOptions.defaults(Instant.now());
    CleaningOptions cleaning =
        new CleaningOptions(
            !keepExactDuplicates,
            keepDuplicates(),
            positiveThreshold,
            minUserInteractions,
            minItemInteractions,
            instant("--since", since),
            windowDays,
            minTs == null ? defaults.minTs() : instant("--min-ts", minTs),
            maxTs == null ? defaults.maxTs() : instant("--max-ts", maxTs));
    return new EtlOptions(
        inputs,
        CliValues.enumValue("--format", format, InputFormat.class),
        mapping,
        feedback,
        cleaning,
        maxRejectRatio,
        !noChecksums,
        out);
  }

  private DuplicatePolicy keepDuplicates() {
    return switch (keepDuplicates.trim().toLowerCase(Locale.ROOT)) {
      case "latest" -> DuplicatePolicy.KEEP_LATEST;
      case "first" -> DuplicatePolicy.KEEP_FIRST;
      case "all" -> DuplicatePolicy.KEEP_ALL;
      default -> throw RecdataException.badInput(
          "--keep-duplicates %s is not known; expected one of latest, first, all", keepDuplicates);
    };
  }

  static Instant instant(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw RecdataException.badInput("%s %s is not a date: expected ISO-8601 such as 2019-01-01 or 2019-01-01T00:00:00Z", option, value);
      }
    }
  }
}
