package dev.recdata.als;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One training set prepared once and shared by every model fitted on it (grid points and
 * baselines): the labels, the seen pairs and per user the seen items every ranking excludes, the
 * int indices, the bias model (explicit mode), the catalogue size coverage divides by, and the raw
 * rows (with their timestamps, for the recently-popular baseline; not cached).
 */
record TrainingSet(
    Dataset<Row> labels,
    Dataset<Row> seen,
    Dataset<Row> userIndex,
    Dataset<Row> itemIndex,
    Dataset<Row> excluded,
    BiasModel bias,
    long catalogSize,
    Dataset<Row> rows) {

  /**
   * The index comes from the etl id maps when given (so factors line up with the rest of the
   * pipeline), else it is built over this train set; users and items absent from it are cold start
   * for this model.
   */
  static TrainingSet of(
      SparkSession spark,
      Dataset<Row> train,
      AlsOptions o,
      Dataset<Row> userMap,
      Dataset<Row> itemMap) {
    TrainingSet fit = fitOnly(spark, train, o, userMap, itemMap);
    Dataset<Row> labels = fit.labels();
    Dataset<Row> seen = Feedback.seen(train).cache();
    Dataset<Row> excluded = Baselines.excludedPerUser(seen).cache();
    long labelledItems = labels.select(Schema.ITEM_ID).distinct().count();
    // Coverage divides by every item of the train part: the random baseline draws from all of them
    // and ALS from those with labels (a subset), so no model's coverage passes 1 (with the labelled
    // items alone random came out 1.16 on ML-100K when ratings below the threshold were not labels)
    long catalogSize = seen.select(Schema.ITEM_ID).distinct().count();
    // no labels: ALS would die deep inside MLlib ("No ratings available"); say what to change
    // instead
    RecdataException.checkInput(
        labelledItems > 0 || o.mode() != AlsOptions.Mode.EXPLICIT,
        "explicit ALS needs ratings, but the training data holds none (likes and impressions, as"
            + " application feedback has, carry no rating): use --mode implicit"
            + " (pipeline: --als-mode implicit)");
    RecdataException.checkInput(
        labelledItems > 0,
        o.protocol().signal() == AlsOptions.Signal.POSITIVES
            ? "implicit ALS needs positives (likes, or ratings at or above --positive-threshold %s),"
                + " but the training data holds none"
            : "implicit ALS needs likes or ratings to learn from (--positive-threshold %s only sets"
                + " their weight), but the training data holds none: only impressions?",
        o.positiveThreshold());
    return new TrainingSet(
        labels, seen, fit.userIndex(), fit.itemIndex(), excluded, fit.bias(), catalogSize, train);
  }

  /**
   * A set a model is only fitted on, never ranked against: the served refit on every row, which is
   * saved and not scored. It has the labels, the indices and the bias model of {@link #of}, so the
   * fit is the same, but no seen pairs, exclusion lists or catalogue size: at 25M rows those are a
   * distinct over every row, a cached copy of it held through the fit, and a count, for nothing.
   * Its rows include those a full set of the same run was checked on, so they hold labels.
   */
  static TrainingSet fitOnly(
      SparkSession spark,
      Dataset<Row> train,
      AlsOptions o,
      Dataset<Row> userMap,
      Dataset<Row> itemMap) {
    Dataset<Row> labels = Feedback.labels(train, o).cache();
    Dataset<Row> userIndex =
        (userMap != null ? userMap : IdIndex.build(spark, labels, Schema.USER_ID, Schema.USER_IDX))
            .cache();
    Dataset<Row> itemIndex =
        (itemMap != null ? itemMap : IdIndex.build(spark, labels, Schema.ITEM_ID, Schema.ITEM_IDX))
            .cache();
    BiasModel bias =
        o.mode() == AlsOptions.Mode.EXPLICIT ? Baselines.biasModel(labels, o.biasDamping()) : null;
    return new TrainingSet(labels, null, userIndex, itemIndex, null, bias, -1, train);
  }

  /** The seen pairs; a {@link #fitOnly} set has none. */
  @Override
  public Dataset<Row> seen() {
    return requireRanking(seen, "seen pairs");
  }

  /** Per user the seen items a ranking excludes; a {@link #fitOnly} set has none. */
  @Override
  public Dataset<Row> excluded() {
    return requireRanking(excluded, "exclusion lists");
  }

  /** The items coverage divides by; a {@link #fitOnly} set has none. */
  @Override
  public long catalogSize() {
    if (catalogSize < 0) {
      throw new IllegalStateException("a fit-only training set has no catalogue size");
    }
    return catalogSize;
  }

  private static Dataset<Row> requireRanking(Dataset<Row> part, String what) {
    if (part == null) {
      throw new IllegalStateException("a fit-only training set has no " + what);
    }
    return part;
  }

  /**
   * Releases the cached rows. The bias model stays cached: a model fitted on this set is saved with
   * its biases after the set is released (the held-out model, written after the served refit), and
   * recomputing them re-reads and re-aggregates every training row; they are one row per user and
   * per item.
   */
  void unpersist() {
    labels.unpersist();
    userIndex.unpersist();
    itemIndex.unpersist();
    if (seen != null) {
      seen.unpersist();
      excluded.unpersist();
    }
  }
}
