package dev.recdata.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * Range-partitioned sorts whose partition boundaries are a function of the rows alone, so that the
 * same input gives the same output files, byte for byte, whatever ran before in the JVM.
 *
 * <p>Spark's {@code orderBy} and {@code repartitionByRange} pick their boundaries from a random
 * sample seeded with the id of the RDD being sampled ({@code RangePartitioner}). RDD ids count
 * every RDD the application created before, so the boundaries, and with them which rows land in
 * which output file, move when anything earlier in the process differs: a pipeline run with one
 * more query before export, a test JVM that ran another test first, adaptive execution planning a
 * stage twice. Here the sample is content-defined instead: the {@value #SAMPLE} rows with the
 * smallest xxhash64 of their ordering columns. The same sample estimates the row count (the K-th
 * smallest of uniform hashes, a k-minimum-values estimate), which sets the number of partitions
 * from {@code spark.sql.adaptive.advisoryPartitionSizeInBytes}.
 *
 * <p>Rows then go to their range with a hash repartition on a routing key: for range {@code p} the
 * smallest int whose Murmur3 hash (what Spark's {@code HashPartitioning} computes) falls in
 * partition {@code p}. A repartition to an explicit number of partitions is never coalesced by
 * adaptive execution, so partition {@code p} is range {@code p} (DeterministicOrderTest checks it
 * row by row).
 */
public final class DeterministicOrder {
  private DeterministicOrder() {}

  /** Rows in the content-defined sample: about 50 per partition at the 200-partition maximum. */
  static final int SAMPLE = 10_000;

  private static final String HASH = "__recdata_sample_hash";
  private static final String ROUTE = "__recdata_range";

  /** Spark's seed for {@code hash()} and hash partitioning. */
  private static final int SPARK_HASH_SEED = 42;

  /**
   * {@code rows} in ascending order of {@code order} (nulls first), as consecutive ranges of the
   * first column: partition {@code i} holds smaller keys than partition {@code i + 1}, and each
   * partition is sorted by all of {@code order}. Use a total order (no two distinct rows tie) for
   * byte-identical output.
   */
  public static Dataset<Row> sort(Dataset<Row> rows, String... order) {
    return clusterBy(rows, order[0], order);
  }

  /**
   * As {@link #sort}, sizing the partitions for rows of about {@code bytesPerRow} when that is more
   * than Spark's default size of the schema: an array counts as one element there, so rows of long
   * arrays (a 200-item sequence) would all land in one partition, written by one core.
   */
  public static Dataset<Row> sort(Dataset<Row> rows, long bytesPerRow, String... order) {
    return clusterBy(rows, bytesPerRow, order[0], order);
  }

  /**
   * {@code rows} range-partitioned by {@code rangeColumn} (every row with one value in one
   * partition, values ascending across partitions) and sorted within each partition by {@code
   * within}, ascending, nulls first.
   */
  public static Dataset<Row> clusterBy(Dataset<Row> rows, String rangeColumn, String... within) {
    return clusterBy(rows, 0, rangeColumn, within);
  }

  private static Dataset<Row> clusterBy(
      Dataset<Row> rows, long bytesPerRow, String rangeColumn, String... within) {
    Column[] hashed =
        Stream.concat(Stream.of(rangeColumn), Arrays.stream(within))
            .distinct()
            .map(rows::col)
            .toArray(Column[]::new);
    List<Row> sample =
        rows.select(col(rangeColumn), xxhash64(hashed).as(HASH))
            .orderBy(col(HASH), col(rangeColumn))
            .limit(SAMPLE)
            .collectAsList();
    int partitions = partitions(rows, estimateRows(sample), bytesPerRow);
    return route(rows, rangeColumn, bounds(rows, rangeColumn, sample, partitions), within);
  }

  /**
   * Range {@code i} holds the keys in {@code (bounds[i - 1], bounds[i]]} (nulls in range 0), each
   * range sorted by {@code within}.
   */
  private static Dataset<Row> route(
      Dataset<Row> rows, String rangeColumn, List<Object> bounds, String... within) {
    int[] routes = routes(bounds.size() + 1);
    Column key = col(rangeColumn);
    Column route =
        when(key.isNull(), lit(routes[0]))
            .otherwise(rangeOf(key, bounds, routes, 0, bounds.size()));
    Column[] sortOrder =
        Arrays.stream(within).map(c -> col(c).asc_nulls_first()).toArray(Column[]::new);
    return rows.withColumn(ROUTE, route)
        .repartition(routes.length, col(ROUTE))
        .sortWithinPartitions(sortOrder)
        .drop(ROUTE);
  }

  /**
   * As {@link #sort}, for rows whose first {@code order} column is a 64-bit hash, uniform over the
   * longs (a seeded shuffle key): the ranges split the longs into equal parts, computed rather than
   * sampled, so the rows are generated once instead of twice (the sample reads them all). The
   * partition count follows {@code expectedRows} as {@link #sort}'s follows its estimate. The same
   * rows in the same order as {@link #sort}; only where the partitions break differs.
   */
  public static Dataset<Row> sortByUniformKey(
      Dataset<Row> rows, long expectedRows, String... order) {
    int partitions = partitions(rows, Math.max(0, expectedRows), 0);
    long step = Long.divideUnsigned(-1L, partitions); // floor((2^64 - 1) / partitions)
    List<Object> bounds = new ArrayList<>();
    for (int i = 1; i < partitions; i++) {
      bounds.add(Long.MIN_VALUE + step * i - 1); // range i - 1 ends here; wraps as unsigned
    }
    return route(rows, order[0], bounds, order);
  }

  private static int partitions(Dataset<Row> rows, long rowsEstimate, long bytesPerRow) {
    long bytes = rowsEstimate * Math.max(bytesPerRow, Math.max(1, rows.schema().defaultSize()));
    SQLConf conf = rows.sparkSession().sessionState().conf();
    long target = Math.max(1L, (Long) conf.getConf(SQLConf.ADVISORY_PARTITION_SIZE_IN_BYTES()));
    int maxPartitions = conf.numShufflePartitions();
    return (int) Math.max(1, Math.min(maxPartitions, (bytes + target - 1) / target));
  }

  /** All the rows when the sample holds fewer than {@value #SAMPLE}; else the KMV estimate. */
  static long estimateRows(List<Row> sample) {
    if (sample.size() < SAMPLE) {
      return sample.size();
    }
    // the hash as an unsigned fraction of 2^64: the K-th smallest of n uniform values is near K/n
    long kth = sample.get(sample.size() - 1).getLong(1);
    double fraction = ((double) kth - (double) Long.MIN_VALUE) / 0x1p64;
    return fraction <= 0 ? Long.MAX_VALUE : (long) Math.ceil((SAMPLE - 1) / fraction);
  }

  /**
   * The upper bounds of the first {@code partitions - 1} ranges: the sample's range-column values
   * at equal steps, ordered by Spark itself (its string order is by UTF-8 bytes, not Java's),
   * without nulls and repeats. Fewer bounds when the column has fewer distinct values.
   */
  private static List<Object> bounds(
      Dataset<Row> rows, String rangeColumn, List<Row> sample, int partitions) {
    if (partitions == 1 || sample.isEmpty()) {
      return List.of();
    }
    List<Row> ordered =
        rows.sparkSession()
            .createDataFrame(sample, rows.select(col(rangeColumn), lit(0L).as(HASH)).schema())
            .where(col(rangeColumn).isNotNull())
            .orderBy(col(rangeColumn))
            .select(col(rangeColumn))
            .collectAsList();
    List<Object> bounds = new ArrayList<>();
    for (int i = 1; i < partitions && !ordered.isEmpty(); i++) {
      Object bound = ordered.get((int) ((long) i * ordered.size() / partitions)).get(0);
      if (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(bound)) {
        bounds.add(bound);
      }
    }
    // the last bound must be below the largest sampled value, or its range above would be empty
    Object largest = ordered.get(ordered.size() - 1).get(0);
    if (!bounds.isEmpty() && bounds.get(bounds.size() - 1).equals(largest)) {
      bounds.remove(bounds.size() - 1);
    }
    return bounds;
  }

  /**
   * The range of {@code key} among {@code bounds[from, to)} as its routing literal: a balanced tree
   * of comparisons, {@code log2(partitions)} deep. Range {@code i} holds keys in {@code (bounds[i -
   * 1], bounds[i]]}.
   */
  private static Column rangeOf(Column key, List<Object> bounds, int[] routes, int from, int to) {
    if (from == to) {
      return lit(routes[from]);
    }
    int mid = (from + to) >>> 1;
    return when(key.leq(lit(bounds.get(mid))), rangeOf(key, bounds, routes, from, mid))
        .otherwise(rangeOf(key, bounds, routes, mid + 1, to));
  }

  /**
   * For each partition {@code p} of {@code n}, the smallest non-negative int that Spark's hash
   * partitioning ({@code pmod(murmur3(value, 42), n)}) sends to {@code p}.
   */
  static int[] routes(int n) {
    int[] routes = new int[n];
    Arrays.fill(routes, -1);
    int found = 0;
    for (int candidate = 0; found < n; candidate++) {
      int partition = Math.floorMod(Murmur3_x86_32.hashInt(candidate, SPARK_HASH_SEED), n);
      if (routes[partition] < 0) {
        routes[partition] = candidate;
        found++;
      }
    }
    return routes;
  }
}
