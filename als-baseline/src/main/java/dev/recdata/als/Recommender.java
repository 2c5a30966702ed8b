package dev.recdata.als;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What the evaluation asks of a model, ALS and baselines alike. */
interface Recommender {
  /** The name in reports: {@code als}, {@code most_popular}, {@code random}, {@code bias}. */
  String name();

  /**
   * {@code (user_id, recommended array<bigint>)}: for each of the users, the model's K best items
   * that the user has not seen in train, best first. A user the model cannot rank (cold start) has
   * no row. Null when the model does not rank.
   */
  Dataset<Row> recommend(Dataset<Row> users, int k);

  /**
   * The pairs with a finite {@code prediction} column; null when the model does not predict
   * ratings.
   */
  Dataset<Row> predict(Dataset<Row> pairs);
}
