package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FeedbackEventsTest {
  private static final StructType SLICE =
      new StructType()
          .add(FeedbackSql.ID, DataTypes.LongType)
          .add(FeedbackSql.USER, DataTypes.LongType)
          .add(FeedbackSql.LIKE, DataTypes.LongType)
          .add(FeedbackSql.OTHERS, DataTypes.createArrayType(DataTypes.LongType))
          .add(FeedbackSql.TS, DataTypes.TimestampType);
  private static final Timestamp AT = Timestamp.from(Instant.parse("2026-11-20T10:00:00Z"));
  private static final FeedbackOptions OPTIONS =
      FeedbackOptions.defaults(
          new JdbcTarget("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null),
          "app.feedback");

  private static Dataset<Row> slice(Row... rows) {
    return SharedSpark.session().createDataFrame(List.of(rows), SLICE);
  }

  private static Row row(Long id, Long user, Long like, List<Long> others, Timestamp ts) {
    return RowFactory.create(
        id, user, like, others == null ? null : others.toArray(new Long[0]), ts);
  }

  @Test
  void likeComesWithOneImpressionPerOtherItemShown() {
    Dataset<Row> interactions =
        FeedbackEvents.interactions(
            slice(row(1L, 22434L, 28783L, List.of(14546L, 209745L, 28783L), AT)));

    assertThat(interactions.columns()).containsExactly(Schema.INTERACTIONS.fieldNames());
    assertThat(interactions.collectAsList())
        .extracting(
            r ->
                r.getLong(0)
                    + " "
                    + r.getLong(1)
                    + " "
                    + r.get(2)
                    + " "
                    + r.getString(4)
                    + " "
                    + r.getString(5))
        .containsExactlyInAnyOrder(
            "22434 28783 null like feedback",
            "22434 14546 null impression feedback",
            "22434 209745 null impression feedback",
            // an impression of the liked item itself is kept as sent
            "22434 28783 null impression feedback");
  }

  @Test
  void rowWithoutOtherItemsYieldsTheLikeAlone() {
    Dataset<Row> interactions =
        FeedbackEvents.interactions(
            slice(row(1L, 5L, 50L, null, AT), row(2L, 6L, 60L, List.of(), AT)));

    assertThat(interactions.collectAsList())
        .extracting(r -> r.getLong(0) + " " + r.getLong(1) + " " + r.getString(4))
        .containsExactlyInAnyOrder("5 50 like", "6 60 like");
    assertThat(FeedbackEvents.rejects(slice(row(1L, 5L, 50L, null, AT)), OPTIONS).count()).isZero();
  }

  @Test
  void everyInvalidRowIsRejectedWholeWithAllItsReasons() {
    Dataset<Row> feedback =
        slice(
            row(7L, null, null, List.of(1L), AT),
            row(8L, 8L, 80L, java.util.Arrays.asList(81L, null), AT),
            row(9L, 9L, 90L, List.of(91L), null));

    assertThat(FeedbackEvents.interactions(feedback).count()).isZero();
    assertThat(
            FeedbackEvents.rejects(feedback, OPTIONS).orderBy(Schema.REJECT_LINE).collectAsList())
        .extracting(
            r ->
                r.getString(0)
                    + " | "
                    + r.getString(1)
                    + " | "
                    + r.getLong(2)
                    + " | "
                    + r.getString(4)
                    + " | "
                    + r.getAs(Schema.REJECT_REASON_CODE))
        .containsExactly(
            "feedback | app.feedback | 7 | user_id is null; like_item is null | null_feedback_user",
            "feedback | app.feedback | 8 | other_items contains a null item | null_feedback_shown_item",
            "feedback | app.feedback | 9 | created_at is null | null_feedback_timestamp");
  }
}
