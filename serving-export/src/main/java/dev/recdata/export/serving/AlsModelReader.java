package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.als.BiasModel;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the {@code als} stage wrote ({@code model/}, {@code params.json}, {@code biases/}) and the etl id
 * maps, and joins them into a {@link FactorModel}. The ALS model knows only dense int indexes; the raw ids come
 * from the etl id maps the model was trained with, which is why a model trained on an index of its own (a
 * split without a reachable etl folder) is refused rather than exported with ids that do not match.
 */
public final class AlsModelReader {
  private AlsModelReader() {}

  static final String MODEL = "model";
  static final String PARAMS = "params.json";
  static final String USER_BIASES = "biases/users";
  static final String ITEM_BIASES = "biases/items";
  private static final String ID = "id";
  private static final String FEATURES = "features";

  public static FactorModel read(SparkSession spark, String etlDir, String alsDir, String modelVersion) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String modelPath = new Path(alsDir, MODEL).toString();
    String paramsPath = new Path(alsDir, PARAMS).toString();
    RecdataException.checkInput(
        HadoopPaths.exists(conf, modelPath) && HadoopPaths.exists(conf, paramsPath),
        "%s is not an als output: expected model/ and params.json (run als first)", alsDir);
    JsonNode params = Json.read(conf, paramsPath);
    String idMaps = params.path("input").path("id_maps").asText("");
    RecdataException.checkInput(
        !idMaps.startsWith("built over train"),
        "the ALS model in %s was trained on an index built over its train split, not on etl id maps, so its factors "
            + "cannot be mapped to ids: re-run als on a split whose manifest points at the etl folder", alsDir);

    String userMapPath = new Path(etlDir, Layout.USER_MAP).toString();
    String itemMapPath = new Path(etlDir, Layout.ITEM_MAP).toString();
    RecdataException.checkInput(
        HadoopPaths.exists(conf, userMapPath) && HadoopPaths.exists(conf, itemMapPath),
        "%s has no id maps: expected %s and %s (an etl output folder)", etlDir, Layout.USER_MAP, Layout.ITEM_MAP);
    JsonNode etlManifest = Json.readIfExists(conf, new Path(etlDir, Layout.MANIFEST).toString());

    ALSModel model = ALSModel.load(modelPath);
    Dataset<Row> userMap = spark.read().parquet(userMapPath).select(Schema.USER_ID, Schema.USER_IDX);
    Dataset<Row> itemMap = spark.read().parquet(itemMapPath).select(Schema.ITEM_ID, Schema.ITEM_IDX);
    String userBiases = new Path(alsDir, USER_BIASES).toString();
    String itemBiases = new Path(alsDir, ITEM_BIASES).toString();
    boolean centred = HadoopPaths.exists(conf, userBiases) && HadoopPaths.exists(conf, itemBiases);
    Dataset<Row> users =
        withIds(model.userFactors(), userMap, Schema.USER_ID, Schema.USER_IDX,
            centred ? spark.read().parquet(userBiases) : null, BiasModel.USER_BIAS, alsDir);
    Dataset<Row> items =
        withIds(model.itemFactors(), itemMap, Schema.ITEM_ID, Schema.ITEM_IDX,
            centred ? spark.read().parquet(itemBiases) : null, BiasModel.ITEM_BIAS, alsDir);

    String runId = params.path("run_id").asText(null);
    RecdataException.checkInput(modelVersion != null || runId != null, "%s has no run_id: pass a model version", paramsPath);
    return new FactorModel(
        users,
        items,
        model.rank(),
        centred ? params.path("biases").path("global_mean").asDouble(0.0) : 0.0,
        params.path("options").path("mode").asText("unknown").toLowerCase(Locale.ROOT),
        modelVersion != null ? modelVersion : runId,
        params.path("options").path("seed").asLong(0L),
        etlManifest == null ? "unknown" : etlManifest.path("run_id").asText("unknown"));
  }

  /**
   * {@code (idx bigint, id bigint, factors, bias float)}: the model's factor rows joined to the id map (inner:
   * an index without an id is checked for below) and to the biases by raw id (a missing bias is 0).
   */
  static Dataset<Row> withIds(
      Dataset<Row> factors, Dataset<Row> idMap, String idColumn, String idxColumn, Dataset<Row> biases,
      String biasColumn, String alsDir) {
    Dataset<Row> joined =
        factors
            .select(col(ID).cast("bigint").as(idxColumn), col(FEATURES).as(FactorModel.FACTORS))
            .join(idMap.select(col(idColumn).cast("bigint").as(idColumn), col(idxColumn).cast("bigint").as(idxColumn)),
                new String[] {idxColumn}, "left");
    if (biases != null) {
      joined = joined.join(biases.select(idColumn, biasColumn), new String[] {idColumn}, "left");
    } else {
      joined = joined.withColumn(biasColumn, lit(0.0));
    }
    Dataset<Row> result =
        joined.select(
            col(idxColumn), col(idColumn), col(FactorModel.FACTORS),
            coalesce(col(biasColumn), lit(0.0)).cast("float").as(FactorModel.BIAS))
            .cache();
    long unmapped = result.where(col(idColumn).isNull()).count();
    RecdataException.checkInput(
        unmapped == 0,
        "%d %s values of the ALS model in %s are not in the etl id map: was the model trained on this etl output?",
        unmapped, idxColumn, alsDir);
    return result;
  }

}
