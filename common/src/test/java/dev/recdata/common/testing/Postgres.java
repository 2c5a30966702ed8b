package dev.recdata.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL the tests use (127.0.0.1:5432, trust auth, user postgres, database test).
 * With {@code CI=true} a missing server fails the test loudly; elsewhere the test is skipped with a
 * clear message.
 */
public final class Postgres {
  private Postgres() {}

  public static final String URL =
      System.getProperty("recdata.test.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String USER = "postgres";

  /** Connects, or fails (CI) / skips (elsewhere) when no server answers. */
  public static Connection connect() {
    try {
      return DriverManager.getConnection(URL, USER, null);
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message + "; CI=true requires it", e);
      }
      Assumptions.abort(message + "; start it to run this test");
      throw new IllegalStateException("unreachable");
    }
  }

  /** Creates a fresh schema with a unique name; drop it with {@link #dropSchema}. */
  public static String createSchema(String prefix) {
    String schema =
        (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  public static void dropSchema(String schema) {
    if (schema != null) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  public static void execute(String sql) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("SQL failed: " + sql + ": " + e.getMessage(), e);
    }
  }
}
