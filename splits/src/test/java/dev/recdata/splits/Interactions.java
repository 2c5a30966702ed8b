package dev.recdata.splits;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Tiny canonical interaction tables built inline. */
final class Interactions {
  private Interactions() {}

  static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");

  /** A rating by {@code user} of {@code item} at {@code T0 + second} seconds. */
  static Row rating(long user, long item, long second) {
    return event(user, item, second, Schema.EVENT_RATING);
  }

  static Row event(long user, long item, long second, String event) {
    Float rating = Schema.EVENT_RATING.equals(event) ? 4.0f : null;
    return RowFactory.create(
        user, item, rating, Timestamp.from(T0.plusSeconds(second)), event, "test");
  }

  static Dataset<Row> of(Row... rows) {
    return of(Arrays.asList(rows));
  }

  static Dataset<Row> of(List<Row> rows) {
    return SharedSpark.session().createDataFrame(rows, Schema.INTERACTIONS);
  }

  /** A user with {@code n} ratings of items 1..n at seconds 1..n. */
  static List<Row> userHistory(long user, int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(rating(user, i, i));
    }
    return rows;
  }

  /**
   * {@code users} users with 1 to 25 events each, random items and times with many ties in time;
   * every (user, item, ts) is distinct so a row is identified by its values.
   */
  static List<Row> random(int users, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int user = 1; user <= users; user++) {
      int n = 1 + random.nextInt(25);
      for (int i = 0; i < n; i++) {
        // Items are unique per user, so rows are distinct whatever the time.
        rows.add(rating(user, user * 100L + i, random.nextInt(40)));
      }
    }
    return rows;
  }
}
