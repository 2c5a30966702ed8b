package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.recdata.als.AlsOutput;
import dev.recdata.als.BiasModel;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.etl.EtlOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the {@code als} stage wrote ({@link AlsOutput}) and the etl id maps ({@link
 * EtlOutput}), and joins them into a {@link FactorModel}. The ALS model knows only dense int
 * indexes; the raw ids come from the etl id maps the model was trained with, which is why a model
 * trained on an index of its own (a split without a reachable etl folder) is refused rather than
 * exported with ids that do not match.
 */
public final class AlsModelReader {
  private AlsModelReader() {}

  private static final String ID = "id";
  private static final String FEATURES = "features";

  /** The served model: {@code ALS_DIR/model} (and its biases). */
  public static FactorModel read(
      SparkSession spark, String etlDir, String alsDir, String modelVersion) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return read(spark, etlDir, AlsOutput.read(conf, alsDir, "--als"), modelVersion);
  }

  /**
   * The model that scores held-out rows, and where it was read from.
   *
   * @param dir the folder holding its {@code model/} (and {@code biases/})
   * @param separate true when it is {@code heldout/}, beside a served model refit on all the data;
   *     false for an ALS output written before that refit existed, whose {@code model/} was fit
   *     without the test rows and is the held-out model itself
   */
  public record HeldOutModel(FactorModel model, String dir, boolean separate) {}

  /**
   * {@code ALS_DIR/heldout} when the ALS output has one, else its {@code model/} (see {@link
   * HeldOutModel#separate}). Never the served model of an output that has both: that one has seen
   * the test rows.
   */
  public static HeldOutModel readHeldOut(SparkSession spark, String etlDir, AlsOutput als) {
    AlsOutput heldOut = als.heldOut(spark.sparkContext().hadoopConfiguration());
    AlsOutput scoring = heldOut != null ? heldOut : als;
    return new HeldOutModel(read(spark, etlDir, scoring, null), scoring.dir(), heldOut != null);
  }

  private static FactorModel read(
      SparkSession spark, String etlDir, AlsOutput als, String modelVersion) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RecdataException.checkInput(
        als.trainedOnEtlIdMaps(),
        "the ALS model in %s was trained on an index built over its train split, not on etl id maps, so its factors "
            + "cannot be mapped to ids: re-run als on a split whose manifest points at the etl folder",
        als.dir());

    EtlOutput etl = EtlOutput.read(conf, etlDir, "--etl");
    RecdataException.checkInput(
        etl.has(conf, etl.userMap()) && etl.has(conf, etl.itemMap()),
        "%s has no id maps: expected %s and %s (an etl output folder)",
        etlDir,
        Layout.USER_MAP,
        Layout.ITEM_MAP);

    ALSModel model = ALSModel.load(als.model());
    Dataset<Row> userMap =
        spark.read().parquet(etl.userMap()).select(Schema.USER_ID, Schema.USER_IDX);
    Dataset<Row> itemMap =
        spark.read().parquet(etl.itemMap()).select(Schema.ITEM_ID, Schema.ITEM_IDX);
    boolean centred = als.centred(conf);
    Dataset<Row> users =
        withIds(
            model.userFactors(),
            userMap,
            Schema.USER_ID,
            Schema.USER_IDX,
            centred ? spark.read().parquet(als.userBiases()) : null,
            BiasModel.USER_BIAS,
            als.dir());
    Dataset<Row> items =
        withIds(
            model.itemFactors(),
            itemMap,
            Schema.ITEM_ID,
            Schema.ITEM_IDX,
            centred ? spark.read().parquet(als.itemBiases()) : null,
            BiasModel.ITEM_BIAS,
            als.dir());

    RecdataException.checkInput(
        modelVersion != null || als.runId() != null,
        "%s/%s has no run id: pass a model version",
        als.dir(),
        AlsOutput.PARAMS);
    return new FactorModel(
        users,
        items,
        model.rank(),
        centred ? als.globalMean() : 0.0,
        als.mode(),
        modelVersion != null ? modelVersion : als.runId(),
        als.seed(),
        etl.idMapVersion(conf),
        etl.runId() == null ? "unknown" : etl.runId(),
        als.recommendationsFrom(),
        als.recentDays());
  }

  /**
   * {@code (idx bigint, id bigint, factors, bias float)}: the model's factor rows joined to the id
   * map (inner: an index without an id is checked for below) and to the biases by raw id (a missing
   * bias is 0).
   */
  static Dataset<Row> withIds(
      Dataset<Row> factors,
      Dataset<Row> idMap,
      String idColumn,
      String idxColumn,
      Dataset<Row> biases,
      String biasColumn,
      String alsDir) {
    Dataset<Row> joined =
        factors
            .select(col(ID).cast("bigint").as(idxColumn), col(FEATURES).as(FactorModel.FACTORS))
            .join(
                idMap.select(
                    col(idColumn).cast("bigint").as(idColumn),
                    col(idxColumn).cast("bigint").as(idxColumn)),
                new String[] {idxColumn},
                "left");
    if (biases != null) {
      joined = joined.join(biases.select(idColumn, biasColumn), new String[] {idColumn}, "left");
    } else {
      joined = joined.withColumn(biasColumn, lit(0.0));
    }
    Dataset<Row> result =
        joined
            .select(
                col(idxColumn),
                col(idColumn),
                col(FactorModel.FACTORS),
                coalesce(col(biasColumn), lit(0.0)).cast("float").as(FactorModel.BIAS))
            .cache();
    long unmapped = result.where(col(idColumn).isNull()).count();
    RecdataException.checkInput(
        unmapped == 0,
        "%d %s values of the ALS model in %s are not in the etl id map: was the model trained on this etl output?",
        unmapped,
        idxColumn,
        alsDir);
    return result;
  }
}
