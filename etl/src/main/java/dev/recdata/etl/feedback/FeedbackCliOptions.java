package dev.recdata.etl.feedback;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import picocli.CommandLine.Option;

/** The PostgreSQL feedback source of etl, for {@code recdata etl} and the pipeline alike. */
public final class FeedbackCliOptions {
  @Option(
      names = "--feedback-table",
      description =
          "PostgreSQL table of application feedback (needs --jdbc-url); each run reads only rows newer than the"
              + " previous run's watermark.")
  public String table;

  @Option(
      names = "--feedback-id-col",
      defaultValue = FeedbackOptions.DEFAULT_ID_COL,
      description = "Unique, increasing row id column (default: ${DEFAULT-VALUE}).")
  String idCol;

  @Option(
      names = "--feedback-user-col",
      defaultValue = FeedbackOptions.DEFAULT_USER_COL,
      description = "User id column (default: ${DEFAULT-VALUE}).")
  String userCol;

  @Option(
      names = "--feedback-like-col",
      defaultValue = FeedbackOptions.DEFAULT_LIKE_COL,
      description = "Liked item column (default: ${DEFAULT-VALUE}).")
  String likeCol;

  @Option(
      names = "--feedback-others-col",
      defaultValue = FeedbackOptions.DEFAULT_OTHERS_COL,
      description = "Array of items shown and not liked (default: ${DEFAULT-VALUE}).")
  String othersCol;

  @Option(
      names = "--feedback-ts-col",
      defaultValue = FeedbackOptions.DEFAULT_TS_COL,
      description = "Event time column (default: ${DEFAULT-VALUE}).")
  String tsCol;

  @Option(
      names = "--feedback-partitions",
      defaultValue = "4",
      description = "Parallel JDBC reads (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--feedback-lag",
      defaultValue = "0",
      description =
          "Seconds: only read feedback older than now minus this, so late commits are not skipped (default: ${DEFAULT-VALUE}).")
  long lagSeconds;

  /** The feedback source, or null without --feedback-table. */
  public FeedbackOptions options(JdbcTarget jdbc) {
    if (table == null) {
      return null;
    }
    RecdataException.checkInput(jdbc != null, "--feedback-table %s needs --jdbc-url", table);
    return new FeedbackOptions(
        jdbc, table, idCol, userCol, likeCol, othersCol, tsCol, partitions, lagSeconds);
  }
}
