package dev.recdata.etl.clean;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Tiny inline interaction datasets and a one-line rendering of rows to assert on. */
final class Rows {
  private Rows() {}

  /** The canonical schema with every column nullable, so tests can plant a missing ts. */
  static final StructType LENIENT =
      new StructType(
          Arrays.stream(Schema.INTERACTIONS.fields())
              .map(f -> DataTypes.createStructField(f.name(), f.dataType(), true))
              .toArray(StructField[]::new));

  static Row row(long user, long item, Float rating, String ts, String event, String source) {
    return RowFactory.create(
        user, item, rating, ts == null ? null : Timestamp.from(Instant.parse(ts)), event, source);
  }

  static Row rating(long user, long item, float rating, String ts) {
    return row(user, item, rating, ts, Schema.EVENT_RATING, "ml");
  }

  static Row like(long user, long item, String ts) {
    return row(user, item, null, ts, Schema.EVENT_LIKE, "fb");
  }

  static Row impression(long user, long item, String ts) {
    return row(user, item, null, ts, Schema.EVENT_IMPRESSION, "fb");
  }

  static Dataset<Row> interactions(Row... rows) {
    return SharedSpark.session().createDataFrame(List.of(rows), LENIENT);
  }

  /** "user item rating ts event source" per row, in the dataset's order. */
  static List<String> lines(Dataset<Row> interactions) {
    return interactions.collectAsList().stream().map(Rows::line).toList();
  }

  /**
   * Same as {@link #lines} after the canonical sort, for steps whose output order is not defined.
   */
  static List<String> sortedLines(Dataset<Row> interactions) {
    return lines(Cleaning.sortCanonical(interactions));
  }

  static String line(Row row) {
    Object ts = row.getAs(Schema.TS);
    return row.getAs(Schema.USER_ID)
        + " "
        + row.getAs(Schema.ITEM_ID)
        + " "
        + row.getAs(Schema.RATING)
        + " "
        + (ts == null ? null : ((Timestamp) ts).toInstant())
        + " "
        + row.getAs(Schema.EVENT)
        + " "
        + row.getAs(Schema.SOURCE);
  }
}
