package dev.recdata.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.recdata.als.AlsOutput;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlOutput;
import dev.recdata.splits.SplitOutput;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what {@code export} needs through the stages' contracts: the etl output (interactions for
 * impressions, items, users, id maps), a train/validation/test split joined to the etl id maps, the
 * ALS output, and their run ids for lineage.
 */
public final class ExportReader {
  private ExportReader() {}

  /**
   * The inputs; split parts carry {@code user_idx}, {@code item_idx} (ints, from etl's id maps)
   * beside the canonical columns. {@code users} and {@code als} are null when absent.
   */
  public record ExportInputs(
      Dataset<Row> train,
      Dataset<Row> validation,
      Dataset<Row> test,
      Dataset<Row> impressions,
      Dataset<Row> userMap,
      Dataset<Row> itemMap,
      Dataset<Row> items,
      Dataset<Row> users,
      EtlOutput etl,
      SplitOutput split,
      AlsOutput als,
      String idMapVersion) {}

  public static ExportInputs read(SparkSession spark, ExportPaths paths) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    EtlOutput etl = EtlOutput.read(conf, paths.etl(), "--etl");
    for (String required : List.of(etl.userMap(), etl.itemMap())) {
      RecdataException.checkInput(
          etl.has(conf, required),
          "%s has no %s: expected an etl output folder (interactions/, id_maps/users, id_maps/items)",
          etl.dir(),
          required);
    }
    SplitOutput split = SplitOutput.read(conf, paths.splits(), "--splits");
    SplitOutput.Group holdout = split.holdout("--splits");
    AlsOutput als = readAls(conf, paths);

    Dataset<Row> userMap =
        spark.read().parquet(etl.userMap()).select(Schema.USER_ID, Schema.USER_IDX);
    Dataset<Row> itemMap =
        spark.read().parquet(etl.itemMap()).select(Schema.ITEM_ID, Schema.ITEM_IDX);
    Dataset<Row> train = indexed(part(spark, holdout.train()), userMap, itemMap);
    Dataset<Row> validation =
        holdout.validation() != null
            ? indexed(part(spark, holdout.validation()), userMap, itemMap)
            : train.limit(0);
    Dataset<Row> test = indexed(part(spark, holdout.test()), userMap, itemMap);
    Dataset<Row> interactions = spark.read().parquet(etl.interactions());
    Dataset<Row> impressions =
        indexed(
            interactions.where(col(Schema.EVENT).equalTo(lit(Schema.EVENT_IMPRESSION))),
            userMap,
            itemMap);
    // Item metadata is optional: feedback-only sources have none (the features then hold only ids
    // and year -1).
    Dataset<Row> items =
        etl.has(conf, etl.items())
            ? spark.read().parquet(etl.items())
            : spark.createDataFrame(List.of(), Schema.ITEMS);
    Dataset<Row> users = etl.has(conf, etl.users()) ? spark.read().parquet(etl.users()) : null;
    return new ExportInputs(
        train,
        validation,
        test,
        impressions,
        userMap,
        itemMap,
        items,
        users,
        etl,
        split,
        als,
        etl.idMapVersion(conf));
  }

  /**
   * The ALS output, or null when the run folder export was pointed at has no {@code als/} at all. A
   * folder named on its own, or an {@code als/} that holds something else, must hold one: exit 2
   * saying what it holds, rather than an export without its serving side.
   */
  private static AlsOutput readAls(Configuration conf, ExportPaths paths) {
    if (paths.als() == null || (!paths.alsRequired() && !HadoopPaths.exists(conf, paths.als()))) {
      return null;
    }
    return AlsOutput.read(conf, paths.als(), "--als");
  }

  private static Dataset<Row> part(SparkSession spark, String path) {
    Dataset<Row> rows = spark.read().parquet(path);
    for (String column : Schema.INTERACTIONS.fieldNames()) {
      RecdataException.checkInput(
          List.of(rows.columns()).contains(column),
          "%s has no column %s: expected the canonical interactions columns %s",
          path,
          column,
          List.of(Schema.INTERACTIONS.fieldNames()));
    }
    return rows.select(Schema.USER_ID, Schema.ITEM_ID, Schema.RATING, Schema.TS, Schema.EVENT);
  }

  /**
   * Adds {@code user_idx} and {@code item_idx}; rows whose ids the maps lack are dropped (none in a
   * consistent run).
   */
  static Dataset<Row> indexed(Dataset<Row> rows, Dataset<Row> userMap, Dataset<Row> itemMap) {
    Dataset<Row> canonical =
        rows.select(
            col(Schema.USER_ID).cast("bigint").as(Schema.USER_ID),
            col(Schema.ITEM_ID).cast("bigint").as(Schema.ITEM_ID),
            col(Schema.RATING).cast("float").as(Schema.RATING),
            col(Schema.TS),
            col(Schema.EVENT));
    return canonical.join(userMap, Schema.USER_ID).join(itemMap, Schema.ITEM_ID);
  }
}
