package dev.recdata.als;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Writes a run to PostgreSQL for Metabase: one row in {@code model_runs}, one row per (model, grid
 * point, dataset, statistic, metric) in {@code model_metrics}. Everything goes in one transaction,
 * so a dashboard never shows half a run, and a re-run with the same id replaces its rows.
 */
final class MetricsTableWriter {
  private MetricsTableWriter() {}

  static final String DEFAULT_SCHEMA = "recdata";

  static void write(
      JdbcTarget target,
      String schema,
      AlsReport report,
      AlsOptions o,
      String input,
      String paramsJson) {
    String s = JdbcTarget.checkSchema(schema == null ? DEFAULT_SCHEMA : schema);
    try (Connection c = target.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
        st.execute(
            "CREATE TABLE IF NOT EXISTS "
                + s
                + ".model_runs (run_id text PRIMARY KEY, created_at timestamptz NOT NULL,"
                + " mode text NOT NULL, protocol text NOT NULL, folds int NOT NULL, input text NOT NULL,"
                + " output text NOT NULL, select_by text NOT NULL, selected_point text NOT NULL, k int NOT NULL,"
                + " als_beats_baselines boolean NOT NULL, params text NOT NULL)");
        st.execute(
            "CREATE TABLE IF NOT EXISTS "
                + s
                + ".model_metrics (run_id text NOT NULL, model text NOT NULL,"
                + " grid_point text, dataset text NOT NULL, statistic text NOT NULL, metric text NOT NULL,"
                + " value double precision)");
      }
      for (String table : new String[] {"model_metrics", "model_runs"}) {
        try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM " + s + "." + table + " WHERE run_id = ?")) {
          delete.setString(1, report.runId());
          delete.executeUpdate();
        }
      }
      try (PreparedStatement run =
          c.prepareStatement(
              "INSERT INTO " + s + ".model_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        run.setString(1, report.runId());
        run.setTimestamp(2, Timestamp.from(Instant.now()));
        run.setString(3, o.mode().name().toLowerCase(java.util.Locale.ROOT));
        run.setString(4, report.protocol());
        run.setInt(5, report.folds());
        run.setString(6, input);
        run.setString(7, report.outputDir());
        run.setString(8, report.selectBy());
        run.setString(9, Grid.label(report.selectedPoint()));
        run.setInt(10, o.k());
        run.setBoolean(11, report.alsBeatsBaselines(o.k()));
        run.setString(12, paramsJson);
        run.executeUpdate();
      }
      try (PreparedStatement metric =
          c.prepareStatement("INSERT INTO " + s + ".model_metrics VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        String gridDataset = report.protocol().equals("kfold") ? "cross_validation" : "validation";
        String gridStatistic = report.protocol().equals("kfold") ? "mean" : "value";
        for (AlsReport.GridScore score : report.grid()) {
          add(
              metric,
              report.runId(),
              "als",
              score.label(),
              gridDataset,
              gridStatistic,
              score.metrics());
        }
        String testStatistic = report.protocol().equals("kfold") ? "mean" : "value";
        String selected = Grid.label(report.selectedPoint());
        report
            .test()
            .forEach(
                (model, m) ->
                    add(
                        metric,
                        report.runId(),
                        model,
                        model.equals("als") ? selected : null,
                        "test",
                        testStatistic,
                        m));
        report
            .testStd()
            .forEach(
                (model, m) ->
                    add(
                        metric,
                        report.runId(),
                        model,
                        model.equals("als") ? selected : null,
                        "test",
                        "std",
                        m));
        metric.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot write model metrics to " + target.redactedUrl() + ": " + target.safeMessage(e));
    }
  }

  private static void add(
      PreparedStatement st,
      String runId,
      String model,
      String point,
      String dataset,
      String statistic,
      Map<String, Double> metrics) {
    try {
      for (Map.Entry<String, Double> e : metrics.entrySet()) {
        st.setString(1, runId);
        st.setString(2, model);
        st.setString(3, point);
        st.setString(4, dataset);
        st.setString(5, statistic);
        st.setString(6, e.getKey());
        if (e.getValue() == null || e.getValue().isNaN()) {
          st.setNull(7, java.sql.Types.DOUBLE);
        } else {
          st.setDouble(7, e.getValue());
        }
        st.addBatch();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
