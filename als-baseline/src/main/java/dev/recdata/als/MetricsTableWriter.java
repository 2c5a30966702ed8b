package dev.recdata.als;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.TableVersions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a run to PostgreSQL for Metabase: one row in {@code model_runs}, one row per (model, grid
 * point, split, statistic, metric) in {@code model_metrics}, both carrying the pipeline run and the
 * dataset name so they join the quality tables. Everything goes in one transaction, so a dashboard
 * never shows half a run, and a re-run with the same id replaces its rows. Tables of version 1 are
 * migrated in the same transaction (see {@link #MIGRATE_FROM_V1}).
 */
final class MetricsTableWriter {
  private MetricsTableWriter() {}

  static final String DEFAULT_SCHEMA = "recdata";
  static final String RUNS = "model_runs";
  static final String METRICS = "model_metrics";

  /** These tables' name in {@code schema_version}. */
  static final String TABLES = "model";

  /**
   * 1: no pipeline run, dataset or timestamps on the metrics, params as text, and {@code
   * model_metrics.dataset} naming the evaluated part; 2: what {@link #DDL} creates.
   */
  static final int VERSION = 2;

  /**
   * Where the trained run came from.
   *
   * @param input the split folder, as given
   * @param splitRunId the split's run id (joins {@code quality_runs.split_run_id}), null without a
   *     manifest
   * @param pipelineRunId the pipeline run, null when als ran on its own
   * @param dataset the stable dataset name
   */
  record Lineage(
      String input, String splitRunId, String strategy, String pipelineRunId, String dataset) {}

  /** The tables of version 2; {@code %1$s} is the schema. */
  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS %1$s."
              + RUNS
              + " (run_id text PRIMARY KEY, pipeline_run_id text, dataset text NOT NULL,"
              + " split_run_id text, strategy text, created_at timestamptz NOT NULL, mode text NOT NULL,"
              + " protocol text NOT NULL, folds int NOT NULL, input text NOT NULL, output text NOT NULL,"
              + " select_by text NOT NULL, selected_point text NOT NULL, k int NOT NULL,"
              + " als_beats_baselines boolean NOT NULL, params jsonb NOT NULL)",
          "CREATE TABLE IF NOT EXISTS %1$s."
              + METRICS
              + " (run_id text NOT NULL, pipeline_run_id text, dataset text NOT NULL, split text NOT NULL,"
              + " model text NOT NULL, grid_point text, statistic text NOT NULL, metric text NOT NULL,"
              + " value double precision, computed_at timestamptz NOT NULL)",
          "CREATE INDEX IF NOT EXISTS model_metrics_run ON %1$s." + METRICS + " (run_id)");

  /**
   * Version 1 to 2 before the dataset names are filled in. {@code model_metrics.dataset} held the
   * evaluated part (validation, test, cross_validation) and becomes {@code split}, the name the
   * quality tables use for it; the split's run id and strategy come from the params version 1
   * stored as text.
   */
  static final List<String> MIGRATE_FROM_V1 =
      List.of(
          "ALTER TABLE %1$s."
              + RUNS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN dataset text, ADD COLUMN split_run_id text,"
              + " ADD COLUMN strategy text",
          "ALTER TABLE %1$s." + RUNS + " ALTER COLUMN params TYPE jsonb USING params::jsonb",
          "UPDATE %1$s."
              + RUNS
              + " SET split_run_id = params->'input'->>'upstream_run_id',"
              + " strategy = params->'input'->>'strategy'",
          "ALTER TABLE %1$s." + METRICS + " RENAME COLUMN dataset TO split",
          "ALTER TABLE %1$s."
              + METRICS
              + " ADD COLUMN pipeline_run_id text, ADD COLUMN dataset text, ADD COLUMN computed_at timestamptz");

  static void write(
      JdbcTarget target,
      String schema,
      AlsReport report,
      AlsOptions o,
      Lineage lineage,
      String paramsJson) {
    String s = JdbcTarget.checkSchema(schema == null ? DEFAULT_SCHEMA : schema);
    try (Connection c = target.connect()) {
      c.setAutoCommit(false);
      try {
        prepareTables(c, s);
        for (String table : new String[] {METRICS, RUNS}) {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM " + s + "." + table + " WHERE run_id = ?")) {
            delete.setString(1, report.runId());
            delete.executeUpdate();
          }
        }
        Instant now = Instant.now();
        insertRun(c, s, report, o, lineage, paramsJson, now);
        insertMetrics(c, s, report, lineage, now);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot write model metrics to " + target.redactedUrl() + ": " + target.safeMessage(e));
    }
  }

  /**
   * Creates the tables of {@link #VERSION}, or migrates version 1 tables to it, inside the caller's
   * transaction.
   */
  static void prepareTables(Connection c, String schema) throws SQLException {
    TableVersions.prepare(c, schema, TABLES, VERSION, RUNS, DDL, MetricsTableWriter::migrateFromV1);
  }

  private static void migrateFromV1(Connection c, String schema) throws SQLException {
    TableVersions.execute(c, schema, MIGRATE_FROM_V1);
    // Version 1 knew the split folder's path only; the name is what the path tells.
    TableVersions.nameDatasetsByPath(c, schema, RUNS, "input");
    TableVersions.execute(
        c,
        schema,
        List.of(
            "ALTER TABLE %1$s." + RUNS + " ALTER COLUMN dataset SET NOT NULL",
            "UPDATE %1$s."
                + METRICS
                + " m SET dataset = r.dataset, computed_at = r.created_at FROM %1$s."
                + RUNS
                + " r WHERE r.run_id = m.run_id",
            // Version 1 wrote no metric without its run, but nothing stopped a hand-made one.
            "UPDATE %1$s."
                + METRICS
                + " SET dataset = coalesce(dataset, 'unknown'), computed_at = coalesce(computed_at, now())"
                + " WHERE dataset IS NULL OR computed_at IS NULL",
            "ALTER TABLE %1$s."
                + METRICS
                + " ALTER COLUMN dataset SET NOT NULL, ALTER COLUMN computed_at SET NOT NULL"));
  }

  private static void insertRun(
      Connection c,
      String s,
      AlsReport report,
      AlsOptions o,
      Lineage lineage,
      String paramsJson,
      Instant now)
      throws SQLException {
    try (PreparedStatement run =
        c.prepareStatement(
            "INSERT INTO "
                + s
                + "."
                + RUNS
                + " (run_id, pipeline_run_id, dataset, split_run_id, strategy, created_at, mode,"
                + " protocol, folds, input, output, select_by, selected_point, k, als_beats_baselines,"
                + " params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))")) {
      run.setString(1, report.runId());
      run.setString(2, lineage.pipelineRunId());
      run.setString(3, lineage.dataset());
      run.setString(4, lineage.splitRunId());
      run.setString(5, lineage.strategy());
      run.setTimestamp(6, Timestamp.from(now));
      run.setString(7, o.mode().name().toLowerCase(java.util.Locale.ROOT));
      run.setString(8, report.protocol());
      run.setInt(9, report.folds());
      run.setString(10, lineage.input());
      run.setString(11, report.outputDir());
      run.setString(12, report.selectBy());
      run.setString(13, Grid.label(report.selectedPoint()));
      run.setInt(14, o.k());
      run.setBoolean(15, report.alsBeatsBaselines(o.k()));
      run.setString(16, paramsJson);
      run.executeUpdate();
    }
  }

  private static void insertMetrics(
      Connection c, String s, AlsReport report, Lineage lineage, Instant now) throws SQLException {
    try (PreparedStatement metric =
        c.prepareStatement(
            "INSERT INTO "
                + s
                + "."
                + METRICS
                + " (run_id, pipeline_run_id, dataset, split, model, grid_point, statistic, metric,"
                + " value, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      MetricRows rows = new MetricRows(metric, report.runId(), lineage, Timestamp.from(now));
      boolean kfold = report.protocol().equals("kfold");
      String gridSplit = kfold ? "cross_validation" : "validation";
      String meanOrValue = kfold ? "mean" : "value";
      for (AlsReport.GridScore score : report.grid()) {
        rows.add("als", score.label(), gridSplit, meanOrValue, score.metrics());
      }
      String selected = Grid.label(report.selectedPoint());
      report
          .test()
          .forEach(
              (model, m) ->
                  rows.add(model, model.equals("als") ? selected : null, "test", meanOrValue, m));
      report
          .testStd()
          .forEach(
              (model, m) ->
                  rows.add(model, model.equals("als") ? selected : null, "test", "std", m));
      metric.executeBatch();
    }
  }

  /** Adds metric rows of one run to a batch. */
  private record MetricRows(
      PreparedStatement st, String runId, Lineage lineage, Timestamp computedAt) {
    void add(
        String model, String point, String split, String statistic, Map<String, Double> metrics) {
      try {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
          st.setString(1, runId);
          st.setString(2, lineage.pipelineRunId());
          st.setString(3, lineage.dataset());
          st.setString(4, split);
          st.setString(5, model);
          st.setString(6, point);
          st.setString(7, statistic);
          st.setString(8, e.getKey());
          if (e.getValue() == null || e.getValue().isNaN()) {
            st.setNull(9, java.sql.Types.DOUBLE);
          } else {
            st.setDouble(9, e.getValue());
          }
          st.setTimestamp(10, computedAt);
          st.addBatch();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
