package dev.recdata.quality;

import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tiny interaction tables, tagged splits and split/etl folders in exactly the shape the stages
 * write.
 */
final class Fixtures {
  private Fixtures() {}

  static final Instant DAY_ZERO = Instant.parse("2024-01-01T00:00:00Z");

  /** The canonical schema with every column nullable, so a test can plant a null id. */
  static final StructType NULLABLE;

  static {
    List<StructField> fields = new ArrayList<>();
    for (StructField f : Schema.INTERACTIONS.fields()) {
      fields.add(DataTypes.createStructField(f.name(), f.dataType(), true));
    }
    NULLABLE = DataTypes.createStructType(fields);
  }

  static SparkSession spark() {
    return SharedSpark.session();
  }

  static Timestamp day(double day) {
    return Timestamp.from(DAY_ZERO.plusSeconds(Math.round(day * 86_400)));
  }

  static Row row(Long user, Long item, double day) {
    return RowFactory.create(user, item, 4.0f, day(day), Schema.EVENT_RATING, "test");
  }

  static Row row(long user, long item, double day, float rating) {
    return RowFactory.create(user, item, rating, day(day), Schema.EVENT_RATING, "test");
  }

  /**
   * A clean 70/20/10 per-user temporal split: users 1..10 with 10 events each on days 1..10, the
   * first 7 in train, 2 in validation, the last in test. User u rates item ((day + u) mod 10) + 1,
   * so every item is in somebody's train and no user sees an item twice.
   */
  static Map<String, List<Row>> cleanSplit() {
    Map<String, List<Row>> parts = new LinkedHashMap<>();
    parts.put(Schema.Layout.TRAIN, new ArrayList<>());
    parts.put(Schema.Layout.VALIDATION, new ArrayList<>());
    parts.put(Schema.Layout.TEST, new ArrayList<>());
    for (long user = 1; user <= 10; user++) {
      for (int day = 1; day <= 10; day++) {
        long item = ((day + user) % 10) + 1;
        String part =
            day <= 7
                ? Schema.Layout.TRAIN
                : day <= 9 ? Schema.Layout.VALIDATION : Schema.Layout.TEST;
        parts.get(part).add(row(user, item, day, 1 + (day % 5)));
      }
    }
    return parts;
  }

  static Dataset<Row> tagged(Map<String, List<Row>> parts) {
    Dataset<Row> all = null;
    for (Map.Entry<String, List<Row>> part : parts.entrySet()) {
      Dataset<Row> rows =
          spark()
              .createDataFrame(part.getValue(), NULLABLE)
              .withColumn(Metrics.SPLIT, lit(part.getKey()));
      all = all == null ? rows : all.unionByName(rows);
    }
    return all;
  }

  static long size(Map<String, List<Row>> parts) {
    return parts.values().stream().mapToLong(List::size).sum();
  }

  /** A split manifest as the split stage writes it. */
  static ObjectNode splitManifest(
      String strategy, long input, Map<String, List<Row>> parts, double... ratios) {
    ObjectNode m = Json.object();
    m.put("stage", "split");
    m.put("run_id", "20240101T000000Z-split001");
    m.put("strategy", strategy);
    ArrayNode r = m.putArray("ratios");
    for (double ratio : ratios) {
      r.add(ratio);
    }
    m.put("seed", 42);
    m.put("min_interactions", 3);
    m.put("group_by", "user");
    ObjectNode in = m.putObject("input");
    in.putNull("path");
    in.put("upstream_run_id", "20240101T000000Z-etl00001");
    ObjectNode counts = m.putObject("counts");
    counts.put("input", input);
    counts.put("impressions_excluded", 0);
    for (Map.Entry<String, List<Row>> part : parts.entrySet()) {
      counts.put(part.getKey(), part.getValue().size());
    }
    counts.put("users", 10);
    counts.put("users_below_min_interactions", 0);
    return m;
  }

  /**
   * Writes {@code dir/splits/PART} (or {@code dir/splits/fold=i/PART}) as Parquet plus the
   * manifest.
   */
  static void writeSplit(Path dir, String fold, Map<String, List<Row>> parts, ObjectNode manifest) {
    String base = dir.resolve(Schema.Layout.SPLITS).toString() + (fold == null ? "" : "/" + fold);
    for (Map.Entry<String, List<Row>> part : parts.entrySet()) {
      spark()
          .createDataFrame(part.getValue(), NULLABLE)
          .coalesce(1)
          .write()
          .mode("overwrite")
          .parquet(base + "/" + part.getKey());
    }
    if (manifest != null) {
      Json.write(new Configuration(), dir.resolve(Schema.Layout.MANIFEST).toString(), manifest);
    }
  }

  /** An etl folder: interactions/ and a manifest with the etl counts. */
  static void writeEtl(Path dir, List<Row> interactions) {
    spark()
        .createDataFrame(interactions, NULLABLE)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(dir.resolve(Schema.Layout.INTERACTIONS).toString());
    ObjectNode m = Json.object();
    m.put("stage", "etl");
    m.put("run_id", "20240101T000000Z-etl00001");
    m.putArray("inputs").addObject().put("path", "/data/ml-100k").put("source", "ml-100k");
    ObjectNode counts = m.putObject("counts");
    counts.put("input", interactions.size() + 7);
    counts.put("output", interactions.size());
    counts.put("rejected", 3);
    ObjectNode dedup = counts.putObject("deduplicated");
    dedup.put("exact", 2);
    dedup.put("user_item", 1);
    ObjectNode filtered = counts.putObject("filtered");
    filtered.put("below_threshold", 0);
    filtered.put("window", 0);
    filtered.put("k_core", 1);
    Json.write(new Configuration(), dir.resolve(Schema.Layout.MANIFEST).toString(), m);
  }

  static Map<String, List<Row>> copy(Map<String, List<Row>> parts) {
    Map<String, List<Row>> copy = new LinkedHashMap<>();
    parts.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
    return copy;
  }
}
