package dev.recdata.als;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What the evaluation asks of a model, ALS and baselines alike. */
interface Recommender {
  /** The name in reports: {@code als}, {@code most_popular}, {@code random}, {@code bias}. */
  String name();

  /** {@code (user_id, item_id, score)}, at least n per known user; null when the model does not rank. */
  Dataset<Row> candidates(Dataset<Row> users, int n);

  /** The pairs with a finite {@code prediction} column; null when the model does not predict ratings. */
  Dataset<Row> predict(Dataset<Row> pairs);
}
