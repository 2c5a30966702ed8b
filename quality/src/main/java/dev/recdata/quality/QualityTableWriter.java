package dev.recdata.quality;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.TableVersions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes one quality run to PostgreSQL: {@code quality_runs}, {@code quality_checks}, {@code
 * quality_metrics} (long format) and {@code quality_user_fractions} (the per-user fraction
 * histogram), in schema {@code recdata} unless told otherwise. Every table carries the run, the
 * pipeline run and the dataset name, and the fold as a column of its own, so dashboards join and
 * filter without parsing names. Tables are created if absent and migrated from version 1 (see
 * {@link #MIGRATE_FROM_V1}); a run is written in one transaction that first deletes the run's rows,
 * so writing the same run again replaces it instead of duplicating it. Types suit Metabase:
 * timestamptz, double precision, integer, text.
 */
public final class QualityTableWriter {
  private QualityTableWriter() {}

  public static final String DEFAULT_SCHEMA = "recdata";
  public static final String RUNS = "quality_runs";
  public static final String CHECKS = "quality_checks";
  public static final String METRICS = "quality_metrics";
  public static final String USER_FRACTIONS = "quality_user_fractions";

  /** These tables' name in {@code schema_version}. */
  static final String TABLES = "quality";

  /**
   * 1: the first tables (no pipeline run, the path as dataset, the fold inside check and split
   * names); 2: what {@link #DDL} creates.
   */
  static final int VERSION = 2;

  /**
   * The tables of version 2, in dependency order; {@code %1$s} is the schema. The fold is null for
   * a holdout split, so uniqueness is an index on {@code coalesce(fold, -1)}: a primary key cannot
   * hold a null, and PostgreSQL before 15 has no {@code NULLS NOT DISTINCT}.
   */
  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS %1$s."
              + RUNS
              + " (run_id text PRIMARY KEY, pipeline_run_id text, dataset text NOT NULL,"
              + " input_path text NOT NULL, kind text NOT NULL, split_run_id text, etl_run_id text,"
              + " strategy text, train_ratio double precision, validation_ratio double precision,"
              + " test_ratio double precision, folds integer, status text NOT NULL,"
              + " fail_on text NOT NULL, gate_failed boolean NOT NULL, checks_failed integer NOT NULL,"
              + " checks_warned integer NOT NULL, started_at timestamptz NOT NULL,"
              + " finished_at timestamptz NOT NULL)",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + CHECKS
              + " (run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, pipeline_run_id text, dataset text NOT NULL, fold integer,"
              + " check_name text NOT NULL, level text NOT NULL, status text NOT NULL,"
              + " observed double precision, threshold double precision, message text NOT NULL,"
              + " computed_at timestamptz NOT NULL)",
          "CREATE UNIQUE INDEX IF NOT EXISTS quality_checks_key ON %1$s."
              + CHECKS
              + " (run_id, (coalesce(fold, -1)), check_name)",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + METRICS
              + " (run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, pipeline_run_id text, dataset text NOT NULL, fold integer,"
              + " split text NOT NULL, metric text NOT NULL, value double precision,"
              + " computed_at timestamptz NOT NULL)",
          "CREATE UNIQUE INDEX IF NOT EXISTS quality_metrics_key ON %1$s."
              + METRICS
              + " (run_id, (coalesce(fold, -1)), split, metric)",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + USER_FRACTIONS
              + " (run_id text NOT NULL REFERENCES %1$s."
              + RUNS
              + " (run_id) ON DELETE CASCADE, pipeline_run_id text, dataset text NOT NULL, fold integer,"
              + " split text NOT NULL, bin_lower double precision NOT NULL,"
              + " bin_upper double precision NOT NULL, users bigint NOT NULL,"
              + " computed_at timestamptz NOT NULL)",
          "CREATE UNIQUE INDEX IF NOT EXISTS quality_user_fractions_key ON %1$s."
              + USER_FRACTIONS
              + " (run_id, (coalesce(fold, -1)), split, bin_lower)");

  /**
   * Version 1 to 2 before the dataset names are filled in: new columns, the path kept as {@code
   * input_path}, an etl folder's run id moved to {@code etl_run_id}, and the fold taken out of
   * {@code pair_leakage[fold=1]} and {@code fold=1/train}. {@link #DDL} then adds the indexes that
   * replace the primary keys the fold column cannot be part of.
   */
  static final List<String> MIGRATE_FROM_V1 =
      List.of(
          "ALTER TABLE %1$s." + RUNS + " RENAME COLUMN dataset TO input_path",
          "ALTER TABLE %1$s."
              + RUNS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN dataset text, ADD COLUMN etl_run_id text,"
              + " ADD COLUMN train_ratio double precision, ADD COLUMN validation_ratio double precision,"
              + " ADD COLUMN test_ratio double precision, ADD COLUMN folds integer",
          // Version 1 kept the run id of a checked etl folder in split_run_id.
          "UPDATE %1$s."
              + RUNS
              + " SET etl_run_id = split_run_id, split_run_id = NULL WHERE kind = 'etl'",
          "ALTER TABLE %1$s."
              + CHECKS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN fold integer",
          "UPDATE %1$s."
              + CHECKS
              + " SET fold = substring(check_name from '\\[fold=(\\d+)\\]$')::integer,"
              + " check_name = regexp_replace(check_name, '\\[fold=\\d+\\]$', '')"
              + " WHERE check_name ~ '\\[fold=\\d+\\]$'",
          "ALTER TABLE %1$s." + CHECKS + " DROP CONSTRAINT IF EXISTS " + CHECKS + "_pkey",
          "ALTER TABLE %1$s."
              + METRICS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN fold integer",
          "UPDATE %1$s."
              + METRICS
              + " SET fold = substring(split from '^fold=(\\d+)/')::integer,"
              + " split = regexp_replace(split, '^fold=\\d+/', '') WHERE split ~ '^fold=\\d+/'",
          "ALTER TABLE %1$s." + METRICS + " DROP CONSTRAINT IF EXISTS " + METRICS + "_pkey",
          "ALTER TABLE %1$s."
              + USER_FRACTIONS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN fold integer",
          "UPDATE %1$s."
              + USER_FRACTIONS
              + " SET fold = substring(split from '^fold=(\\d+)/')::integer,"
              + " split = regexp_replace(split, '^fold=\\d+/', '') WHERE split ~ '^fold=\\d+/'",
          "ALTER TABLE %1$s."
              + USER_FRACTIONS
              + " DROP CONSTRAINT IF EXISTS "
              + USER_FRACTIONS
              + "_pkey");

  public static void write(JdbcTarget target, String schema, QualityReport report) {
    String s = checkSchema(schema);
    try (Connection c = target.connect()) {
      c.setAutoCommit(false);
      try {
        prepareTables(c, s);
        deleteRun(c, s, report);
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

  /**
   * Creates the tables of {@link #VERSION}, or migrates version 1 tables to it, inside the caller's
   * transaction: a migration commits with the first run written after it, or not at all.
   */
  static void prepareTables(Connection c, String schema) throws SQLException {
    TableVersions.prepare(c, schema, TABLES, VERSION, RUNS, DDL, QualityTableWriter::migrateFromV1);
  }

  private static void migrateFromV1(Connection c, String schema) throws SQLException {
    TableVersions.execute(c, schema, MIGRATE_FROM_V1);
    // Version 1's dataset was the checked folder's path; the name is what the path tells.
    TableVersions.nameDatasetsByPath(c, schema, RUNS, "input_path");
    List<String> backfill = new ArrayList<>();
    backfill.add("ALTER TABLE %1$s." + RUNS + " ALTER COLUMN dataset SET NOT NULL");
    for (String table : List.of(CHECKS, METRICS, USER_FRACTIONS)) {
      backfill.add(
          "UPDATE %1$s."
              + table
              + " t SET dataset = r.dataset FROM %1$s."
              + RUNS
              + " r WHERE r.run_id = t.run_id");
    }
    TableVersions.execute(c, schema, backfill);
  }

  /**
   * Removes the run's rows (the cascade takes its checks, metrics and histogram). A run named after
   * the split it checked also replaces that split's runs of version 1, whose automatic ids were the
   * split's run id plus {@code .q} and a new id: checking a split again leaves one run of it.
   */
  private static void deleteRun(Connection c, String s, QualityReport r) throws SQLException {
    try (PreparedStatement delete =
        c.prepareStatement(
            "DELETE FROM "
                + s
                + "."
                + RUNS
                + " WHERE run_id = ? OR (CAST(? AS boolean) AND starts_with(run_id, ? || '.q'))")) {
      delete.setString(1, r.runId());
      delete.setBoolean(2, r.runId().equals(r.upstreamRunId()));
      delete.setString(3, r.runId());
      delete.executeUpdate();
    }
  }

  private static void insertRun(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + RUNS
            + " (run_id, pipeline_run_id, dataset, input_path, kind, split_run_id, etl_run_id,"
            + " strategy, train_ratio, validation_ratio, test_ratio, folds, status, fail_on,"
            + " gate_failed, checks_failed, checks_warned, started_at, finished_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    QualityReport.CheckedInput in = r.input();
    boolean split = QualityInput.SPLIT.equals(in.kind());
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, r.runId());
      st.setString(2, r.pipelineRunId());
      st.setString(3, r.dataset());
      st.setString(4, in.path());
      st.setString(5, in.kind());
      st.setString(6, split ? in.upstreamRunId() : null);
      st.setString(7, in.etlRunId());
      st.setString(8, in.strategy());
      setDouble(st, 9, in.ratios().get(Schema.Layout.TRAIN));
      setDouble(st, 10, in.ratios().get(Schema.Layout.VALIDATION));
      setDouble(st, 11, in.ratios().get(Schema.Layout.TEST));
      setInteger(st, 12, in.folds());
      st.setString(13, r.status());
      st.setString(14, r.failOn().name().toLowerCase(Locale.ROOT));
      st.setBoolean(15, r.gateFailed());
      st.setInt(16, (int) r.checks().stream().filter(x -> x.status() == Status.FAIL).count());
      st.setInt(17, (int) r.checks().stream().filter(x -> x.status() == Status.WARN).count());
      st.setTimestamp(18, Timestamp.from(r.startedAt()));
      st.setTimestamp(19, Timestamp.from(r.finishedAt()));
      st.executeUpdate();
    }
  }

  private static void insertChecks(Connection c, String s, QualityReport r) throws SQLException {
    String sql =
        "INSERT INTO "
            + s
            + "."
            + CHECKS
            + " (run_id, pipeline_run_id, dataset, fold, check_name, level, status, observed,"
            + " threshold, message, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (CheckResult check : r.checks()) {
        QualityInput.FoldLabel label = QualityInput.FoldLabel.ofCheck(check.check());
        st.setString(1, r.runId());
        st.setString(2, r.pipelineRunId());
        st.setString(3, r.dataset());
        setInteger(st, 4, label.fold());
        st.setString(5, label.name());
        st.setString(6, check.level().name());
        st.setString(7, check.status().label());
        setDouble(st, 8, check.observed());
        setDouble(st, 9, check.threshold());
        st.setString(10, check.message());
        st.setTimestamp(11, Timestamp.from(r.finishedAt()));
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
            + " (run_id, pipeline_run_id, dataset, fold, split, metric, value, computed_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (MetricValue m : r.metrics()) {
        QualityInput.FoldLabel label = QualityInput.FoldLabel.ofSplit(m.split());
        st.setString(1, r.runId());
        st.setString(2, r.pipelineRunId());
        st.setString(3, r.dataset());
        setInteger(st, 4, label.fold());
        st.setString(5, label.name());
        st.setString(6, m.metric());
        setDouble(st, 7, m.value());
        st.setTimestamp(8, Timestamp.from(r.finishedAt()));
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
            + " (run_id, pipeline_run_id, dataset, fold, split, bin_lower, bin_upper, users,"
            + " computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (QualityReport.FractionBin b : r.fractionBins()) {
        QualityInput.FoldLabel label = QualityInput.FoldLabel.ofSplit(b.split());
        st.setString(1, r.runId());
        st.setString(2, r.pipelineRunId());
        st.setString(3, r.dataset());
        setInteger(st, 4, label.fold());
        st.setString(5, label.name());
        st.setDouble(6, b.binLower());
        st.setDouble(7, b.binUpper());
        st.setLong(8, b.users());
        st.setTimestamp(9, Timestamp.from(r.finishedAt()));
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  private static void setDouble(PreparedStatement st, int index, Double value) throws SQLException {
    if (value == null || Double.isNaN(value)) {
      st.setNull(index, Types.DOUBLE);
    } else {
      st.setDouble(index, value);
    }
  }

  private static void setInteger(PreparedStatement st, int index, Integer value)
      throws SQLException {
    if (value == null) {
      st.setNull(index, Types.INTEGER);
    } else {
      st.setInt(index, value);
    }
  }

  /** Schema names are spliced into SQL, so only plain lower-case identifiers are accepted. */
  static String checkSchema(String schema) {
    return JdbcTarget.checkSchema(schema);
  }
}
