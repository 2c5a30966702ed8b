package dev.recdata.als;

import dev.recdata.common.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores any {@link Recommender} on an evaluation set, with the same filters, K and relevance for
 * all.
 */
final class Evaluation {
  private Evaluation() {}

  /** What is scored: rated pairs for RMSE/MAE, relevant items per user for the ranking metrics. */
  record EvalSet(Dataset<Row> ratedPairs, Dataset<Row> relevant) {
    static EvalSet of(Dataset<Row> test, AlsOptions o) {
      return new EvalSet(Feedback.ratedPairs(test).cache(), Feedback.relevant(test, o).cache());
    }

    void unpersist() {
      ratedPairs.unpersist();
      relevant.unpersist();
    }
  }

  static Map<String, Double> evaluate(
      Recommender model, TrainingSet training, EvalSet eval, AlsOptions o) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (o.mode() == AlsOptions.Mode.EXPLICIT) {
      Dataset<Row> predictions = model.predict(eval.ratedPairs());
      if (predictions != null) {
        metrics.putAll(RatingMetrics.evaluate(predictions, Schema.RATING, BiasModel.PREDICTION));
      }
    }
    Dataset<Row> recommended = model.recommend(eval.relevant().select(Schema.USER_ID), o.k());
    if (recommended != null) {
      Dataset<Row> rankings = TopK.withRelevant(eval.relevant(), recommended);
      metrics.putAll(RankingMetrics.evaluate(rankings, o.k(), training.catalogSize()));
    }
    return metrics;
  }

  static Recommender mostPopular(TrainingSet training) {
    return new Recommender() {
      @Override
      public String name() {
        return "most_popular";
      }

      @Override
      public Dataset<Row> recommend(Dataset<Row> users, int k) {
        return Baselines.mostPopular(
            users.sparkSession(), training.seen(), training.excluded(), users, k);
      }

      @Override
      public Dataset<Row> predict(Dataset<Row> pairs) {
        return null;
      }
    };
  }

  static Recommender recentlyPopular(TrainingSet training, int days) {
    return new Recommender() {
      @Override
      public String name() {
        return "recently_popular";
      }

      @Override
      public Dataset<Row> recommend(Dataset<Row> users, int k) {
        return Baselines.recentlyPopular(
            users.sparkSession(), training.rows(), training.excluded(), users, k, days);
      }

      @Override
      public Dataset<Row> predict(Dataset<Row> pairs) {
        return null;
      }
    };
  }

  static Recommender random(SparkSession spark, TrainingSet training, long seed) {
    return new Recommender() {
      @Override
      public String name() {
        return "random";
      }

      @Override
      public Dataset<Row> recommend(Dataset<Row> users, int k) {
        return Baselines.random(spark, training.seen(), training.excluded(), users, k, seed);
      }

      @Override
      public Dataset<Row> predict(Dataset<Row> pairs) {
        return null;
      }
    };
  }

  /** Rating error only: ranking by item bias alone is a popularity variant already covered. */
  static Recommender bias(TrainingSet training) {
    return new Recommender() {
      @Override
      public String name() {
        return "bias";
      }

      @Override
      public Dataset<Row> recommend(Dataset<Row> users, int k) {
        return null;
      }

      @Override
      public Dataset<Row> predict(Dataset<Row> pairs) {
        return training.bias() == null
            ? null
            : training.bias().predict(pairs, BiasModel.PREDICTION);
      }
    };
  }
}
