package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RunContext;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlsJdbcIT {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path tmp;
  private String schema;

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  @Test
  void aRunLandsInModelRunsAndModelMetricsWithItsPipelineRunAndDataset() throws Exception {
    Postgres.connect().close();
    schema = Postgres.createSchema("als_it");
    Path split = tmp.resolve("split");
    // The etl folder the manifest names is gone: the dataset is named after its path.
    Fixtures.writeManifest(spark, split, "/data/ml-latest-small");
    Fixtures.writeSplit(split, "train", Fixtures.twoTastes());
    Fixtures.writeSplit(
        split, "validation", java.util.List.of(Fixtures.rating(1, 3, 5), Fixtures.rating(4, 8, 5)));
    Fixtures.writeSplit(
        split,
        "test",
        java.util.List.of(
            Fixtures.rating(1, 7, 2),
            Fixtures.rating(2, 2, 5),
            Fixtures.rating(5, 3, 2),
            Fixtures.rating(5, 7, 5)));
    AlsOptions o =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            2,
            3,
            0.1,
            1,
            false,
            1L,
            1,
            4f,
            3,
            "rmse",
            Grid.parse("regParam=0.01,0.1"),
            false,
            true,
            1.0);

    AlsReport report =
        AlsJob.run(
            spark,
            split.toString(),
            tmp.resolve("out").toString(),
            o,
            new JdbcTarget(Postgres.URL, Postgres.USER, null),
            schema,
            new RunContext("20240101T000000Z-pipe0001", null));

    try (Connection c = Postgres.connect();
        Statement st = c.createStatement()) {
      ResultSet runs =
          st.executeQuery(
              "SELECT run_id, mode, protocol, selected_point FROM " + schema + ".model_runs");
      assertThat(runs.next()).isTrue();
      assertThat(runs.getString(1)).isEqualTo(report.runId());
      assertThat(runs.getString(2)).isEqualTo("explicit");
      assertThat(runs.getString(4)).isEqualTo(Grid.label(report.selectedPoint()));
      assertThat(runs.next()).isFalse();
      ResultSet grid =
          st.executeQuery(
              "SELECT count(DISTINCT grid_point) FROM "
                  + schema
                  + ".model_metrics WHERE split = 'validation' AND metric = 'rmse'");
      grid.next();
      assertThat(grid.getInt(1)).isEqualTo(2);
      ResultSet models =
          st.executeQuery(
              "SELECT string_agg(DISTINCT model, ',' ORDER BY model) FROM "
                  + schema
                  + ".model_metrics WHERE split = 'test'");
      models.next();
      assertThat(models.getString(1)).isEqualTo("als,bias,most_popular,random,recently_popular");
      ResultSet lineage =
          st.executeQuery(
              "SELECT concat_ws(' ', pipeline_run_id, dataset, split_run_id, strategy,"
                  + " params->'input'->>'upstream_run_id', pg_typeof(params)) FROM "
                  + schema
                  + ".model_runs");
      lineage.next();
      assertThat(lineage.getString(1))
          .isEqualTo(
              "20240101T000000Z-pipe0001 ml-latest-small fixture-split fixture fixture-split jsonb");
      ResultSet stamped =
          st.executeQuery(
              "SELECT count(*), count(DISTINCT computed_at), min(dataset), min(pipeline_run_id) FROM "
                  + schema
                  + ".model_metrics WHERE computed_at IS NOT NULL");
      stamped.next();
      assertThat(stamped.getLong(1)).isPositive();
      assertThat(stamped.getLong(2)).isEqualTo(1);
      assertThat(stamped.getString(3)).isEqualTo("ml-latest-small");
      assertThat(stamped.getString(4)).isEqualTo("20240101T000000Z-pipe0001");
    }
  }

  @Test
  void versionOneTablesAreMigratedInPlaceAndTheirRowsKept() throws Exception {
    Postgres.connect().close();
    schema = Postgres.createSchema("als_it");
    // The shape version 1 of the writer created, with one run in it.
    Postgres.execute(
        "CREATE TABLE "
            + schema
            + ".model_runs (run_id text PRIMARY KEY, created_at timestamptz NOT NULL,"
            + " mode text NOT NULL, protocol text NOT NULL, folds int NOT NULL, input text NOT NULL,"
            + " output text NOT NULL, select_by text NOT NULL, selected_point text NOT NULL, k int NOT NULL,"
            + " als_beats_baselines boolean NOT NULL, params text NOT NULL)");
    Postgres.execute(
        "CREATE TABLE "
            + schema
            + ".model_metrics (run_id text NOT NULL, model text NOT NULL,"
            + " grid_point text, dataset text NOT NULL, statistic text NOT NULL, metric text NOT NULL,"
            + " value double precision)");
    Postgres.execute(
        "INSERT INTO "
            + schema
            + ".model_runs VALUES ('old-run', '2023-05-01T00:00:00Z', 'implicit', 'holdout', 1,"
            + " '/data/ml-1m/split', '/out/als', 'ndcg@10', 'rank=8', 10, true,"
            + " '{\"input\": {\"upstream_run_id\": \"old-split\", \"strategy\": \"user-ratio\"}}')");
    Postgres.execute(
        "INSERT INTO "
            + schema
            + ".model_metrics VALUES ('old-run', 'als', 'rank=8', 'test', 'value', 'ndcg@10', 0.25)");

    MetricsTableWriter.write(
        new JdbcTarget(Postgres.URL, Postgres.USER, null),
        schema,
        sampleReport("new-run"),
        AlsOptions.defaults(AlsOptions.Mode.IMPLICIT),
        new MetricsTableWriter.Lineage("/data/split", "new-split", "kfold", null, "ml-1m"),
        "{\"input\": {}}");

    try (Connection c = Postgres.connect();
        Statement st = c.createStatement()) {
      ResultSet version =
          st.executeQuery(
              "SELECT version FROM " + schema + ".schema_version WHERE tables = 'model'");
      version.next();
      assertThat(version.getInt(1)).isEqualTo(2);
      ResultSet old =
          st.executeQuery(
              "SELECT concat_ws(' ', dataset, split_run_id, strategy, params->'input'->>'strategy',"
                  + " coalesce(pipeline_run_id, 'none')) FROM "
                  + schema
                  + ".model_runs WHERE run_id = 'old-run'");
      old.next();
      assertThat(old.getString(1)).isEqualTo("split old-split user-ratio user-ratio none");
      ResultSet oldMetric =
          st.executeQuery(
              "SELECT concat_ws(' ', m.split, m.dataset, m.value, m.computed_at = r.created_at) FROM "
                  + schema
                  + ".model_metrics m JOIN "
                  + schema
                  + ".model_runs r USING (run_id) WHERE run_id = 'old-run'");
      oldMetric.next();
      assertThat(oldMetric.getString(1)).isEqualTo("test split 0.25 t");
      ResultSet fresh =
          st.executeQuery(
              "SELECT concat_ws(' ', r.dataset, r.strategy, m.split, m.statistic, m.value) FROM "
                  + schema
                  + ".model_metrics m JOIN "
                  + schema
                  + ".model_runs r USING (run_id) WHERE run_id = 'new-run' AND m.model = 'als'");
      fresh.next();
      assertThat(fresh.getString(1)).isEqualTo("ml-1m kfold test mean 0.3");
    }
  }

  /** A k-fold report with ALS's test NDCG only, no grid. */
  private static AlsReport sampleReport(String runId) {
    Map<String, Double> als = Map.of("ndcg@10", 0.3);
    return new AlsReport(
        runId,
        "kfold",
        2,
        "ndcg@10",
        Map.of("rank", 8.0),
        List.of(),
        Map.of("als", als),
        Map.of(),
        "/out/als",
        Map.of(),
        Map.of(),
        null,
        new Verdict(
            "ndcg@10",
            "test",
            0.3,
            "most_popular",
            0.2,
            true,
            "als",
            AlsOptions.ServeFallback.POPULAR),
        TuningSample.none());
  }
}
