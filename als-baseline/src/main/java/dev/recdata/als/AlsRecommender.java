package dev.recdata.als;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nanvl;

import dev.recdata.common.Schema;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fitted Spark ALS model with the pieces that make it usable on raw ids: the int indices, the bias model
 * it was centred on (explicit mode) and the cold-start fallbacks. ALS leaves NaN for a user or item it never
 * saw ({@code coldStartStrategy=nan}, so no test row silently disappears); here the NaN becomes the bias
 * model's prediction, and a cold user simply gets no recommendations.
 */
final class AlsRecommender implements Recommender {
  static final String ALS_PREDICTION = "als_prediction";
  private static final String FEATURES = "features";
  private static final String ID = "id";

  private final ALSModel model;
  private final TrainingSet training;
  private final boolean centred;

  private AlsRecommender(ALSModel model, TrainingSet training, boolean centred) {
    this.model = model;
    this.training = training;
    this.centred = centred;
  }

  static AlsRecommender fit(TrainingSet training, AlsOptions o) {
    boolean centred = o.centerByBiases() && training.bias() != null;
    Dataset<Row> labels = centred ? training.bias().residuals(training.labels()) : training.labels();
    Dataset<Row> input =
        labels
            .join(training.userIndex(), Schema.USER_ID)
            .join(training.itemIndex(), Schema.ITEM_ID)
            .select(Schema.USER_IDX, Schema.ITEM_IDX, Feedback.LABEL);
    ALS als =
        new ALS()
            .setUserCol(Schema.USER_IDX)
            .setItemCol(Schema.ITEM_IDX)
            .setRatingCol(Feedback.LABEL)
            .setPredictionCol(ALS_PREDICTION)
            .setImplicitPrefs(o.mode() == AlsOptions.Mode.IMPLICIT)
            .setRank(o.rank())
            .setMaxIter(o.maxIter())
            .setRegParam(o.regParam())
            .setAlpha(o.alpha())
            .setNonnegative(o.nonnegative())
            .setSeed(o.seed())
            .setNumUserBlocks(o.blocks())
            .setNumItemBlocks(o.blocks())
            .setColdStartStrategy("nan")
            // truncates the factor lineage; only effective because the job always sets a checkpoint dir
            .setCheckpointInterval(5);
    return new AlsRecommender(als.fit(input), training, centred);
  }

  ALSModel model() {
    return model;
  }

  /** The bias model the factors are centred on, or null when ALS fits raw labels. */
  BiasModel centring() {
    return centred ? training.bias() : null;
  }

  @Override
  public String name() {
    return "als";
  }

  @Override
  public Dataset<Row> predict(Dataset<Row> pairs) {
    if (training.bias() == null) {
      return null;
    }
    Dataset<Row> indexed =
        pairs
            .join(training.userIndex(), new String[] {Schema.USER_ID}, "left")
            .join(training.itemIndex(), new String[] {Schema.ITEM_ID}, "left")
            .withColumn(Schema.USER_IDX, coalesce(col(Schema.USER_IDX), lit(-1)))
            .withColumn(Schema.ITEM_IDX, coalesce(col(Schema.ITEM_IDX), lit(-1)));
    // the residuals were fitted against the unclipped baseline; only the final sum is clipped to the scale
    Dataset<Row> scored = training.bias().withBaseline(model.transform(indexed), "baseline", false);
    Column als = col(ALS_PREDICTION).cast("double");
    Column prediction =
        training.bias().clip(centred ? col("baseline").plus(nanvl(als, lit(0.0))) : nanvl(als, col("baseline")));
    return scored.withColumn(BiasModel.PREDICTION, prediction).drop("baseline", ALS_PREDICTION, Schema.USER_IDX, Schema.ITEM_IDX);
  }

  @Override
  public Dataset<Row> candidates(Dataset<Row> users, int n) {
    Dataset<Row> known = users.join(training.userIndex(), Schema.USER_ID).select(Schema.USER_IDX);
    return rankingModel()
        .recommendForUserSubset(known, n)
        .select(col(Schema.USER_IDX), explode(col("recommendations")).as("rec"))
        .select(
            col(Schema.USER_IDX),
            col("rec").getField(Schema.ITEM_IDX).as(Schema.ITEM_IDX),
            col("rec").getField("rating").cast("double").as(TopK.SCORE))
        .join(training.userIndex(), Schema.USER_IDX)
        .join(training.itemIndex(), Schema.ITEM_IDX)
        .select(Schema.USER_ID, Schema.ITEM_ID, TopK.SCORE);
  }

  /**
   * The model whose dot products rank items the way predictions do. Centred, a prediction is mu + b_u + b_i
   * + u.v; mu and b_u do not change a user's order, so appending 1 to every user vector and b_i to every item
   * vector lets ALS's own blocked top-K rank by b_i + u.v.
   */
  private ALSModel rankingModel() {
    if (!centred) {
      return model;
    }
    Dataset<Row> users =
        model.userFactors().select(col(ID), concat(col(FEATURES), array(lit(1.0f))).as(FEATURES));
    Dataset<Row> itemBiasByIdx =
        training
            .itemIndex()
            .join(training.bias().itemBias(), Schema.ITEM_ID)
            .select(col(Schema.ITEM_IDX).as(ID), col(BiasModel.ITEM_BIAS));
    Dataset<Row> items =
        model
            .itemFactors()
            .join(itemBiasByIdx, new String[] {ID}, "left")
            .select(
                col(ID),
                concat(col(FEATURES), array(coalesce(col(BiasModel.ITEM_BIAS), lit(0.0)).cast("float"))).as(FEATURES));
    return new ALSModel(model.uid(), model.rank() + 1, users, items)
        .setUserCol(Schema.USER_IDX)
        .setItemCol(Schema.ITEM_IDX)
        .setPredictionCol(ALS_PREDICTION)
        .setColdStartStrategy("nan");
  }
}
