package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.als.AlsJob;
import dev.recdata.als.AlsOptions;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Runs the real stages the export reads: an etl-shaped folder (interactions, id maps, manifest), a
 * split whose manifest points at it, {@link AlsJob} on that split, then {@link ServingExport} into
 * a committed folder.
 */
final class ServingFixtures {
  private ServingFixtures() {}

  static final SparkSession spark = SharedSpark.session();
  static final Timestamp TS = Timestamp.valueOf("2024-01-01 00:00:00");

  /** The folders of one exported run. */
  record Run(Path etl, Path als, Path export, ServingSummary summary) {
    Path serving() {
      return export.resolve(ServingExport.DIR);
    }
  }

  static Row event(long user, long item, Float rating, String event) {
    return RowFactory.create(user, item, rating, TS, event, "test");
  }

  static Row rating(long user, long item, float rating) {
    return event(user, item, rating, Schema.EVENT_RATING);
  }

  static Dataset<Row> interactions(List<Row> rows) {
    return spark.createDataFrame(rows, Schema.INTERACTIONS);
  }

  /** MovieLens 100K's u.data as canonical rating interactions. */
  static Dataset<Row> ml100k(Path dir) {
    return spark
        .read()
        .option("sep", "\t")
        .schema("u bigint, i bigint, r float, t long")
        .csv(dir.resolve("u.data").toString())
        .select(
            col("u").as(Schema.USER_ID),
            col("i").as(Schema.ITEM_ID),
            col("r").as(Schema.RATING),
            timestamp_seconds(col("t")).as(Schema.TS),
            lit(Schema.EVENT_RATING).as(Schema.EVENT),
            lit("ml-100k").as(Schema.SOURCE));
  }

  /**
   * etl/{interactions, id_maps/{users,items}, manifest.json}; the maps are 0-based in id order, as
   * etl's.
   */
  static Path writeEtl(Path root, Dataset<Row> interactions) {
    Path etl = root.resolve("etl");
    interactions.coalesce(1).write().parquet(etl.resolve(Layout.INTERACTIONS).toString());
    idMap(interactions, Schema.USER_ID, Schema.USER_IDX)
        .write()
        .parquet(etl.resolve(Layout.USER_MAP).toString());
    idMap(interactions, Schema.ITEM_ID, Schema.ITEM_IDX)
        .write()
        .parquet(etl.resolve(Layout.ITEM_MAP).toString());
    Json.write(
        conf(),
        etl.resolve(Layout.MANIFEST).toString(),
        Json.object().put("stage", "etl").put("run_id", "fixture-etl"));
    return etl;
  }

  private static Dataset<Row> idMap(Dataset<Row> interactions, String id, String idx) {
    return interactions
        .select(id)
        .distinct()
        .withColumn(idx, row_number().over(Window.orderBy(id)).minus(1).cast("int"))
        .coalesce(1);
  }

  /**
   * A holdout split of {@code train} / {@code test} rows whose manifest points at {@code etl}, and
   * ALS trained on it: {@code root/als}.
   */
  static Path trainAls(
      Path root, Path etl, Dataset<Row> train, Dataset<Row> test, AlsOptions options) {
    Path split = root.resolve("split");
    train.coalesce(1).write().parquet(split.resolve("splits/train").toString());
    test.coalesce(1).write().parquet(split.resolve("splits/test").toString());
    var manifest =
        Json.object()
            .put("stage", "split")
            .put("run_id", "fixture-split")
            .put("strategy", "fixture");
    manifest.putObject("input").put("path", etl.toString()).put("upstream_run_id", "fixture-etl");
    Json.write(conf(), split.resolve(Layout.MANIFEST).toString(), manifest);
    AlsJob.run(spark, split.toString(), root.resolve(AlsJob.STAGE).toString(), options, null, null);
    return root.resolve(AlsJob.STAGE);
  }

  /** Runs the export into {@code root/export} and commits it. */
  static Run export(Path root, Path etl, Path als, ServingOptions options) {
    AtomicOutput output =
        AtomicOutput.begin(
            conf(),
            root.resolve("export").toString(),
            "test-export",
            dev.recdata.export.ExportJob.OWNER);
    ServingSummary summary =
        ServingExport.write(spark, etl.toString(), als.toString(), options, output);
    output.commit();
    return new Run(etl, als, root.resolve("export"), summary);
  }

  /**
   * MovieLens 100K: etl of every rating, a 90/10 seeded per-user split, explicit ALS centred on
   * biases (rank 10, 5 iterations) and the export with the defaults.
   */
  static Run ml100kRun(Path root, ServingOptions options) {
    Dataset<Row> all = ml100k(dev.recdata.common.testing.TestData.ml100k()).cache();
    Path etl = writeEtl(root, all);
    var byUser =
        Window.partitionBy(Schema.USER_ID)
            .orderBy(xxhash64(col(Schema.USER_ID), col(Schema.ITEM_ID), lit(7L)));
    Dataset<Row> positioned = all.withColumn("n", row_number().over(byUser)).cache();
    Dataset<Row> train = positioned.where(col("n").mod(10).notEqual(0)).drop("n");
    Dataset<Row> test = positioned.where(col("n").mod(10).equalTo(0)).drop("n");
    AlsOptions als =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            10,
            5,
            0.1,
            1.0,
            false,
            42L,
            2,
            4f,
            5,
            null,
            null,
            false,
            true,
            5.0);
    Path alsDir = trainAls(root, etl, train, test, als);
    positioned.unpersist();
    all.unpersist();
    return export(root, etl, alsDir, options);
  }

  /**
   * {@code user_id item_id} lines of every pair the export must treat as seen, for the Python
   * check.
   */
  static Path writeSeen(Path file, Dataset<Row> interactions) throws java.io.IOException {
    List<String> lines = new ArrayList<>();
    for (Row r : Recommendations.seen(interactions).collectAsList()) {
      lines.add(r.getLong(0) + " " + r.getLong(1));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  static org.apache.hadoop.conf.Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * The safetensors {@code __metadata__} of a file (header read with Jackson, as any reader would).
   */
  static Map<String, String> safetensorsMetadata(Path file) throws java.io.IOException {
    byte[] bytes = Files.readAllBytes(file);
    long length =
        java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    var header = Json.MAPPER.readTree(new String(bytes, 8, (int) length, StandardCharsets.UTF_8));
    Map<String, String> metadata = new java.util.TreeMap<>();
    header
        .path("__metadata__")
        .fields()
        .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
    return metadata;
  }
}
