package dev.recdata.etl.feedback;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import java.util.regex.Pattern;

/**
 * Where the serving API's feedback lives and how to read it. Names are plain SQL identifiers
 * (letters, digits, underscore; the table optionally {@code schema.table}): they are spliced into
 * SQL unquoted, so PostgreSQL folds them to lower case, and anything else is refused here rather
 * than risk SQL injection.
 *
 * @param partitions parallel JDBC reads, split on {@code idCol}
 * @param lagSeconds only rows with {@code tsCol <= now() - lag} are read, so a transaction that
 *     commits late with an older timestamp still lands after the watermark (see {@link
 *     FeedbackExtractor})
 */
public record FeedbackOptions(
    JdbcTarget target,
    String table,
    String idCol,
    String userCol,
    String likeCol,
    String othersCol,
    String tsCol,
    int partitions,
    long lagSeconds) {

  public static final String DEFAULT_TABLE = "feedback";
  public static final String DEFAULT_ID_COL = "id";
  public static final String DEFAULT_USER_COL = Schema.USER_ID;
  public static final String DEFAULT_LIKE_COL = "like_item";
  public static final String DEFAULT_OTHERS_COL = "other_items";
  public static final String DEFAULT_TS_COL = "created_at";
  public static final int DEFAULT_PARTITIONS = 4;
  public static final long DEFAULT_LAG_SECONDS = 0;

  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern COLUMN = Pattern.compile(IDENTIFIER);
  private static final Pattern TABLE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")?");

  public FeedbackOptions {
    RecdataException.checkInput(
        target != null, "no JDBC target for the feedback table: expected --jdbc-url");
    RecdataException.checkInput(
        table != null && TABLE.matcher(table).matches(),
        "feedback table %s is not a valid name: expected TABLE or SCHEMA.TABLE of letters, digits and _",
        table);
    checkColumn("id", idCol);
    checkColumn("user", userCol);
    checkColumn("like", likeCol);
    checkColumn("others", othersCol);
    checkColumn("timestamp", tsCol);
    RecdataException.checkInput(
        partitions >= 1, "feedback partitions is %d: expected at least 1", partitions);
    RecdataException.checkInput(
        lagSeconds >= 0, "feedback lag is %d seconds: expected 0 or more", lagSeconds);
  }

  /** The column layout the serving API writes, read with the default parallelism and no lag. */
  public static FeedbackOptions defaults(JdbcTarget target, String table) {
    return new FeedbackOptions(
        target,
        table,
        DEFAULT_ID_COL,
        DEFAULT_USER_COL,
        DEFAULT_LIKE_COL,
        DEFAULT_OTHERS_COL,
        DEFAULT_TS_COL,
        DEFAULT_PARTITIONS,
        DEFAULT_LAG_SECONDS);
  }

  public FeedbackOptions withPartitions(int newPartitions) {
    return new FeedbackOptions(
        target, table, idCol, userCol, likeCol, othersCol, tsCol, newPartitions, lagSeconds);
  }

  public FeedbackOptions withLagSeconds(long newLagSeconds) {
    return new FeedbackOptions(
        target, table, idCol, userCol, likeCol, othersCol, tsCol, partitions, newLagSeconds);
  }

  private static void checkColumn(String role, String name) {
    RecdataException.checkInput(
        name != null && COLUMN.matcher(name).matches(),
        "feedback %s column %s is not a valid name: expected letters, digits and _",
        role,
        name);
  }
}
