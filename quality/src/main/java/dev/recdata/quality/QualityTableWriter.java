package dev.recdata.quality;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * Writes one quality run to PostgreSQL: {@code quality_runs}, {@code quality_checks}, {@code
 * quality_metrics} (long format) and {@code quality_user_fractions} (the per-user fraction
 * histogram), in schema {@code recdata} unless told otherwise. Tables are created if absent; a run
 * is written in one transaction that first deletes the run's rows, so writing the same run again
 * replaces it instead of duplicating it. Types suit Metabase: timestamptz, double precision, text.
 */
public final class QualityTableWriter {
  private QualityTableWriter() {}

  public static final String DEFAULT_SCHEMA = "recdata";
  public static final String RUNS = "quality_runs";
  public static final String CHECKS = "quality_checks";
  public static final String METRICS = "quality_metrics";
  public static final String USER_FRACTIONS = "quality_user_fractions";

  /** The tables, in dependency order; {@code %1$s} is the schema. */
  static final List<String> DDL =
      List.of(
          "CREATE SCHEMA IF NOT EXISTS %1$s",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + RUNS
              + " ("
              + "run_id text PRIMARY KEY, dataset text NOT NULL, kind text NOT NULL, split_run_id text, "
              + "strategy text, status text NOT NULL, fail_on text NOT NULL, gate_failed boolean NOT NULL, "
              + "checks_failed integer NOT NULL, checks_warned integer NOT NULL, "
              + "started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + CHECKS
              + " ("
              + "run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, "
              + "dataset text NOT NULL, check_name text NOT NULL, level text NOT NULL, status text NOT NULL, "
              + "observed double precision, threshold double precision, message text NOT NULL, "
              + "computed_at timestamptz NOT NULL, PRIMARY KEY (run_id, check_name))",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + METRICS
              + " ("
              + "run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, "
              + "dataset text NOT NULL, split text NOT NULL, metric text NOT NULL, value double precision, "
              + "computed_at timestamptz NOT NULL, PRIMARY KEY (run_id, split, metric))",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + USER_FRACTIONS
              + " ("
              + "run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, "
              + "dataset text NOT NULL, split text NOT NULL, bin_lower double precision NOT NULL, "
              + "bin_upper double precision NOT NULL, users bigint NOT NULL, computed_at timestamptz NOT NULL, "
              + "PRIMARY KEY (run_id, split, bin_lower))");

  public static void write(JdbcTarget target, String schema, QualityReport report) {
    String s = checkSchema(schema);
    try (Connection c = target.connect()) {
      c.setAutoCommit(false);
      try {
        createTables(c, s);
        // The cascade removes the run's checks, metrics and histogram with it.
        try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM " + s + "." + RUNS + " WHERE run_id = ?")) {
          delete.setString(1, report.runId());
          delete.executeUpdate();
        }
        insertRun(c, s, report);
        insertChecks(c, s, report);
        insertMetrics(c, s, report);
        insertFractions(c, s, report);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot write quality run "
              + report.runId()
              + " to "
              + target.redactedUrl()
              + " schema "
              + s
              + ": "
              + target.safeMessage(e),
          e);
    }
  }

  static void createTables(Connection c, String schema) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String ddl : DDL) {
        st.execute(String.format(ddl, schema));
      }
    }
  }

  private static void insertRun(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + RUNS
            + " (run_id, dataset, kind, split_run_id, strategy, status, fail_on, "
            + "gate_failed, checks_failed, checks_warned, started_at, finished_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, r.runId());
      st.setString(2, r.dataset());
      st.setString(3, r.kind());
      st.setString(4, r.upstreamRunId());
      st.setString(5, r.strategy());
      st.setString(6, r.status());
      st.setString(7, r.failOn().name().toLowerCase(java.util.Locale.ROOT));
      st.setBoolean(8, r.gateFailed());
      st.setInt(9, (int) r.checks().stream().filter(x -> x.status() == Status.FAIL).count());
      st.setInt(10, (int) r.checks().stream().filter(x -> x.status() == Status.WARN).count());
      st.setTimestamp(11, Timestamp.from(r.startedAt()));
      st.setTimestamp(12, Timestamp.from(r.finishedAt()));
      st.executeUpdate();
    }
  }

  private static void insertChecks(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + CHECKS
            + " (run_id, dataset, check_name, level, status, observed, threshold, "
            + "message, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (CheckResult check : r.checks()) {
        st.setString(1, r.runId());
        st.setString(2, r.dataset());
        st.setString(3, check.check());
        st.setString(4, check.level().name());
        st.setString(5, check.status().label());
        setDouble(st, 6, check.observed());
        setDouble(st, 7, check.threshold());
        st.setString(8, check.message());
        st.setTimestamp(9, Timestamp.from(r.finishedAt()));
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static void insertMetrics(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + METRICS
            + " (run_id, dataset, split, metric, value, computed_at) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (MetricValue m : r.metrics()) {
        st.setString(1, r.runId());
        st.setString(2, m.dataset());
        st.setString(3, m.split());
        st.setString(4, m.metric());
        setDouble(st, 5, m.value());
        st.setTimestamp(6, Timestamp.from(r.finishedAt()));
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static void insertFractions(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + USER_FRACTIONS
            + " (run_id, dataset, split, bin_lower, bin_upper, users, "
            + "computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (QualityReport.FractionBin b : r.fractionBins()) {
        st.setString(1, r.runId());
        st.setString(2, r.dataset());
        st.setString(3, b.split());
        st.setDouble(4, b.binLower());
        st.setDouble(5, b.binUpper());
        st.setLong(6, b.users());
        st.setTimestamp(7, Timestamp.from(r.finishedAt()));
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static void setDouble(PreparedStatement st, int index, double value) throws SQLException {
    if (Double.isNaN(value)) {
      st.setNull(index, Types.DOUBLE);
    } else {
      st.setDouble(index, value);
    }
  }

  /** Schema names are spliced into SQL, so only plain lower-case identifiers are accepted. */
  static String checkSchema(String schema) {
    return JdbcTarget.checkSchema(schema);
  }
}
