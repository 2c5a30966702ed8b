package dev.recdata.common;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks, before the first Spark job, that the external systems a run will need answer: PostgreSQL
 * (and that the target schema can be created and used) and the file systems of the input and output
 * paths (s3a buckets above all). A run that would fail at its last step on an unreachable
 * dependency fails here in seconds instead, with exit code 2, having written nothing.
 */
public final class Preflight {
  private Preflight() {}

  /** How long a check waits for a database or an object store that does not answer. */
  public static final int TIMEOUT_SECONDS = 5;

  /**
   * Connects to {@code target}; with a {@code schema}, also creates the schema (if absent) and a
   * table in it inside a transaction that is rolled back, so a missing privilege shows now and
   * nothing is left behind.
   *
   * @param target null when no --jdbc-url was given: nothing to check
   * @param purpose what the database is for, for the message ("the quality tables")
   */
  public static void jdbc(JdbcTarget target, String schema, String purpose) {
    if (target == null) {
      return;
    }
    if (schema != null) {
      JdbcTarget.checkSchema(schema);
    }
    try (Connection connection = target.connect(TIMEOUT_SECONDS)) {
      if (schema == null) {
        return;
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL statement_timeout = '" + TIMEOUT_SECONDS + "s'");
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        String probe =
            schema
                + ".recdata_preflight_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        statement.execute("CREATE TABLE " + probe + " (id integer)");
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw RecdataException.badInput(
          "PostgreSQL at %s as %s cannot hold %s in schema %s: %s",
          target.redactedUrl(), target.user(), purpose, schema, target.safeMessage(e));
    }
  }

  /**
   * Asks the file system of each path whether the path exists (its answer does not matter, only
   * that it answers): a missing file system implementation, an unknown host, refused credentials or
   * a missing bucket fail here. Object stores are asked with their retries cut short, through a
   * file system instance of their own.
   *
   * @param option the option the paths came from ("--out"), for the message
   */
  public static void paths(Configuration conf, String option, Iterable<String> paths) {
    for (String path : paths) {
      if (path != null) {
        path(conf, option, path);
      }
    }
  }

  public static void path(Configuration conf, String option, String path) {
    Path target = new Path(path);
    URI uri = target.toUri();
    String scheme = uri.getScheme();
    boolean local = scheme == null || scheme.equals("file");
    try {
      if (local) {
        target.getFileSystem(conf).exists(target);
        return;
      }
      try (FileSystem fs = FileSystem.newInstance(uri, quick(conf))) {
        fs.exists(target);
        // The bucket (or the cluster's root) itself: exists() of a key in a missing bucket may only
        // say "no".
        Path root = new Path(uri.getScheme(), uri.getAuthority(), "/");
        fs.listStatusIterator(root).hasNext();
      }
    } catch (IOException | RuntimeException e) {
      String where = local ? path : scheme + "://" + (uri.getHost() == null ? "" : uri.getHost());
      throw RecdataException.badInput(
          e, "cannot reach %s for %s %s: %s", where, option, redact(path), firstLine(e));
    }
  }

  /**
   * S3A retries a dead endpoint for minutes by default; a preflight gives up after one short
   * attempt.
   */
  private static Configuration quick(Configuration conf) {
    Configuration quick = new Configuration(conf);
    quick.set("fs.s3a.attempts.maximum", "1");
    quick.set("fs.s3a.retry.limit", "1");
    quick.set("fs.s3a.retry.interval", "100ms");
    quick.set("fs.s3a.connection.establish.timeout", String.valueOf(TIMEOUT_SECONDS * 1000));
    quick.set("fs.s3a.connection.acquisition.timeout", String.valueOf(TIMEOUT_SECONDS * 1000));
    quick.set("ipc.client.connect.max.retries", "1");
    quick.set("ipc.client.connect.max.retries.on.timeouts", "1");
    return quick;
  }

  /**
   * Drops user info from a URI ({@code s3a://KEY:SECRET@bucket/...}), the one place a path can hold
   * a secret.
   */
  static String redact(String path) {
    return path.replaceAll("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]*@", "$1***@");
  }

  private static String firstLine(Throwable e) {
    Throwable shown = e;
    String message = shown.getMessage();
    while ((message == null || message.isBlank())
        && shown.getCause() != null
        && shown.getCause() != shown) {
      shown = shown.getCause();
      message = shown.getMessage();
    }
    String first = message == null ? "" : message.lines().findFirst().orElse("");
    return redact(shown.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first));
  }
}
