package dev.recdata.als;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nanvl;

import dev.recdata.common.Schema;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A fitted Spark ALS model with the pieces that make it usable on raw ids: the int indices, the
 * bias model it was centred on (explicit mode) and the cold-start fallbacks. ALS leaves NaN for a
 * user or item it never saw ({@code coldStartStrategy=nan}, so no test row silently disappears);
 * here the NaN becomes the bias model's prediction, and a cold user simply gets no recommendations.
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

  /** The uid MLlib stores in the saved model's metadata. */
  static final String MODEL_UID = "recdata_als";

  static AlsRecommender fit(TrainingSet training, AlsOptions o) {
    MllibBlas.install();
    boolean centred = o.centerByBiases() && training.bias() != null;
    Dataset<Row> labels =
        centred ? training.bias().residuals(training.labels()) : training.labels();
    Dataset<Row> input =
        labels
            .join(training.userIndex(), Schema.USER_ID)
            .join(training.itemIndex(), Schema.ITEM_ID)
            .select(Schema.USER_IDX, Schema.ITEM_IDX, Feedback.LABEL);
    // A fixed uid: MLlib otherwise draws a random one (als_<12 hex>) and saves it in the model's
    // metadata,
    // the one byte difference left between two runs with the same seed.
    ALS als =
        new ALS(MODEL_UID)
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
            // truncates the factor lineage; only effective because the job always sets a checkpoint
            // dir
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
    // the residuals were fitted against the unclipped baseline; only the final sum is clipped to
    // the scale
    Dataset<Row> scored = training.bias().withBaseline(model.transform(indexed), "baseline", false);
    Column als = col(ALS_PREDICTION).cast("double");
    Column prediction =
        training
            .bias()
            .clip(
                centred ? col("baseline").plus(nanvl(als, lit(0.0))) : nanvl(als, col("baseline")));
    return scored
        .withColumn(BiasModel.PREDICTION, prediction)
        .drop("baseline", ALS_PREDICTION, Schema.USER_IDX, Schema.ITEM_IDX);
  }

  /**
   * Exact top K unseen items by the model's ranking score, through {@link BlockTopK}: item factors
   * are broadcast and each user's seen items are skipped before the top K is taken, so no user is
   * over-fetched. Centred, a prediction is mu + b_u + b_i + u.v; mu and b_u do not change a user's
   * order, so items are ranked by b_i + u.v (the unclipped prediction's order: clipping would turn
   * the best items into ties).
   */
  @Override
  public Dataset<Row> recommend(Dataset<Row> users, int k) {
    SparkSession spark = users.sparkSession();
    Dataset<Row> queries =
        model
            .userFactors()
            .join(training.userIndex().withColumnRenamed(Schema.USER_IDX, ID), ID)
            .join(users.select(Schema.USER_ID), Schema.USER_ID)
            .join(training.excluded(), new String[] {Schema.USER_ID}, "left")
            .select(
                col(Schema.USER_ID).as(BlockTopK.QUERY_ID),
                col(FEATURES).as(BlockTopK.FACTORS),
                lit(0.0).as(BlockTopK.OFFSET),
                lit(1.0).as(BlockTopK.SCALE),
                col(BlockTopK.EXCLUDED));
    Dataset<Row> items =
        model.itemFactors().join(training.itemIndex().withColumnRenamed(Schema.ITEM_IDX, ID), ID);
    Column itemOffset = lit(0.0);
    if (centred) {
      items = items.join(training.bias().itemBias(), new String[] {Schema.ITEM_ID}, "left");
      itemOffset = coalesce(col(BiasModel.ITEM_BIAS).cast("double"), lit(0.0));
    }
    Dataset<Row> candidates =
        items.select(
            col(Schema.ITEM_ID).as(BlockTopK.QUERY_ID),
            col(FEATURES).as(BlockTopK.FACTORS),
            itemOffset.as(BlockTopK.OFFSET),
            lit(1.0).as(BlockTopK.SCALE));
    return TopK.lists(
        BlockTopK.topK(
            spark,
            BlockTopK.spread(spark, queries),
            BlockTopK.collect(candidates, model.rank()),
            k));
  }
}
