package dev.recdata.export.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The publish guard against recommendations really published in PostgreSQL. */
class PublishGuardIT {
  private static final SparkSession spark = SharedSpark.session();
  private static final StructType RECOMMENDATIONS =
      new StructType()
          .add("user_id", DataTypes.LongType)
          .add("rank", DataTypes.IntegerType)
          .add("item_id", DataTypes.LongType)
          .add("score", DataTypes.FloatType);
  private static final StructType EMBEDDINGS =
      new StructType()
          .add("item_id", DataTypes.LongType)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));

  private String schema;
  private JdbcTarget jdbc;

  @BeforeEach
  void publishPreviousVersion() throws SQLException {
    Postgres.connect().close(); // skips (or fails in CI) when no server answers
    schema = Postgres.createSchema("guard_it");
    jdbc = new JdbcTarget(Postgres.URL, Postgres.USER, null);
    RecommendationsPublisher.publish(
        jdbc,
        schema,
        recommendations(10, 4),
        spark.createDataFrame(List.of(RowFactory.create(100L, List.of(1f, 2f))), EMBEDDINGS),
        "als-previous",
        Instant.parse("2026-11-30T00:00:00Z"));
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  /** {@code users} users x 2 ranks over {@code items} items. */
  private static Dataset<Row> recommendations(int users, int items) {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= users; u++) {
      rows.add(RowFactory.create(u, 1, 100L + u % items, 0.9f));
      rows.add(RowFactory.create(u, 2, 100L + (u + 1) % items, 0.8f));
    }
    return spark.createDataFrame(rows, RECOMMENDATIONS);
  }

  private String published() throws SQLException {
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT user_id), min(model_version), max(model_version) FROM "
                    + schema
                    + ".recommendations")) {
      r.next();
      return r.getLong(1)
          + " rows, "
          + r.getLong(2)
          + " users, "
          + r.getString(3)
          + ".."
          + r.getString(4);
    }
  }

  @Test
  void anEmptyModelIsRefusedWithExit3AndThePreviousRecommendationsStayPublished() throws Exception {
    PublishGuard.Coverage previous = PublishGuard.published(jdbc, schema);
    PublishGuard.Coverage empty = PublishGuard.of(recommendations(0, 4), "als-empty");

    assertThat(previous).isEqualTo(new PublishGuard.Coverage("als-previous", 10, 4, 20));
    assertThatThrownBy(() -> PublishGuard.check(empty, previous, 0.5, schema + ".recommendations"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining(
            "model als-empty has no recommendations (0 users, 0 distinct items, 0 rows)")
        .hasMessageContaining("model als-previous")
        .satisfies(
            e ->
                assertThat(((RecdataException) e).exitCode())
                    .isEqualTo(RecdataException.EXIT_GATE_FAILED));
    assertThat(published()).isEqualTo("20 rows, 10 users, als-previous..als-previous");
  }

  @Test
  void aModelCoveringFarFewerUsersIsRefusedAndOneCoveringEnoughPasses() {
    PublishGuard.Coverage previous = PublishGuard.published(jdbc, schema);

    assertThatThrownBy(
            () ->
                PublishGuard.check(
                    PublishGuard.of(recommendations(4, 4), "als-small"), previous, 0.5, "t"))
        .hasMessageContaining(
            "model als-small covers 4 users, 4 distinct items, 8 rows, below 0.50 of model als-previous"
                + " in t (10 users, 4 distinct items, 20 rows): users");
    PublishGuard.check(PublishGuard.of(recommendations(5, 4), "als-half"), previous, 0.5, "t");
    PublishGuard.check(PublishGuard.of(recommendations(4, 4), "als-small"), previous, 0.4, "t");
  }

  @Test
  void theFirstPublishHasNothingToCompareWith() {
    Postgres.execute("DROP TABLE " + schema + ".recommendations");

    assertThat(PublishGuard.published(jdbc, schema)).isNull();
    PublishGuard.check(PublishGuard.of(recommendations(1, 1), "als-first"), null, 0.5, "t");
  }
}
