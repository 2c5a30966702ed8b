package dev.recdata.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Fingerprints;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what {@code export} needs: the etl output (interactions for impressions, items, users, id maps,
 * manifest), a train/validation/test split joined to the etl id maps, and the manifests for lineage.
 */
public final class ExportReader {
  private ExportReader() {}

  /**
   * The inputs; split parts carry {@code user_idx}, {@code item_idx} (ints, from etl's id maps) beside the
   * canonical columns. {@code users} and {@code alsParams} are null when absent.
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
      JsonNode etlManifest,
      JsonNode splitManifest,
      JsonNode alsParams,
      String idMapVersion) {}

  public static ExportInputs read(SparkSession spark, ExportPaths paths) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String etl = paths.etl();
    for (String required : List.of(Layout.INTERACTIONS, Layout.USER_MAP, Layout.ITEM_MAP)) {
      RecdataException.checkInput(
          HadoopPaths.exists(conf, new Path(etl, required)),
          "%s has no %s/: expected an etl output folder (interactions/, id_maps/users, id_maps/items)", etl, required);
    }
    Path splitRoot = new Path(paths.splits(), Layout.SPLITS);
    RecdataException.checkInput(
        HadoopPaths.exists(conf, new Path(splitRoot, Layout.TRAIN)) && HadoopPaths.exists(conf, new Path(splitRoot, Layout.TEST)),
        "no %s/{train,test} in %s: export needs a train/validation/test split (k-fold splits are not exported)",
        Layout.SPLITS, paths.splits());

    Dataset<Row> userMap = spark.read().parquet(new Path(etl, Layout.USER_MAP).toString()).select(Schema.USER_ID, Schema.USER_IDX);
    Dataset<Row> itemMap = spark.read().parquet(new Path(etl, Layout.ITEM_MAP).toString()).select(Schema.ITEM_ID, Schema.ITEM_IDX);
    Dataset<Row> train = indexed(part(spark, conf, new Path(splitRoot, Layout.TRAIN)), userMap, itemMap);
    Path validationPath = new Path(splitRoot, Layout.VALIDATION);
    Dataset<Row> validation =
        HadoopPaths.exists(conf, validationPath)
            ? indexed(part(spark, conf, validationPath), userMap, itemMap)
            : train.limit(0);
    Dataset<Row> test = indexed(part(spark, conf, new Path(splitRoot, Layout.TEST)), userMap, itemMap);
    Dataset<Row> interactions = spark.read().parquet(new Path(etl, Layout.INTERACTIONS).toString());
    Dataset<Row> impressions =
        indexed(interactions.where(col(Schema.EVENT).equalTo(lit(Schema.EVENT_IMPRESSION))), userMap, itemMap);
    // Item metadata is optional: feedback-only sources have none (the features then hold only ids and year -1).
    Path itemsPath = new Path(etl, Layout.ITEMS);
    Dataset<Row> items =
        HadoopPaths.exists(conf, itemsPath)
            ? spark.read().parquet(itemsPath.toString())
            : spark.createDataFrame(List.of(), Schema.ITEMS);
    Path usersPath = new Path(etl, Layout.USERS);
    Dataset<Row> users = HadoopPaths.exists(conf, usersPath) ? spark.read().parquet(usersPath.toString()) : null;

    JsonNode etlManifest = Json.readIfExists(conf, new Path(etl, Layout.MANIFEST).toString());
    JsonNode splitManifest = Json.readIfExists(conf, new Path(paths.splits(), Layout.MANIFEST).toString());
    JsonNode alsParams = paths.als() == null ? null : Json.readIfExists(conf, new Path(paths.als(), "params.json").toString());
    return new ExportInputs(train, validation, test, impressions, userMap, itemMap, items, users, etlManifest, splitManifest,
        alsParams, idMapVersion(conf, etl));
  }

  /**
   * A short fingerprint of the id maps' content: SHA-256 over the sorted SHA-256s of their files. Tensors carry
   * it, so a consumer can tell whether two exports index users and items the same way.
   */
  static String idMapVersion(Configuration conf, String etl) {
    List<String> hashes = new ArrayList<>();
    for (JsonNode file : Fingerprints.ofTree(conf, new Path(etl, Layout.ID_MAPS).toString())) {
      hashes.add(file.path("sha256").asText());
    }
    hashes.sort(null);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(String.join("\n", hashes).getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Dataset<Row> part(SparkSession spark, Configuration conf, Path path) {
    Dataset<Row> rows = spark.read().parquet(path.toString());
    for (String column : Schema.INTERACTIONS.fieldNames()) {
      RecdataException.checkInput(
          List.of(rows.columns()).contains(column), "%s has no column %s: expected the canonical interactions columns %s",
          path, column, List.of(Schema.INTERACTIONS.fieldNames()));
    }
    return rows.select(Schema.USER_ID, Schema.ITEM_ID, Schema.RATING, Schema.TS, Schema.EVENT);
  }

  /** Adds {@code user_idx} and {@code item_idx}; rows whose ids the maps lack are dropped (none in a consistent run). */
  static Dataset<Row> indexed(Dataset<Row> rows, Dataset<Row> userMap, Dataset<Row> itemMap) {
    Dataset<Row> canonical = rows.select(
        col(Schema.USER_ID).cast("bigint").as(Schema.USER_ID), col(Schema.ITEM_ID).cast("bigint").as(Schema.ITEM_ID),
        col(Schema.RATING).cast("float").as(Schema.RATING), col(Schema.TS), col(Schema.EVENT));
    return canonical.join(userMap, Schema.USER_ID).join(itemMap, Schema.ITEM_ID);
  }

}
