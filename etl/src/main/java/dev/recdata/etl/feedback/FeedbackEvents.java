package dev.recdata.etl.feedback;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import dev.recdata.etl.RejectReason;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns feedback table rows (columns {@link FeedbackSql#ID}, {@code USER}, {@code LIKE}, {@code
 * OTHERS}, {@code TS}) into canonical interactions and rejects. Each valid row yields one "like"
 * and one "impression" per other item shown, in the order shown; an impression of the liked item
 * itself is kept as it came (the API should not send one, and dropping it here would hide that it
 * did). A row with a null user, a null liked item, a null timestamp or a null among the other items
 * is rejected whole: half a row would bias negatives.
 */
final class FeedbackEvents {
  private FeedbackEvents() {}

  static final String SOURCE = "feedback";

  private static final Column USER = col(FeedbackSql.USER);
  private static final Column LIKE = col(FeedbackSql.LIKE);
  private static final Column OTHERS = col(FeedbackSql.OTHERS);
  private static final Column TS = col(FeedbackSql.TS);

  /** Non-null even for a null array, so "not this" is false rather than null there. */
  private static Column othersHaveNull() {
    return coalesce(exists(OTHERS, Column::isNull), lit(false));
  }

  /**
   * Canonical interactions of the valid rows: the columns and types of {@code Schema.INTERACTIONS},
   * all declared nullable as read over JDBC (Spark writes Parquet columns nullable in any case).
   */
  static Dataset<Row> interactions(Dataset<Row> feedback) {
    Column valid =
        USER.isNotNull().and(LIKE.isNotNull()).and(TS.isNotNull()).and(not(othersHaveNull()));
    // One array per row (the like first, then the impressions) and one posexplode: a union of a
    // like
    // projection and an impression explode would scan the JDBC source twice.
    Column noItems = array().cast(DataTypes.createArrayType(DataTypes.LongType));
    Column items = concat(array(LIKE), coalesce(OTHERS, noItems));
    return feedback
        .filter(valid)
        .select(USER, TS, posexplode(items).as(new String[] {"position", "item"}))
        .select(
            USER.as(Schema.USER_ID),
            col("item").as(Schema.ITEM_ID),
            lit(null).cast(DataTypes.FloatType).as(Schema.RATING),
            TS.as(Schema.TS),
            when(col("position").equalTo(0), lit(Schema.EVENT_LIKE))
                .otherwise(lit(Schema.EVENT_IMPRESSION))
                .as(Schema.EVENT),
            lit(SOURCE).as(Schema.SOURCE));
  }

  /**
   * Rejects of the invalid rows: file = table, line = the row's id, raw = the row as JSON, every
   * reason.
   */
  static Dataset<Row> rejects(Dataset<Row> feedback, FeedbackOptions options) {
    List<RejectReason.Check> checks =
        List.of(
            new RejectReason.Check(
                USER.isNull(), RejectReason.NULL_FEEDBACK_USER, lit(options.userCol())),
            new RejectReason.Check(
                LIKE.isNull(), RejectReason.NULL_FEEDBACK_ITEM, lit(options.likeCol())),
            new RejectReason.Check(
                othersHaveNull(), RejectReason.NULL_FEEDBACK_SHOWN_ITEM, lit(options.othersCol())),
            new RejectReason.Check(
                TS.isNull(), RejectReason.NULL_FEEDBACK_TIMESTAMP, lit(options.tsCol())));
    Column reasons =
        array_compact(
            array(
                checks.stream()
                    .map(c -> when(c.failed(), c.reason().messageColumn(c.values())))
                    .toArray(Column[]::new)));
    // The readable reason lists every problem; the code is the first one's, so each row counts
    // once.
    Column code = RejectReason.firstCode(checks);
    Column raw =
        to_json(
            struct(
                col(FeedbackSql.ID).as(options.idCol()),
                USER.as(options.userCol()),
                LIKE.as(options.likeCol()),
                OTHERS.as(options.othersCol()),
                TS.as(options.tsCol())),
            // Nulls are the reason for the reject: show them rather than omit the field.
            Map.of(
                "ignoreNullFields", "false",
                "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
    return feedback
        .withColumn("reasons", reasons)
        .filter(size(col("reasons")).gt(0))
        .select(
            lit(SOURCE).as(Schema.SOURCE),
            lit(options.table()).as(Schema.REJECT_FILE),
            col(FeedbackSql.ID).as(Schema.REJECT_LINE),
            raw.as(Schema.REJECT_RAW),
            array_join(col("reasons"), "; ").as(Schema.REJECT_REASON),
            code.as(Schema.REJECT_REASON_CODE));
  }
}
