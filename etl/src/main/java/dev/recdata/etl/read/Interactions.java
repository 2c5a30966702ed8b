package dev.recdata.etl.read;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Shapes parsed rows into the canonical interactions schema. */
final class Interactions {
  private Interactions() {}

  /**
   * {@link RatingLineParser#SCHEMA} rows to {@code Schema.INTERACTIONS}: explicit rows are "rating"
   * events; implicit ones (no rating column) are "like" events with a null rating.
   */
  static Dataset<Row> fromParsed(Dataset<Row> parsed, String source, boolean explicit) {
    return parsed.select(
        col(Schema.USER_ID),
        col(Schema.ITEM_ID),
        explicit ? col(Schema.RATING) : lit(null).cast(DataTypes.FloatType).as(Schema.RATING),
        timestamp_micros(col(RatingLineParser.TS_MICROS)).as(Schema.TS),
        lit(explicit ? Schema.EVENT_RATING : Schema.EVENT_LIKE).as(Schema.EVENT),
        lit(source).as(Schema.SOURCE));
  }
}
