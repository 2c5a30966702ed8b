package dev.recdata.etl.feedback;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Preflight;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the feedback rows the serving API wrote since the previous extract, exactly once.
 *
 * <p>The extract first fixes its upper bound: the greatest {@code (created_at, id)} older than
 * {@code now() - lag}, with the slice's row count and id range, in one REPEATABLE READ snapshot.
 * Spark then reads (previous, upper] in {@code partitions} parallel JDBC queries split on the id
 * range. Rows inserted while the extract runs are above the bound and wait for the next extract;
 * rows sharing the watermark's timestamp are told apart by id. So no row is read twice and none is
 * skipped, with one caveat: a transaction that commits after an extract with a {@code created_at}
 * older than that extract's bound (a long transaction, since {@code now()} is its start time, or a
 * client that sets the timestamp) falls below the watermark and is never read. Set {@code
 * lagSeconds} above the longest such delay (e.g. {@code --feedback-lag 60}): rows then become
 * visible to the extract only once they are that old.
 *
 * <p>The timestamp column must be NOT NULL in practice: a row with a null timestamp is outside
 * every watermark range and never read. The returned datasets are lazy and each scans the table
 * when written; both read the same bounded slice, so they agree.
 */
public final class FeedbackExtractor {
  private FeedbackExtractor() {}

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackExtractor.class);

  static final int FETCH_SIZE = 10_000;

  private static final Set<String> INTEGER_TYPES =
      Set.of("int2", "int4", "int8", "smallserial", "serial", "bigserial");
  private static final Set<String> INTEGER_ARRAY_TYPES = Set.of("_int2", "_int4", "_int8");
  private static final Set<String> TIMESTAMP_TYPES = Set.of("timestamptz", "timestamp");

  /**
   * Checks, before any Spark work, that the database answers and the table has the configured
   * columns with usable types; exit code 2 naming the table, URL (redacted) or column otherwise.
   */
  public static void preflight(FeedbackOptions options) {
    try (Connection connection = options.target().connect(Preflight.TIMEOUT_SECONDS)) {
      checkColumns(connection, options);
    } catch (SQLException e) {
      throw RecdataException.badInput(
          "cannot read feedback table %s at %s: %s",
          options.table(), options.target().redactedUrl(), options.target().safeMessage(e));
    }
  }

  /**
   * The rows after {@code previous} (all rows when null), as interactions and rejects, and the next
   * watermark.
   */
  public static FeedbackExtract extract(
      SparkSession spark, FeedbackOptions options, Watermark previous) {
    JdbcTarget target = options.target();
    FeedbackSql sql;
    Watermark next;
    long rows;
    long minId;
    long maxId;
    try (Connection connection = target.connect()) {
      sql = new FeedbackSql(options, checkColumns(connection, options));
      // One snapshot for the bound and the stats, so the count and id range describe exactly that
      // slice.
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        next = upperBound(statement, sql, previous);
        if (next == null) {
          rows = 0;
          minId = 0;
          maxId = 0;
        } else {
          try (ResultSet stats = statement.executeQuery(sql.sliceStats(previous, next))) {
            stats.next();
            rows = stats.getLong(1);
            minId = stats.getLong(2);
            maxId = stats.getLong(3);
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw RecdataException.badInput(
          "cannot read feedback table %s at %s: %s",
          options.table(), target.redactedUrl(), target.safeMessage(e));
    }

    if (next == null) {
      LOG.info("feedback: nothing new in {} after {}", options.table(), previous);
      return new FeedbackExtract(
          spark.createDataFrame(List.of(), Schema.INTERACTIONS),
          spark.createDataFrame(List.of(), Schema.REJECTS),
          0,
          previous,
          previous,
          null);
    }
    LOG.info(
        "feedback: {} rows in {} at {} after {} up to {}, ids {}..{}",
        rows,
        options.table(),
        target.redactedUrl(),
        previous,
        next,
        minId,
        maxId);
    // Persisted: interactions and rejects are both derived from it and written separately; without
    // this the
    // bounded slice would be queried twice (same rows, but twice the load on the database).
    Dataset<Row> feedback =
        read(spark, options, sql.slice(previous, next), minId, maxId)
            .persist(StorageLevel.MEMORY_AND_DISK());
    return new FeedbackExtract(
        FeedbackEvents.interactions(feedback),
        FeedbackEvents.rejects(feedback, options),
        rows,
        previous,
        next,
        feedback);
  }

  private static Watermark upperBound(Statement statement, FeedbackSql sql, Watermark previous)
      throws SQLException {
    try (ResultSet bound = statement.executeQuery(sql.upperBound(previous))) {
      if (!bound.next()) {
        return null;
      }
      return new Watermark(bound.getObject(1, OffsetDateTime.class).toInstant(), bound.getLong(2));
    }
  }

  private static Dataset<Row> read(
      SparkSession spark, FeedbackOptions options, String slice, long minId, long maxId) {
    JdbcTarget target = options.target();
    DataFrameReader reader =
        spark
            .read()
            .format("jdbc")
            .option("url", target.url())
            .option("dbtable", slice)
            .option("fetchsize", FETCH_SIZE);
    target.properties().forEach((key, value) -> reader.option((String) key, (String) value));
    if (options.partitions() > 1 && maxId > minId) {
      // Spark strides [minId, maxId] into equal id ranges; the bounds only place the strides (the
      // first and
      // last partitions are open-ended), every row of the slice is read whatever its id.
      reader
          .option("partitionColumn", FeedbackSql.ID)
          .option("lowerBound", minId)
          .option("upperBound", maxId)
          .option("numPartitions", options.partitions());
    }
    try {
      return reader.load();
    } catch (RuntimeException e) {
      throw RecdataException.badInput(
          "cannot read feedback table %s at %s: %s",
          options.table(), target.redactedUrl(), target.safeMessage(e));
    }
  }

  /**
   * Fails with the columns present when a configured column is missing or has the wrong type.
   *
   * @return whether the timestamp column is {@code timestamptz}
   */
  static boolean checkColumns(Connection connection, FeedbackOptions options) {
    Map<String, String> present = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet probe = statement.executeQuery(FeedbackSql.probe(options))) {
      ResultSetMetaData meta = probe.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        present.put(meta.getColumnName(i), meta.getColumnTypeName(i));
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        throw RecdataException.badInput(
            "feedback table %s does not exist at %s: expected a table with columns %s, %s, %s, %s, %s",
            options.table(),
            options.target().redactedUrl(),
            options.idCol(),
            options.userCol(),
            options.likeCol(),
            options.othersCol(),
            options.tsCol());
      }
      throw RecdataException.badInput(
          "cannot read feedback table %s at %s: %s",
          options.table(), options.target().redactedUrl(), options.target().safeMessage(e));
    }
    expect(options, present, options.idCol(), INTEGER_TYPES, "an integer id");
    expect(options, present, options.userCol(), INTEGER_TYPES, "an integer user id");
    expect(options, present, options.likeCol(), INTEGER_TYPES, "an integer item id");
    expect(
        options, present, options.othersCol(), INTEGER_ARRAY_TYPES, "an array of integer item ids");
    expect(options, present, options.tsCol(), TIMESTAMP_TYPES, "a timestamptz");
    return "timestamptz".equals(present.get(lower(options.tsCol())));
  }

  private static void expect(
      FeedbackOptions options,
      Map<String, String> present,
      String column,
      Set<String> types,
      String expected) {
    // Unquoted identifiers fold to lower case in PostgreSQL, as they will in our queries.
    String type = present.get(lower(column));
    String columns =
        present.entrySet().stream()
            .map(c -> c.getKey() + " " + c.getValue())
            .collect(Collectors.joining(", "));
    RecdataException.checkInput(
        type != null,
        "feedback table %s has no column %s: expected %s; columns present: %s",
        options.table(),
        column,
        expected,
        columns);
    RecdataException.checkInput(
        types.contains(type),
        "feedback table %s column %s has type %s: expected %s (%s); columns present: %s",
        options.table(),
        column,
        type,
        expected,
        String.join(" or ", types.stream().sorted().toList()),
        columns);
  }

  private static String lower(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }
}
