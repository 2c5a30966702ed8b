package dev.recdata.export.serve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.export.serve.ServeRequests.Feedback;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Writes {@code /feedback} rows into the table etl's feedback reader extracts ({@code
 * etl/.../FeedbackExtractor}, README "recdata etl"): {@code (id bigserial, user_id bigint,
 * like_item bigint, other_items bigint[], created_at timestamptz DEFAULT now())}. One row is one
 * INSERT in its own transaction, committed before the call returns; a failure leaves no row.
 * Connections come from a small HikariCP pool (a new PostgreSQL connection per request costs a TCP
 * and authentication round trip per insert; see docs/BENCHMARKS.md).
 */
public final class FeedbackWriter implements AutoCloseable {
  /** A database outage: HTTP 503. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  public static final String DEFAULT_TABLE = "public.feedback";
  private static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";
  private static final Pattern TABLE = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")?");

  private final JdbcTarget target;
  private final String table;
  private final HikariDataSource pool;
  private final String insert;
  private volatile boolean tableReady;

  /**
   * @param poolSize connections kept open at most
   * @param timeoutMillis how long a request waits for a connection before it is answered 503
   */
  public FeedbackWriter(JdbcTarget target, String table, int poolSize, long timeoutMillis) {
    RecdataException.checkInput(
        table != null && TABLE.matcher(table).matches(),
        "--feedback-table %s is not usable: expected TABLE or SCHEMA.TABLE in lower-case letters, digits and _",
        table);
    RecdataException.checkInput(poolSize >= 1, "--pool-size %d must be at least 1", poolSize);
    this.target = target;
    this.table = table;
    this.insert = "INSERT INTO " + table + " (user_id, like_item, other_items) VALUES (?, ?, ?)";
    HikariConfig config = new HikariConfig();
    config.setPoolName("recdata-feedback");
    config.setJdbcUrl(target.url());
    config.setDataSourceProperties(target.properties());
    config.getDataSourceProperties().remove("driver");
    config.setDriverClassName("org.postgresql.Driver");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Math.max(250, timeoutMillis));
    config.setValidationTimeout(Math.max(250, Math.min(timeoutMillis, 5000)));
    config.setAutoCommit(true);
    // Start even while the database is down: recommendations do not need it, and feedback answers
    // 503 until it is back.
    config.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(config);
  }

  public String table() {
    return table;
  }

  /** Inserts one row (its own transaction, committed on return); returns the rows written (1). */
  public int write(Feedback feedback) {
    try (Connection connection = pool.getConnection()) {
      ensureTable(connection);
      try (PreparedStatement statement = connection.prepareStatement(insert)) {
        Long[] others = new Long[feedback.otherItems().length];
        for (int i = 0; i < others.length; i++) {
          others[i] = feedback.otherItems()[i];
        }
        Array array = connection.createArrayOf("bigint", others);
        statement.setLong(1, feedback.userId());
        statement.setLong(2, feedback.likeItem());
        statement.setArray(3, array);
        return statement.executeUpdate();
      }
    } catch (SQLException e) {
      throw new Unavailable(
          "feedback not written: PostgreSQL at "
              + target.redactedUrl()
              + " unavailable ("
              + target.safeMessage(e).lines().findFirst().orElse("")
              + ")");
    }
  }

  /**
   * Creates the schema, table and index if missing (once per process; idempotent, so a race is
   * harmless).
   */
  private void ensureTable(Connection connection) throws SQLException {
    if (tableReady) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      int dot = table.indexOf('.');
      if (dot > 0) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + table.substring(0, dot));
      }
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (id bigserial PRIMARY KEY, user_id bigint NOT NULL,"
              + " like_item bigint, other_items bigint[], created_at timestamptz NOT NULL DEFAULT now())");
      String indexName = table.substring(dot + 1) + "_created_at_id_idx";
      s.execute("CREATE INDEX IF NOT EXISTS " + indexName + " ON " + table + " (created_at, id)");
    }
    tableReady = true;
  }

  @Override
  public void close() {
    pool.close();
  }
}
