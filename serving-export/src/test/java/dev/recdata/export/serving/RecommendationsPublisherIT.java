package dev.recdata.export.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing to the real PostgreSQL, in a schema of its own that is dropped after each test. */
class RecommendationsPublisherIT {
  private static final SparkSession spark = SharedSpark.session();
  private static final Instant GENERATED_AT = Instant.parse("2026-11-23T12:00:00Z");

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
  void createSchema() throws SQLException {
    Postgres.connect().close(); // skips (or fails in CI) when no server answers
    schema = Postgres.createSchema("serving_it");
    jdbc = new JdbcTarget(Postgres.URL, Postgres.USER, null);
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  /**
   * {@code users} users x 2 ranks; item ids and scores depend on {@code seed} so versions differ.
   */
  private static Dataset<Row> recommendations(long firstUser, int users, int seed) {
    List<Row> rows = new ArrayList<>();
    for (long u = firstUser; u < firstUser + users; u++) {
      rows.add(RowFactory.create(u, 1, 100L + seed, 4.5f + seed));
      rows.add(RowFactory.create(u, 2, 200L + seed, 4.25f + seed));
    }
    return spark.createDataFrame(rows, RECOMMENDATIONS);
  }

  private static Dataset<Row> embeddings(int seed) {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(1L, List.of(0.5f + seed, -1.25f, 3.0e-7f)));
    rows.add(RowFactory.create(2L, List.of(Float.MAX_VALUE, -0.0f, 1f / 3f)));
    return spark.createDataFrame(rows, EMBEDDINGS);
  }

  private RecommendationsPublisher.Published publish(
      long firstUser, int users, int seed, String version) {
    return RecommendationsPublisher.publish(
        jdbc,
        schema,
        recommendations(firstUser, users, seed),
        embeddings(seed),
        version,
        GENERATED_AT);
  }

  /** model_version -> rows, as one statement (one snapshot) sees them. */
  private Map<String, Long> versions(Connection c) throws SQLException {
    Map<String, Long> versions = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model_version, count(*) FROM " + schema + ".recommendations GROUP BY 1")) {
      while (rs.next()) {
        versions.put(rs.getString(1), rs.getLong(2));
      }
    }
    return versions;
  }

  @Test
  void aSecondPublishReplacesTheFirstCompletely() throws SQLException {
    publish(1, 3, 0, "v1");
    RecommendationsPublisher.Published second = publish(10, 2, 1, "v2");

    assertThat(second.recommendations()).isEqualTo(4);
    assertThat(second.itemEmbeddings()).isEqualTo(2);
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT user_id, rank, item_id, score, model_version, generated_at FROM "
                    + schema
                    + ".recommendations ORDER BY 1, 2")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + ","
                + rs.getInt(2)
                + ","
                + rs.getLong(3)
                + ","
                + rs.getFloat(4)
                + ","
                + rs.getString(5)
                + ","
                + rs.getObject(6, java.time.OffsetDateTime.class).toInstant());
      }
      assertThat(rows)
          .containsExactly(
              "10,1,101,5.5,v2,2026-11-23T12:00:00Z", "10,2,201,5.25,v2,2026-11-23T12:00:00Z",
              "11,1,101,5.5,v2,2026-11-23T12:00:00Z", "11,2,201,5.25,v2,2026-11-23T12:00:00Z");
    }
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_tables WHERE schemaname = '"
                    + schema
                    + "' AND tablename LIKE '%staging%'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("staging tables left behind").isZero();
    }
  }

  @Test
  void itemEmbeddingsRoundTripAsRealArrays() throws SQLException {
    publish(1, 1, 0, "v1");

    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT item_id, embedding, model_version, pg_typeof(embedding)::text FROM "
                    + schema
                    + ".item_embeddings ORDER BY 1")) {
      List<List<Float>> embeddings = new ArrayList<>();
      while (rs.next()) {
        Array array = rs.getArray(2);
        List<Float> values = new ArrayList<>();
        for (Object v : (Object[]) array.getArray()) {
          values.add((Float) v);
        }
        embeddings.add(values);
        assertThat(rs.getString(3)).isEqualTo("v1");
        assertThat(rs.getString(4)).isEqualTo("real[]");
      }
      assertThat(embeddings)
          .containsExactly(
              List.of(0.5f, -1.25f, 3.0e-7f), List.of(Float.MAX_VALUE, -0.0f, 1f / 3f));
    }
  }

  @Test
  void aRepeatableReadReaderThatStartedBeforeThePublishKeepsSeeingTheOldVersion()
      throws SQLException {
    publish(1, 3, 0, "v1");
    try (Connection reader = Postgres.connect()) {
      reader.setAutoCommit(false);
      reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      assertThat(versions(reader))
          .containsExactly(Map.entry("v1", 6L)); // the snapshot is taken here

      publish(10, 2, 1, "v2"); // does not wait for the reader

      assertThat(versions(reader)).containsExactly(Map.entry("v1", 6L));
      reader.commit();
      assertThat(versions(reader)).containsExactly(Map.entry("v2", 4L));
    }
  }

  @Test
  void concurrentReadersOnlyEverSeeWholeVersions() throws Exception {
    publish(1, 3, 0, "v0");
    Map<String, Long> sizes = Map.of("v0", 6L, "v1", 8L, "v2", 10L, "v3", 12L);
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<List<Map<String, Long>>> reads =
        CompletableFuture.supplyAsync(
            () -> {
              List<Map<String, Long>> seen = new ArrayList<>();
              try (Connection c = Postgres.connect()) {
                while (!done.get()) {
                  seen.add(versions(c));
                }
                seen.add(versions(c));
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              return seen;
            });
    try {
      for (int v = 1; v <= 3; v++) {
        publish(100 * v, 3 + v, v, "v" + v);
      }
    } finally {
      done.set(true);
    }

    List<Map<String, Long>> seen = reads.get();
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(
            read -> {
              assertThat(read).hasSize(1); // never two versions, never empty
              read.forEach((version, rows) -> assertThat(rows).isEqualTo(sizes.get(version)));
            });
    assertThat(seen.get(seen.size() - 1)).containsExactly(Map.entry("v3", 12L));
  }

  @Test
  void aFailedLoadLeavesThePublishedVersionAndNoSecretInTheMessage() throws SQLException {
    publish(1, 3, 0, "v1");
    JdbcTarget withPassword =
        new JdbcTarget(Postgres.URL + "?password=UrlSecret42", Postgres.USER, "PropSecret42");
    List<Row> broken = List.of(RowFactory.create(1L, 1, 5L, null)); // score NOT NULL
    Dataset<Row> bad = spark.createDataFrame(broken, RECOMMENDATIONS);

    assertThatThrownBy(
            () ->
                RecommendationsPublisher.publish(
                    withPassword, schema, bad, embeddings(1), "v2", GENERATED_AT))
        .isInstanceOf(RecdataException.class)
        .satisfies(
            e ->
                assertThat(everything(e))
                    .doesNotContain("UrlSecret42")
                    .doesNotContain("PropSecret42"))
        .hasMessageContaining("password=***");
    try (Connection c = Postgres.connect()) {
      assertThat(versions(c)).containsExactly(Map.entry("v1", 6L));
    }
  }

  @Test
  void credentialsNeverAppearWhenTheConnectionFails() {
    JdbcTarget unreachable =
        new JdbcTarget(
            "jdbc:postgresql://127.0.0.1:1/test?password=UrlSecret42", "postgres", "PropSecret42");

    assertThatThrownBy(
            () ->
                RecommendationsPublisher.publish(
                    unreachable,
                    schema,
                    recommendations(1, 1, 0),
                    embeddings(0),
                    "v1",
                    GENERATED_AT))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("127.0.0.1:1")
        .satisfies(
            e ->
                assertThat(everything(e))
                    .doesNotContain("UrlSecret42")
                    .doesNotContain("PropSecret42"));
  }

  /** The exception's message, causes and stack trace as a log would print them. */
  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out + " " + e;
  }
}
