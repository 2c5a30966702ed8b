package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
  void aRunLandsInModelRunsAndModelMetrics() throws Exception {
    Postgres.connect().close();
    schema = Postgres.createSchema("als_it");
    Path split = tmp.resolve("split");
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
            schema);

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
                  + ".model_metrics WHERE dataset = 'validation' AND metric = 'rmse'");
      grid.next();
      assertThat(grid.getInt(1)).isEqualTo(2);
      ResultSet models =
          st.executeQuery(
              "SELECT string_agg(DISTINCT model, ',' ORDER BY model) FROM "
                  + schema
                  + ".model_metrics WHERE dataset = 'test'");
      models.next();
      assertThat(models.getString(1)).isEqualTo("als,bias,most_popular,random,recently_popular");
    }
  }
}
