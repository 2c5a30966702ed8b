package dev.recdata.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny run folder written the way etl and split lay it out: 12 items (ids 101..112 = idx 0..11),
 * 4 users (ids 1..4 = idx 0..3). User 1 has 8 train positives and 1 test positive: only items 109,
 * 110, 111 (idx 8, 9, 10) may be its negatives, and they are its impressions.
 */
public final class ExportFixtures {
  private ExportFixtures() {}

  static Row rating(long user, long item, Float rating, long second, String event) {
    return RowFactory.create(
        user, item, rating, new Timestamp(1_700_000_000_000L + second * 1000), event, "fixture");
  }

  static Row r(long user, long item, float rating, long second) {
    return rating(user, item, rating, second, Schema.EVENT_RATING);
  }

  static List<Row> train() {
    List<Row> rows = new ArrayList<>();
    for (long item = 101; item <= 108; item++) {
      rows.add(r(1, item, 5f, item));
    }
    rows.add(r(2, 101, 4f, 3));
    rows.add(r(2, 102, 5f, 4));
    rows.add(r(2, 103, 2f, 1)); // below the threshold: not a positive, still in the sequence
    rows.add(rating(2, 104, null, 2, Schema.EVENT_LIKE));
    rows.add(r(3, 107, 5f, 1));
    rows.add(r(3, 108, 3f, 2));
    rows.add(r(4, 110, 1f, 1)); // user 4 has no positive
    return rows;
  }

  static List<Row> validation() {
    return List.of(r(2, 105, 5f, 10));
  }

  static List<Row> test() {
    return List.of(
        r(1, 112, 5f, 20), r(2, 106, 4f, 20), rating(3, 109, null, 20, Schema.EVENT_LIKE));
  }

  static List<Row> impressions() {
    return List.of(
        rating(1, 109, null, 30, Schema.EVENT_IMPRESSION),
        rating(1, 110, null, 31, Schema.EVENT_IMPRESSION),
        rating(1, 111, null, 32, Schema.EVENT_IMPRESSION),
        rating(
            1,
            101,
            null,
            33,
            Schema.EVENT_IMPRESSION)); // an impression of a positive: never a negative
  }

  /** Positives (user_idx -> item_idx) in any split: what no triplet may use as a negative. */
  public static Map<Long, List<Long>> positivesAnywhere() {
    Map<Long, List<Long>> out = new LinkedHashMap<>();
    out.put(0L, List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 11L));
    out.put(1L, List.of(0L, 1L, 3L, 4L, 5L));
    out.put(2L, List.of(6L, 8L));
    out.put(3L, List.of());
    return out;
  }

  private static Path sharedRun;

  /**
   * One fixture run folder per test JVM (written once: Spark writes are the slow part of these
   * tests).
   */
  public static synchronized Path sharedRun() {
    if (sharedRun == null) {
      try {
        Path dir = Files.createTempDirectory("recdata-export-fixture-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        sharedRun = writeRun(dir.resolve("run"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sharedRun;
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort at JVM exit
    }
  }

  /** Writes RUN/etl and RUN/splits. */
  public static Path writeRun(Path run) {
    return writeRun(run, List.of(), List.of());
  }

  /**
   * Writes RUN/etl and RUN/splits with {@code moreTrain} and {@code moreTest} rows beside the
   * fixture's (their users, ids above 4, get the next indexes).
   */
  static Path writeRun(Path run, List<Row> moreTrain, List<Row> moreTest) {
    SparkSession spark = SharedSpark.session();
    Path etl = run.resolve("etl");
    List<Row> train = new ArrayList<>(train());
    train.addAll(moreTrain);
    List<Row> test = new ArrayList<>(test());
    test.addAll(moreTest);
    List<Row> all = new ArrayList<>(train);
    all.addAll(validation());
    all.addAll(test);
    all.addAll(impressions());
    write(spark, all, Schema.INTERACTIONS, etl.resolve(Schema.Layout.INTERACTIONS));
    List<Row> items = new ArrayList<>();
    List<Row> itemMap = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long id = 101 + i;
      List<String> genres =
          i % 3 == 0
              ? List.of("Drama")
              : i % 3 == 1 ? List.of("Comedy", "Drama") : List.of("Action");
      items.add(
          RowFactory.create(
              id,
              "Movie " + id,
              scala.jdk.javaapi.CollectionConverters.asScala(genres).toSeq(),
              i == 11 ? null : 1990 + i));
      itemMap.add(RowFactory.create(id, i));
    }
    write(spark, items, Schema.ITEMS, etl.resolve(Schema.Layout.ITEMS));
    write(spark, itemMap, Schema.ITEM_ID_MAP, etl.resolve(Schema.Layout.ITEM_MAP));
    List<Row> userMap = new ArrayList<>();
    long users = all.stream().mapToLong(r -> r.getLong(0)).max().orElse(4);
    for (int u = 0; u < users; u++) {
      userMap.add(RowFactory.create((long) u + 1, u));
    }
    write(spark, userMap, Schema.USER_ID_MAP, etl.resolve(Schema.Layout.USER_MAP));
    write(
        spark,
        List.of(
            RowFactory.create(1L, 24, "M", "student", "11111"),
            RowFactory.create(2L, 53, "F", "writer", "22222"),
            RowFactory.create(3L, null, "M", "writer", "33333")),
        Schema.USERS,
        etl.resolve(Schema.Layout.USERS));
    Json.write(
        spark.sparkContext().hadoopConfiguration(),
        etl.resolve("manifest.json").toString(),
        Json.object().put("stage", "etl").put("run_id", "fixture-etl"));
    Path splits = run.resolve("splits");
    write(spark, train, Schema.INTERACTIONS, splits.resolve("splits/train"));
    write(spark, validation(), Schema.INTERACTIONS, splits.resolve("splits/validation"));
    write(spark, test, Schema.INTERACTIONS, splits.resolve("splits/test"));
    var manifest =
        Json.object()
            .put("stage", "split")
            .put("run_id", "fixture-split")
            .put("strategy", "fixture");
    manifest.putObject("input").put("path", etl.toString()).put("upstream_run_id", "fixture-etl");
    Json.write(
        spark.sparkContext().hadoopConfiguration(),
        splits.resolve("manifest.json").toString(),
        manifest);
    return run;
  }

  private static void write(SparkSession spark, List<Row> rows, StructType schema, Path path) {
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(path.toString());
  }

  /**
   * A safetensors file read back in Java: tensors as long[] (I64), byte-widened longs (I8 signed,
   * U8 unsigned) or raw bits (F32), and metadata.
   */
  record Safetensors(Map<String, long[]> tensors, Map<String, long[]> shapes, JsonNode metadata) {}

  /**
   * A set's tensors from NAME.safetensors or, when sharded, its shards concatenated in index order.
   */
  /**
   * A set's tensors, its shards concatenated along the first axis as a reader would: a ragged set's
   * {@code offsets} count from each shard's first value, so later shards' are rebased (and their
   * leading 0 dropped).
   */
  static Safetensors readSet(Path folder, String name) {
    Path index = folder.resolve(name + ".safetensors.index.json");
    if (!Files.exists(index)) {
      return readSafetensors(folder.resolve(name + ".safetensors"));
    }
    try {
      JsonNode json = Json.MAPPER.readTree(index.toFile());
      Map<String, List<Long>> values = new LinkedHashMap<>();
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (JsonNode shard : json.path("shards")) {
        Safetensors part = readSafetensors(folder.resolve(shard.path("file").asText()));
        part.tensors()
            .forEach(
                (tensor, v) -> {
                  List<Long> all = values.computeIfAbsent(tensor, t -> new ArrayList<>());
                  boolean offsets = tensor.equals("offsets") && !all.isEmpty();
                  long base = offsets ? all.get(all.size() - 1) : 0;
                  for (int i = offsets ? 1 : 0; i < v.length; i++) {
                    all.add(base + v[i]);
                  }
                });
        part.shapes()
            .forEach(
                (tensor, shape) -> {
                  long[] total = shapes.get(tensor);
                  if (total == null) {
                    shapes.put(tensor, shape.clone());
                  } else {
                    total[0] += tensor.equals("offsets") ? shape[0] - 1 : shape[0];
                  }
                });
      }
      Map<String, long[]> tensors = new LinkedHashMap<>();
      values.forEach(
          (tensor, v) -> tensors.put(tensor, v.stream().mapToLong(Long::longValue).toArray()));
      return new Safetensors(tensors, shapes, json.path("metadata"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Safetensors readSafetensors(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = (int) buffer.getLong(0);
      JsonNode header =
          Json.MAPPER.readTree(
              new String(bytes, 8, headerLength, java.nio.charset.StandardCharsets.UTF_8));
      Map<String, long[]> tensors = new LinkedHashMap<>();
      Map<String, long[]> shapes = new LinkedHashMap<>();
      for (var it = header.fields(); it.hasNext(); ) {
        var entry = it.next();
        if (entry.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = entry.getValue();
        long begin = t.get("data_offsets").get(0).asLong() + 8 + headerLength;
        long end = t.get("data_offsets").get(1).asLong() + 8 + headerLength;
        String dtype = t.get("dtype").asText();
        int width = dtype.equals("I64") ? 8 : dtype.equals("I8") || dtype.equals("U8") ? 1 : 4;
        long[] values = new long[(int) ((end - begin) / width)];
        for (int i = 0; i < values.length; i++) {
          int at = (int) (begin + (long) i * width);
          values[i] =
              switch (dtype) {
                case "I64" -> buffer.getLong(at);
                case "I8" -> buffer.get(at);
                case "U8" -> Byte.toUnsignedLong(buffer.get(at));
                case "F32" -> Float.floatToIntBits(buffer.getFloat(at));
                default -> buffer.getInt(at);
              };
        }
        tensors.put(entry.getKey(), values);
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = t.get("shape").get(i).asLong();
        }
        shapes.put(entry.getKey(), shape);
      }
      return new Safetensors(tensors, shapes, header.path("__metadata__"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
