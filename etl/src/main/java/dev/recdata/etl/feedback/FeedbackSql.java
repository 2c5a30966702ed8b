package dev.recdata.etl.feedback;

/**
 * The SQL an extract sends, built from validated identifiers. Every statement restricts rows with
 * the same row-value comparisons on {@code (ts, id)}, which PostgreSQL answers from a btree index
 * on {@code (created_at, id)} when there is one.
 */
final class FeedbackSql {
  /**
   * Columns of the slice subquery Spark reads; fixed names so the Spark side does not depend on
   * options.
   */
  static final String ID = "feedback_id";

  static final String USER = "feedback_user";
  static final String LIKE = "feedback_like";
  static final String OTHERS = "feedback_others";
  static final String TS = "feedback_ts";

  private final FeedbackOptions options;
  private final boolean tsHasZone;

  /**
   * @param tsHasZone whether the timestamp column is {@code timestamptz}; a {@code timestamp}
   *     column is read as UTC wall-clock time
   */
  FeedbackSql(FeedbackOptions options, boolean tsHasZone) {
    this.options = options;
    this.tsHasZone = tsHasZone;
  }

  /** Zero rows, every column: what the table looks like. */
  static String probe(FeedbackOptions options) {
    return "SELECT * FROM " + options.table() + " LIMIT 0";
  }

  /** The timestamp as a {@code timestamptz}. */
  String ts() {
    return tsHasZone ? options.tsCol() : "(" + options.tsCol() + " AT TIME ZONE 'UTC')";
  }

  private String key() {
    return "(" + ts() + ", " + options.idCol() + ")";
  }

  private String range(Watermark after, Watermark upTo) {
    String lower = after == null ? "TRUE" : key() + " > " + after.sqlRow();
    return lower + " AND " + key() + " <= " + upTo.sqlRow();
  }

  /**
   * The newest (ts, id) after {@code after} that is at least the lag old. Bounding by {@code now()}
   * also keeps a row stamped in the future by a skewed client from pushing the watermark past rows
   * still to come.
   */
  String upperBound(Watermark after) {
    String lower = after == null ? "" : key() + " > " + after.sqlRow() + " AND ";
    return "SELECT "
        + ts()
        + ", "
        + options.idCol()
        + " FROM "
        + options.table()
        + " WHERE "
        + lower
        + ts()
        + " <= now() - "
        + options.lagSeconds()
        + " * interval '1 second'"
        + " ORDER BY "
        + options.tsCol()
        + " DESC, "
        + options.idCol()
        + " DESC LIMIT 1";
  }

  /** Row count and id range of the slice: the id range sets Spark's partition strides. */
  String sliceStats(Watermark after, Watermark upTo) {
    return "SELECT count(*), min("
        + options.idCol()
        + "), max("
        + options.idCol()
        + ") FROM "
        + options.table()
        + " WHERE "
        + range(after, upTo);
  }

  /**
   * The slice as a Spark {@code dbtable} subquery, with types normalised to bigint and timestamptz.
   */
  String slice(Watermark after, Watermark upTo) {
    return "(SELECT "
        + options.idCol()
        + "::bigint AS "
        + ID
        + ", "
        + options.userCol()
        + "::bigint AS "
        + USER
        + ", "
        + options.likeCol()
        + "::bigint AS "
        + LIKE
        + ", "
        + options.othersCol()
        + "::bigint[] AS "
        + OTHERS
        + ", "
        + ts()
        + " AS "
        + TS
        + " FROM "
        + options.table()
        + " WHERE "
        + range(after, upTo)
        + ") AS feedback_slice";
  }
}
