package dev.recdata.etl.read;

import static dev.recdata.etl.read.Fixtures.interactions;
import static dev.recdata.etl.read.Fixtures.rejects;
import static dev.recdata.etl.read.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generic CSV and Parquet inputs read through a column mapping. */
class GenericInputTest {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path dir;

  private static ColumnMapping mapping(
      String rating, TimestampUnit unit, String delimiter, boolean header) {
    return new ColumnMapping("uid", "iid", rating, "at", unit, delimiter, header);
  }

  @Test
  void csvWithMappedColumnsAndEpochSeconds() {
    write(
        dir,
        "events.csv",
        "at,uid,extra,iid,stars",
        "881250949,7,x,70,4",
        "881250950,8,\"a, b\",80,2.5");
    SourceData data =
        InputReader.read(
            spark,
            dir.resolve("events.csv").toString(),
            InputFormat.AUTO,
            mapping("stars", TimestampUnit.SECONDS, ",", true));
    assertThat(data.source()).isEqualTo("csv");
    assertThat(interactions(data))
        .containsExactly("7 70 4.0 881250949 rating", "8 80 2.5 881250950 rating");
    assertThat(data.rejects().count()).isZero();
  }

  @Test
  void csvWithEpochMillisAndASemicolon() {
    write(dir, "events.csv", "uid;iid;stars;at", "7;70;4;881250949123");
    SourceData data =
        InputReader.read(
            spark,
            dir.toString(),
            InputFormat.CSV,
            mapping("stars", TimestampUnit.MILLIS, ";", true));
    Row row = data.interactions().first();
    assertThat(row.<Timestamp>getAs(Schema.TS).toInstant())
        .isEqualTo(Instant.parse("1997-12-04T15:55:49.123Z"));
  }

  @Test
  void csvWithIsoTimestampsAndNoRatingIsImplicit() {
    write(
        dir,
        "likes.csv",
        "uid,iid,at",
        "7,70,1997-12-04T15:55:49Z",
        "8,80,1997-12-04 16:55:49",
        "9,90,1997-12-04T17:55:49+01:00");
    SourceData data =
        InputReader.read(
            spark, dir.toString(), InputFormat.CSV, mapping(null, TimestampUnit.ISO, ",", true));
    assertThat(interactions(data))
        .containsExactly(
            "7 70 null 881250949 like", "8 80 null 881254549 like", "9 90 null 881254549 like");
    assertThat(data.interactions().schema().simpleString())
        .isEqualTo(Schema.INTERACTIONS.simpleString());
  }

  @Test
  void csvWithoutHeaderNamesColumnsByPositionAndAutoDetectsEachTimestamp() {
    write(
        dir,
        "events.tsv",
        "7\t70\t881250949",
        "8\t80\t881250949000",
        "9\t90\t1997-12-04T15:55:49Z");
    SourceData data =
        InputReader.read(
            spark,
            dir.toString(),
            InputFormat.CSV,
            new ColumnMapping("_c0", "1", null, "_c2", TimestampUnit.AUTO, "\\t", false));
    assertThat(interactions(data))
        .containsExactly(
            "7 70 null 881250949 like", "8 80 null 881250949 like", "9 90 null 881250949 like");
  }

  @Test
  void plantedBadCsvRowsLandInRejectsWithLineNumbers() {
    write(
        dir,
        "events.csv",
        "uid,iid,stars,at",
        "7,70,4,881250949",
        "7,71,4", // 3
        "seven,72,4,881250949", // 4
        ",73,4,881250949", // 5
        "7,74,lots,881250949", // 6
        "7,75,4,tomorrow", // 7
        "7,76,\"4,881250949", // 8
        "8,80,1,881250949");
    SourceData data =
        InputReader.read(
            spark,
            dir.toString(),
            InputFormat.CSV,
            mapping("stars", TimestampUnit.SECONDS, ",", true));
    assertThat(rejects(data))
        .containsExactly(
            "3: expected 4 comma-separated fields, found 3",
            "4: user id 'seven' is not a whole number",
            "5: user id is empty",
            "6: rating 'lots' is not a number",
            "7: timestamp 'tomorrow' is not epoch seconds",
            "8: a quoted field is not closed");
    assertThat(interactions(data))
        .containsExactly("7 70 4.0 881250949 rating", "8 80 1.0 881250949 rating");
  }

  @Test
  void aMappedColumnMissingFromTheHeaderIsNamedWithTheColumnsPresent() {
    Path file = write(dir, "events.csv", "user,item,stars,at", "7,70,4,881250949");
    assertThatThrownBy(
            () ->
                InputReader.read(
                    spark,
                    file.toString(),
                    InputFormat.AUTO,
                    mapping("stars", TimestampUnit.AUTO, ",", true)))
        .isInstanceOfSatisfying(RecdataException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("user column 'uid' not found in")
        .hasMessageContaining("events.csv")
        .hasMessageContaining("columns present: user, item, stars, at");
  }

  @Test
  void parquetIsReadThroughTheMappingAndBadRowsBecomeRejectsWithTheRowAsJson() {
    StructType schema =
        new StructType()
            .add("uid", DataTypes.LongType, true)
            .add("iid", DataTypes.StringType, true)
            .add("score", DataTypes.DoubleType, true)
            .add("at", DataTypes.StringType, true);
    List<Row> rows =
        List.of(
            RowFactory.create(7L, "70", 4.0, "881250949"),
            RowFactory.create(8L, "80", 3.5, "1997-12-04T15:55:49Z"),
            RowFactory.create(null, "81", 3.0, "881250949"),
            RowFactory.create(9L, "x", 3.0, "881250949"),
            RowFactory.create(9L, "91", null, "881250949"),
            RowFactory.create(9L, "92", 3.0, "someday"),
            RowFactory.create(9L, "93", 3.0, "-9223372036854775808"));
    Path folder = dir.resolve("events");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(folder.toString());

    SourceData data =
        InputReader.read(
            spark,
            folder.toString(),
            InputFormat.AUTO,
            new ColumnMapping("uid", "iid", "score", "at", TimestampUnit.AUTO, ",", true));
    assertThat(data.source()).isEqualTo("parquet");
    assertThat(interactions(data))
        .containsExactly("7 70 4.0 881250949 rating", "8 80 3.5 881250949 rating");
    assertThat(data.interactions().schema().simpleString())
        .isEqualTo(Schema.INTERACTIONS.simpleString());
    List<Row> rejects = data.rejects().orderBy(Schema.REJECT_REASON).collectAsList();
    assertThat(rejects)
        .extracting(r -> r.<String>getAs(Schema.REJECT_REASON))
        .containsExactly(
            "item id 'x' is not a whole number",
            "rating is empty",
            "timestamp '-9223372036854775808' is not epoch seconds, epoch milliseconds or an"
                + " ISO-8601 timestamp",
            "timestamp 'someday' is not epoch seconds, epoch milliseconds or an ISO-8601 timestamp",
            "user id is empty");
    assertThat(rejects)
        .extracting(r -> r.<String>getAs(Schema.REJECT_REASON_CODE))
        .containsExactly(
            "bad_item_id", "empty_rating", "bad_timestamp", "bad_timestamp", "empty_user_id");
    assertThat(rejects.get(0).<String>getAs(Schema.REJECT_RAW))
        .isEqualTo("{\"uid\":9,\"iid\":\"x\",\"score\":3.0,\"at\":\"881250949\"}");
    assertThat(rejects.get(0).<String>getAs(Schema.REJECT_FILE)).endsWith(".parquet");
    assertThat(rejects.get(0).<Object>getAs(Schema.REJECT_LINE)).isNull();
  }

  @Test
  void parquetTimestampColumnsNeedNoUnitAndImplicitRowsAreLikes() {
    StructType schema =
        new StructType()
            .add(Schema.USER_ID, DataTypes.IntegerType, false)
            .add(Schema.ITEM_ID, DataTypes.IntegerType, false)
            .add(Schema.TS, DataTypes.TimestampType, false);
    Path file = dir.resolve("likes.parquet");
    spark
        .createDataFrame(
            List.of(RowFactory.create(1, 2, Timestamp.from(Instant.ofEpochSecond(881250949)))),
            schema)
        .coalesce(1)
        .write()
        .parquet(file.toString());
    SourceData data =
        InputReader.read(
            spark,
            file.toString(),
            InputFormat.PARQUET,
            new ColumnMapping(
                Schema.USER_ID, Schema.ITEM_ID, null, Schema.TS, TimestampUnit.AUTO, ",", true));
    assertThat(interactions(data)).containsExactly("1 2 null 881250949 like");
  }

  @Test
  void garbledParquetNumbersAreRejectsNotFailures() {
    StructType schema =
        new StructType()
            .add("uid", DataTypes.DoubleType, true)
            .add("iid", DataTypes.StringType, true)
            .add("at", DataTypes.DoubleType, true);
    List<Row> rows =
        List.of(
            RowFactory.create(7.0, "70", 881250949.0),
            RowFactory.create(7.5, "71", 881250949.0),
            RowFactory.create(9.0, "90", Double.NaN),
            RowFactory.create(9.0, "91", 1e30));
    Path folder = dir.resolve("garbled");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(folder.toString());
    SourceData data =
        InputReader.read(
            spark,
            folder.toString(),
            InputFormat.PARQUET,
            mapping(null, TimestampUnit.AUTO, ",", true));
    assertThat(interactions(data)).containsExactly("7 70 null 881250949 like");
    assertThat(data.rejects().orderBy(Schema.REJECT_REASON).collectAsList())
        .extracting(r -> r.<String>getAs(Schema.REJECT_REASON))
        .containsExactly(
            "timestamp '1.0E30' is not epoch seconds, epoch milliseconds or an ISO-8601 timestamp",
            "timestamp 'NaN' is not epoch seconds, epoch milliseconds or an ISO-8601 timestamp",
            "user id '7.5' is not a whole number");
  }

  @Test
  void aParquetMappingToAMissingColumnListsTheColumnsPresent() {
    Path folder = dir.resolve("events");
    spark
        .createDataFrame(
            List.of(RowFactory.create(1L, 2L)),
            new StructType().add("a", DataTypes.LongType).add("b", DataTypes.LongType))
        .write()
        .parquet(folder.toString());
    assertThatThrownBy(
            () ->
                InputReader.read(
                    spark, folder.toString(), InputFormat.PARQUET, ColumnMapping.defaults()))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("user column 'user_id' not found in")
        .hasMessageContaining("columns present: a, b");
  }
}
