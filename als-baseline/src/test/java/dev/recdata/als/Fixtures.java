package dev.recdata.als;

import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Tiny inline interactions and split folders. */
final class Fixtures {
  private Fixtures() {}

  static final Timestamp TS = Timestamp.valueOf("2024-01-01 00:00:00");

  static Row rating(long user, long item, float rating) {
    return RowFactory.create(user, item, rating, TS, Schema.EVENT_RATING, "test");
  }

  static Row like(long user, long item) {
    return RowFactory.create(user, item, null, TS, Schema.EVENT_LIKE, "test");
  }

  static Dataset<Row> interactions(List<Row> rows) {
    return SharedSpark.session().createDataFrame(rows, Schema.INTERACTIONS);
  }

  static Dataset<Row> interactions(Row... rows) {
    return interactions(List.of(rows));
  }

  /**
   * Six users and eight items with a two-taste structure: users 1-3 like items 1-4, users 4-6 items
   * 5-8; a rating is 5 inside one's taste and 2 outside. Every user rates six items.
   */
  static List<Row> twoTastes() {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= 6; u++) {
      for (long i = 1; i <= 8; i++) {
        if ((u + i) % 4 == 0) {
          continue; // leave two items per user unrated
        }
        boolean sameTaste = (u <= 3) == (i <= 4);
        rows.add(rating(u, i, sameTaste ? 5f : 2f));
      }
    }
    return rows;
  }

  static void writeSplit(Path dir, String part, List<Row> rows) {
    interactions(rows)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(dir.resolve("splits").resolve(part).toString());
  }

  static void writeManifest(SparkSession spark, Path dir, String etlPath) {
    var m = Json.object();
    m.put("stage", "split");
    m.put("run_id", "fixture-split");
    m.put("strategy", "fixture");
    m.putObject("input").put("path", etlPath).put("upstream_run_id", "fixture-etl");
    Json.write(
        spark.sparkContext().hadoopConfiguration(), dir.resolve("manifest.json").toString(), m);
  }
}
