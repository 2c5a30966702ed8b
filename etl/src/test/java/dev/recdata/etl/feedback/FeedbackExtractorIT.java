package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FeedbackExtractorIT {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final JdbcTarget TARGET = new JdbcTarget(Postgres.URL, Postgres.USER, null);
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Instant T1 = Instant.parse("2026-11-20T10:00:00.123456Z");
  private static final Instant T2 = Instant.parse("2026-11-20T11:00:00Z");
  private static final Instant T3 = Instant.parse("2026-11-20T12:00:00Z");

  private static String schema;

  @BeforeAll
  static void createSchema() {
    Postgres.connect();
    schema = Postgres.createSchema("feedback_it");
  }

  @AfterAll
  static void dropSchema() {
    Postgres.dropSchema(schema);
  }

  /** A fresh feedback table shaped like the serving API's. */
  private static String newTable() {
    String table = schema + ".feedback_" + TABLES.incrementAndGet();
    Postgres.execute(
        "CREATE TABLE "
            + table
            + " (id bigserial PRIMARY KEY, user_id bigint, like_item bigint, other_items bigint[],"
            + " created_at timestamptz NOT NULL DEFAULT now())");
    return table;
  }

  private static void insert(
      String table, long id, Long user, Long like, String others, Instant at) {
    Postgres.execute(
        String.format(
            "INSERT INTO %s (id, user_id, like_item, other_items, created_at) VALUES (%d, %s, %s, %s, '%s')",
            table, id, user, like, others == null ? "NULL" : "'" + others + "'", at));
  }

  private static FeedbackExtract extract(String table, Watermark previous) {
    return FeedbackExtractor.extract(
        SPARK, FeedbackOptions.defaults(TARGET, table).withPartitions(1), previous);
  }

  /**
   * "name type" per column: nullability is not compared, Parquet output makes every column nullable
   * anyway.
   */
  private static List<String> columns(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(f -> f.name() + " " + f.dataType().simpleString())
        .toList();
  }

  private static List<String> columns(Dataset<Row> dataset) {
    return columns(dataset.schema());
  }

  /** "user item event ts" per interaction, sorted. */
  private static List<String> events(Dataset<Row> interactions) {
    return interactions.collectAsList().stream()
        .map(
            r ->
                r.getLong(0)
                    + " "
                    + r.getLong(1)
                    + " "
                    + r.getString(4)
                    + " "
                    + ((Timestamp) r.get(3)).toInstant())
        .sorted()
        .toList();
  }

  @Test
  void firstExtractYieldsLikesAndImpressionsAtUtcTimestamps() {
    String table = newTable();
    insert(table, 1, 22434L, 28783L, "{14546,209745}", T1);
    insert(table, 2, 7L, 70L, null, T2);

    FeedbackExtract extract = extract(table, null);

    assertThat(columns(extract.interactions())).isEqualTo(columns(Schema.INTERACTIONS));
    assertThat(events(extract.interactions()))
        .containsExactly(
            "22434 14546 impression 2026-11-20T10:00:00.123456Z",
            "22434 209745 impression 2026-11-20T10:00:00.123456Z",
            "22434 28783 like 2026-11-20T10:00:00.123456Z",
            "7 70 like 2026-11-20T11:00:00Z");
    assertThat(extract.interactions().select(Schema.SOURCE).distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("feedback");
    assertThat(extract.interactions().filter("rating IS NOT NULL").count()).isZero();
    assertThat(columns(extract.rejects())).isEqualTo(columns(Schema.REJECTS));
    assertThat(extract.rejects().count()).isZero();
    assertThat(extract.tableRowsRead()).isEqualTo(2);
    assertThat(extract.previous()).isNull();
    assertThat(extract.next()).isEqualTo(new Watermark(T2, 2));
  }

  @Test
  void secondExtractReadsExactlyTheNewRowsIncludingTiesOnTheWatermarkTimestamp() {
    String table = newTable();
    insert(table, 1, 1L, 10L, "{11}", T1);
    insert(table, 2, 2L, 20L, null, T2);
    insert(table, 3, 3L, 30L, null, T2);
    FeedbackExtract first = extract(table, null);
    assertThat(events(first.interactions())).hasSize(4);
    assertThat(first.next()).isEqualTo(new Watermark(T2, 3));

    // Same timestamp as the watermark with a higher id, and a later one; the watermark travels as
    // JSON.
    insert(table, 4, 4L, 40L, "{41,42}", T2);
    insert(table, 5, 5L, 50L, null, T3);
    Watermark stored = Watermark.fromJson(first.next().toJson());
    FeedbackExtract second = extract(table, stored);

    assertThat(events(second.interactions()))
        .containsExactly(
            "4 40 like 2026-11-20T11:00:00Z",
            "4 41 impression 2026-11-20T11:00:00Z",
            "4 42 impression 2026-11-20T11:00:00Z",
            "5 50 like 2026-11-20T12:00:00Z");
    assertThat(second.tableRowsRead()).isEqualTo(2);
    assertThat(second.previous()).isEqualTo(new Watermark(T2, 3));
    assertThat(second.next()).isEqualTo(new Watermark(T3, 5));
  }

  @Test
  void extractWithNothingNewReturnsNoRowsAndKeepsTheWatermark() {
    String table = newTable();
    insert(table, 1, 1L, 10L, null, T1);
    Watermark previous = extract(table, null).next();

    FeedbackExtract again = extract(table, previous);

    assertThat(again.interactions().count()).isZero();
    assertThat(again.rejects().count()).isZero();
    assertThat(again.tableRowsRead()).isZero();
    assertThat(again.next()).isEqualTo(previous);
    assertThat(columns(again.interactions())).isEqualTo(columns(Schema.INTERACTIONS));
    assertThat(columns(again.rejects())).isEqualTo(columns(Schema.REJECTS));
  }

  @Test
  void emptyTableOnFirstExtractHasNoWatermark() {
    FeedbackExtract extract = extract(newTable(), null);

    assertThat(extract.tableRowsRead()).isZero();
    assertThat(extract.next()).isNull();
  }

  @Test
  void rowsWithNullUserLikeOrShownItemGoToRejectsWithTheirId() {
    String table = newTable();
    insert(table, 1, 1L, 10L, "{11}", T1);
    insert(table, 2, null, 20L, "{21}", T1);
    insert(table, 3, 3L, null, null, T1);
    insert(table, 4, 4L, 40L, "{41,NULL}", T1);

    FeedbackExtract extract = extract(table, null);

    assertThat(events(extract.interactions()))
        .containsExactly(
            "1 10 like 2026-11-20T10:00:00.123456Z", "1 11 impression 2026-11-20T10:00:00.123456Z");
    List<Row> rejects = extract.rejects().orderBy(Schema.REJECT_LINE).collectAsList();
    assertThat(rejects)
        .extracting(
            r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(2) + " " + r.getString(4))
        .containsExactly(
            "feedback " + table + " 2 user_id is null",
            "feedback " + table + " 3 like_item is null",
            "feedback " + table + " 4 other_items contains a null item");
    assertThat(rejects.get(0).getString(3))
        .isEqualTo(
            "{\"id\":2,\"user_id\":null,\"like_item\":20,\"other_items\":[21],"
                + "\"created_at\":\"2026-11-20T10:00:00.123456Z\"}");
    assertThat(extract.tableRowsRead()).isEqualTo(4);
    assertThat(extract.next()).isEqualTo(new Watermark(T1, 4));
  }

  @Test
  void partitionedReadReturnsTheSameRowsAsOnePartition() {
    String table = newTable();
    for (long id = 1; id <= 40; id++) {
      insert(
          table,
          id * 7,
          id,
          1000 + id,
          "{" + (2000 + id) + "," + (3000 + id) + "}",
          T1.plusSeconds(id % 5));
    }
    insert(table, 500, null, 1L, null, T1);
    FeedbackOptions options = FeedbackOptions.defaults(TARGET, table);

    FeedbackExtract single = FeedbackExtractor.extract(SPARK, options.withPartitions(1), null);
    FeedbackExtract parallel = FeedbackExtractor.extract(SPARK, options.withPartitions(4), null);

    assertThat(parallel.interactions().rdd().getNumPartitions()).isEqualTo(4);
    assertThat(single.interactions().rdd().getNumPartitions()).isEqualTo(1);
    assertThat(events(parallel.interactions()))
        .hasSize(120)
        .isEqualTo(events(single.interactions()));
    assertThat(parallel.rejects().collectAsList()).isEqualTo(single.rejects().collectAsList());
    // The newest timestamp is T1 + 4s (ids 4, 9, ..., 39 times 7); the highest id among them is 39
    // * 7.
    assertThat(parallel.next())
        .isEqualTo(single.next())
        .isEqualTo(new Watermark(T1.plusSeconds(4), 273));
  }

  @Test
  void lagLeavesRecentRowsForTheNextExtract() {
    String table = newTable();
    Instant old = Instant.now().minusSeconds(7200);
    insert(table, 1, 1L, 10L, null, old);
    Postgres.execute(
        "INSERT INTO "
            + table
            + " (id, user_id, like_item) VALUES (2, 2, 20)"); // created_at = now()

    FeedbackExtract lagged =
        FeedbackExtractor.extract(
            SPARK, FeedbackOptions.defaults(TARGET, table).withLagSeconds(3600), null);
    FeedbackExtract unlagged = extract(table, lagged.next());

    assertThat(lagged.tableRowsRead()).isEqualTo(1);
    assertThat(lagged.next().id()).isEqualTo(1);
    assertThat(unlagged.tableRowsRead()).isEqualTo(1);
    assertThat(unlagged.next().id()).isEqualTo(2);
  }

  @Test
  void timestampWithoutTimeZoneIsReadAsUtc() {
    String table = schema + ".feedback_local_" + TABLES.incrementAndGet();
    Postgres.execute(
        "CREATE TABLE "
            + table
            + " (id int PRIMARY KEY, user_id int, like_item int, other_items int[], created_at timestamp)");
    Postgres.execute("INSERT INTO " + table + " VALUES (1, 1, 10, '{11}', '2026-11-20 10:00:00')");
    Postgres.execute("INSERT INTO " + table + " VALUES (2, 2, 20, NULL, '2026-11-20 11:00:00')");

    FeedbackExtract first = extract(table, null);
    FeedbackExtract second =
        extract(table, new Watermark(Instant.parse("2026-11-20T10:00:00Z"), 1));

    assertThat(events(first.interactions()))
        .containsExactly(
            "1 10 like 2026-11-20T10:00:00Z",
            "1 11 impression 2026-11-20T10:00:00Z",
            "2 20 like 2026-11-20T11:00:00Z");
    assertThat(first.next()).isEqualTo(new Watermark(Instant.parse("2026-11-20T11:00:00Z"), 2));
    assertThat(events(second.interactions())).containsExactly("2 20 like 2026-11-20T11:00:00Z");
  }

  @Test
  void unreachableDatabaseIsBadInputWithoutThePassword() {
    JdbcTarget unreachable =
        new JdbcTarget("jdbc:postgresql://127.0.0.1:1/test?password=secret", "postgres", null);

    RecdataException e = failure(FeedbackOptions.defaults(unreachable, "feedback"));

    assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("secret");
  }

  @Test
  void missingTableIsBadInputNamingItWithoutThePassword() {
    JdbcTarget withPassword =
        new JdbcTarget(Postgres.URL + "?password=secret", "postgres", "secret");

    RecdataException e = failure(FeedbackOptions.defaults(withPassword, schema + ".no_such_table"));

    assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(e.getMessage())
        .contains(schema + ".no_such_table", "does not exist", "like_item")
        .doesNotContain("secret");
  }

  @Test
  void missingColumnIsBadInputListingTheColumnsPresent() {
    String table = newTable();
    FeedbackOptions options =
        new FeedbackOptions(
            TARGET, table, "id", "user_id", "liked", "other_items", "created_at", 1, 0);

    RecdataException e = failure(options);

    assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(e.getMessage())
        .contains(table, "no column liked", "like_item int8", "other_items _int8");
  }

  @Test
  void columnOfTheWrongTypeIsBadInput() {
    String table = schema + ".feedback_text_" + TABLES.incrementAndGet();
    Postgres.execute(
        "CREATE TABLE "
            + table
            + " (id bigint, user_id bigint, like_item bigint, other_items text, created_at timestamptz)");

    RecdataException e = failure(FeedbackOptions.defaults(TARGET, table));

    assertThat(e.getMessage())
        .contains("column other_items has type text", "array of integer item ids");
  }

  private static RecdataException failure(FeedbackOptions options) {
    return catchThrowableOfType(
        RecdataException.class, () -> FeedbackExtractor.extract(SPARK, options, null));
  }
}
