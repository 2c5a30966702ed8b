package dev.recdata.splits;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exact time quantiles for global-time splits. The train cutoff is the timestamp of the m-th
 * earliest event, where m is train's share of all events by the {@link Allocation} rule (likewise
 * train+validation for the second cutoff); ties at the cutoff then go to the earlier split.
 *
 * <p>Why not {@code approxQuantile(..., 0.0)}: an exact answer there keeps every value in the
 * summaries and merges them on the driver, which grows with the input. A full sort is exact but
 * sorts the whole table for two numbers. Instead each cutoff is found by narrowing histograms:
 * count events per bucket of [lo, hi], keep the bucket holding rank m, repeat; both cutoffs share
 * the passes. Every pass is one aggregation over the ts column returning at most {@value #BUCKETS}
 * rows per cutoff; microsecond timestamps spanning decades need about four passes.
 */
public final class GlobalTimeCutoffs {
  private GlobalTimeCutoffs() {}

  static final int BUCKETS = 1 << 14;
  private static final String MICROS = "_ts_micros";

  /**
   * One cutoff for two ratios, two for three; the second equals the first when validation gets no
   * events.
   */
  public static List<Instant> fromRatios(Dataset<Row> canonical, double[] ratios) {
    Dataset<Row> micros = canonical.select(unix_micros(col(Schema.TS)).as(MICROS));
    Row extent = micros.agg(count("*"), min(MICROS), max(MICROS)).first();
    long n = extent.getLong(0);
    if (n == 0) {
      return List.of();
    }
    long[] counts = Allocation.counts(n, ratios);
    long[] ranks =
        counts.length == 2 ? new long[] {counts[0]} : new long[] {counts[0], counts[0] + counts[1]};
    List<Instant> cutoffs = new ArrayList<>();
    for (long cutoff : kthSmallest(micros, extent.getLong(1), extent.getLong(2), ranks)) {
      cutoffs.add(instant(cutoff));
    }
    return cutoffs;
  }

  /**
   * The {@code ranks}-th smallest (1-based) values of the single long column of {@code values}, all
   * of which lie in [lo, hi]. All ranks are narrowed in the same passes: each row is counted in the
   * bucket of every target range holding it, keyed {@code bucket * ranks + target}.
   */
  static long[] kthSmallest(Dataset<Row> values, long lo, long hi, long... ranks) {
    String column = values.columns()[0];
    int targets = ranks.length;
    long[] low = new long[targets];
    long[] high = new long[targets];
    long[] remaining = ranks.clone();
    Arrays.fill(low, lo);
    Arrays.fill(high, hi);
    while (true) {
      long[] width = new long[targets];
      List<Column> keys = new ArrayList<>();
      for (int t = 0; t < targets; t++) {
        if (low[t] < high[t]) {
          width[t] = (high[t] - low[t]) / BUCKETS + 1;
          // Integral division ("div"): a double quotient could misplace values at bucket edges.
          Column bucket = expr(String.format("(%s - %d) div %d", column, low[t], width[t]));
          keys.add(when(col(column).between(low[t], high[t]), bucket.multiply(targets).plus(t)));
        }
      }
      if (keys.isEmpty()) {
        return low;
      }
      List<Row> histogram =
          values
              .select(explode(array(keys.toArray(Column[]::new))).as("key"))
              .filter(col("key").isNotNull())
              .groupBy("key")
              .count()
              .orderBy("key")
              .collectAsList();
      long[] below = new long[targets];
      boolean[] found = new boolean[targets];
      for (Row row : histogram) {
        long key = row.getLong(0);
        int t = (int) (key % targets);
        if (found[t]) {
          continue;
        }
        long inBucket = row.getLong(1);
        if (below[t] + inBucket >= remaining[t]) {
          long start = low[t] + (key / targets) * width[t];
          high[t] = Math.min(high[t], start + width[t] - 1);
          low[t] = start;
          remaining[t] -= below[t];
          found[t] = true;
        } else {
          below[t] += inBucket;
        }
      }
      for (int t = 0; t < targets; t++) {
        if (width[t] > 0 && !found[t]) {
          throw new IllegalStateException(
              "rank " + ranks[t] + " is beyond the " + below[t] + " values in range");
        }
      }
    }
  }

  public static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
