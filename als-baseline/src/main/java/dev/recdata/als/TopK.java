package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Brings every recommender's top K into the one shape {@link RankingMetrics} reads. */
final class TopK {
  private TopK() {}

  /**
   * {@code (user_id, recommended)} from {@link BlockTopK}'s {@code (query_id, rank, candidate_id,
   * score)}.
   */
  static Dataset<Row> lists(Dataset<Row> ranked) {
    return ranked
        .groupBy(col(BlockTopK.QUERY_ID).as(Schema.USER_ID))
        .agg(
            sort_array(collect_list(struct(col(BlockTopK.RANK), col(BlockTopK.CANDIDATE_ID))))
                .as("ranked"))
        .select(
            col(Schema.USER_ID),
            transform(col("ranked"), r -> r.getField(BlockTopK.CANDIDATE_ID))
                .as(RankingMetrics.RECOMMENDED));
  }

  /**
   * Rows for {@link RankingMetrics}: every user with relevant items, with their list or null (cold
   * start).
   */
  static Dataset<Row> withRelevant(Dataset<Row> relevant, Dataset<Row> recommendations) {
    return relevant.join(recommendations, new String[] {Schema.USER_ID}, "left");
  }
}
