package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Publishes a model's recommendations and item embeddings to PostgreSQL so that a reader sees the
 * previous version or the new one, never a mix:
 *
 * <ol>
 *   <li>Spark loads each table's new rows into a fresh staging table in parallel (outside any
 *       transaction the readers could see);
 *   <li>one transaction locks the published tables against other publishers, deletes their rows and
 *       copies the staging rows in (stamping {@code model_version} and {@code generated_at}), then
 *       drops the staging tables.
 * </ol>
 *
 * <p>Why delete-and-insert rather than swapping tables with {@code ALTER TABLE ... RENAME}: a
 * rename needs an ACCESS EXCLUSIVE lock, so it waits for every running reader and, while it waits,
 * queues every new serving query behind it; and a REPEATABLE READ reader whose snapshot predates
 * the load would find the renamed-in table empty (catalog changes are not MVCC). Row changes are
 * MVCC: readers are never blocked, every snapshot sees exactly one version, whatever its isolation
 * level. The price is writing the rows twice and leaving the old version's rows for autovacuum
 * (users x K rows: 0.8 M at MovieLens 25M scale).
 *
 * <p>{@code item_embeddings.embedding} is {@code real[]}; with pgvector, {@code embedding::vector}
 * (or {@code ALTER TABLE ... ALTER COLUMN embedding TYPE vector(R) USING embedding::vector(R)})
 * converts it.
 */
public final class RecommendationsPublisher {
  private RecommendationsPublisher() {}

  public static final String RECOMMENDATIONS = "recommendations";
  public static final String ITEM_EMBEDDINGS = "item_embeddings";
  public static final String MODEL_VERSION = "model_version";
  public static final String GENERATED_AT = "generated_at";
  public static final String EMBEDDING = "embedding";

  /** Rows now published. */
  public record Published(String modelVersion, long recommendations, long itemEmbeddings) {}

  /**
   * Publishes an export's {@code serving/parquet/recommendations} and the item factors of {@code
   * serving/parquet/item_factors} (written with the Parquet format).
   */
  public static Published publishExport(
      SparkSession spark,
      JdbcTarget jdbc,
      String schema,
      String servingDir,
      ServingSummary summary) {
    Path items = new Path(servingDir, "parquet/" + ServingExport.ITEM_FACTORS);
    try {
      RecdataException.checkInput(
          items.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(items),
          "publishing item embeddings needs %s: export with the parquet format",
          items);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Dataset<Row> recommendations =
        spark
            .read()
            .parquet(new Path(servingDir, "parquet/" + ServingExport.RECOMMENDATIONS).toString());
    Dataset<Row> embeddings =
        spark
            .read()
            .parquet(items.toString())
            .select(col(Schema.ITEM_ID), col(FactorModel.FACTORS).as(EMBEDDING));
    return publish(
        jdbc, schema, recommendations, embeddings, summary.modelVersion(), summary.generatedAt());
  }

  /**
   * Replaces {@code SCHEMA.recommendations(user_id, rank, item_id, score, model_version,
   * generated_at)} with {@code recommendations (user_id, rank, item_id, score)} and {@code
   * SCHEMA.item_embeddings(item_id, embedding real[], model_version)} with {@code itemEmbeddings
   * (item_id, embedding array<float>)}, in one transaction. Creates the schema and tables on first
   * use.
   */
  public static Published publish(
      JdbcTarget jdbc,
      String schema,
      Dataset<Row> recommendations,
      Dataset<Row> itemEmbeddings,
      String modelVersion,
      Instant generatedAt) {
    JdbcTarget.checkSchema(schema);
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String recommendationsTable = schema + "." + RECOMMENDATIONS;
    String embeddingsTable = schema + "." + ITEM_EMBEDDINGS;
    String recommendationsStaging = schema + "." + RECOMMENDATIONS + "_staging_" + suffix;
    String embeddingsStaging = schema + "." + ITEM_EMBEDDINGS + "_staging_" + suffix;
    try (Connection connection = jdbc.connect()) {
      try {
        try (Statement s = connection.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + recommendationsTable
                  + " (user_id bigint NOT NULL, rank integer NOT NULL, item_id bigint NOT NULL, score real NOT NULL,"
                  + " model_version text NOT NULL, generated_at timestamptz NOT NULL, PRIMARY KEY (user_id, rank))");
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + embeddingsTable
                  + " (item_id bigint PRIMARY KEY, embedding real[] NOT NULL, model_version text NOT NULL)");
          s.execute(
              "CREATE UNLOGGED TABLE "
                  + recommendationsStaging
                  + " (user_id bigint NOT NULL, rank integer NOT NULL, item_id bigint NOT NULL, score real NOT NULL)");
          s.execute(
              "CREATE UNLOGGED TABLE "
                  + embeddingsStaging
                  + " (item_id bigint NOT NULL, embedding real[] NOT NULL)");
        }
        load(
            jdbc,
            recommendations.select(
                col(Schema.USER_ID).cast("bigint"),
                col(Recommendations.RANK).cast("int"),
                col(Schema.ITEM_ID).cast("bigint"),
                col(Recommendations.SCORE).cast("float")),
            recommendationsStaging);
        load(
            jdbc,
            itemEmbeddings.select(
                col(Schema.ITEM_ID).cast("bigint"), col(EMBEDDING).cast("array<float>")),
            embeddingsStaging);
        return swap(
            connection,
            recommendationsTable,
            recommendationsStaging,
            embeddingsTable,
            embeddingsStaging,
            modelVersion,
            generatedAt);
      } finally {
        dropQuietly(connection, recommendationsStaging, embeddingsStaging);
      }
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot publish to PostgreSQL at " + jdbc.redactedUrl() + ": " + jdbc.safeMessage(e));
    }
  }

  /**
   * Parallel inserts from the executors, batched ({@code reWriteBatchedInserts} makes them
   * multi-row).
   */
  private static void load(JdbcTarget jdbc, Dataset<Row> rows, String table) {
    Properties properties = jdbc.properties();
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("batchsize", "5000");
    try {
      rows.write().mode(SaveMode.Append).jdbc(jdbc.url(), table, properties);
    } catch (Exception e) { // SparkException is checked but undeclared
      // Spark's message may carry the driver's; neither the URL nor the password may leave here
      throw new RecdataException(
          RecdataException.EXIT_INTERNAL,
          "cannot load "
              + table
              + " at "
              + jdbc.redactedUrl()
              + ": "
              + jdbc.safeMessage(rootCause(e)));
    }
  }

  /**
   * The innermost cause: the database's own error, not Spark's job-abort message with executor
   * stack traces.
   */
  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static Published swap(
      Connection connection,
      String recommendationsTable,
      String recommendationsStaging,
      String embeddingsTable,
      String embeddingsStaging,
      String modelVersion,
      Instant generatedAt)
      throws SQLException {
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      // self-conflicting, but compatible with readers' ACCESS SHARE: two publishers run one after
      // the other
      s.execute(
          "LOCK TABLE "
              + recommendationsTable
              + ", "
              + embeddingsTable
              + " IN SHARE ROW EXCLUSIVE MODE");
      s.executeUpdate("DELETE FROM " + recommendationsTable);
      s.executeUpdate("DELETE FROM " + embeddingsTable);
      long recommendations;
      long embeddings;
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + recommendationsTable
                  + " (user_id, rank, item_id, score, model_version, generated_at)"
                  + " SELECT user_id, rank, item_id, score, ?, ? FROM "
                  + recommendationsStaging)) {
        insert.setString(1, modelVersion);
        insert.setObject(2, OffsetDateTime.ofInstant(generatedAt, ZoneOffset.UTC));
        recommendations = insert.executeUpdate();
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + embeddingsTable
                  + " (item_id, embedding, model_version) SELECT item_id, embedding, ? FROM "
                  + embeddingsStaging)) {
        insert.setString(1, modelVersion);
        embeddings = insert.executeUpdate();
      }
      s.execute("DROP TABLE " + recommendationsStaging + ", " + embeddingsStaging);
      connection.commit();
      return new Published(modelVersion, recommendations, embeddings);
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static void dropQuietly(Connection connection, String... tables) {
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + String.join(", ", tables));
    } catch (SQLException ignored) {
      // best effort after a failure; the staging tables carry a random suffix and hold no published
      // data
    }
  }
}
