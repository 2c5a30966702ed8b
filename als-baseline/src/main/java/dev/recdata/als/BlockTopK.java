package dev.recdata.als;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.RecdataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Exact top-K of {@code score(q, c) = q.offset + c.offset + q.scale * c.scale * (q.factors .
 * c.factors)} for every query row against every candidate, excluding a per-query set of candidates.
 * Recommendations use it with offsets {@code global_mean + user bias} and {@code item bias} and
 * scales 1; similar items with offsets 0 and scales {@code 1 / norm} (cosine).
 *
 * <p>Why this shape: the candidates (items: 59k x rank 32 x 4 bytes = 7.5 MB at MovieLens 25M
 * scale) are broadcast once, and each partition of queries scores blocks of {@value #BLOCK} queries
 * against them with the exclusion applied before the top-K, so each query emits exactly K rows.
 * ALS's {@code recommendForAllUsers} cannot exclude items and would have to over-fetch K + the
 * longest history per user (32k items for the heaviest MovieLens 25M user), i.e. billions of
 * candidate rows; a cross join of factor rows would materialise users x items. Queries are scored
 * in blocks so each candidate vector is read from memory once per block, not once per query. Scores
 * are computed in double and published as float; the order is by the published float score
 * descending, then candidate id ascending, so ties are deterministic and visible as ties.
 */
public final class BlockTopK {
  private BlockTopK() {}

  public static final String QUERY_ID = "query_id";
  public static final String CANDIDATE_ID = "candidate_id";
  public static final String RANK = "rank";
  public static final String SCORE = "score";
  public static final String FACTORS = "factors";
  public static final String OFFSET = "offset";
  public static final String SCALE = "scale";
  public static final String EXCLUDED = "excluded";

  static final int BLOCK = 64;

  static final StructType OUTPUT =
      new StructType()
          .add(QUERY_ID, DataTypes.LongType, false)
          .add(RANK, DataTypes.IntegerType, false)
          .add(CANDIDATE_ID, DataTypes.LongType, false)
          .add(SCORE, DataTypes.FloatType, false);

  /** The candidate side, ordered by id, flat so a block scan is a plain array walk. */
  public static final class Candidates implements Serializable {
    private static final long serialVersionUID = 1L;
    final int rank;
    final long[] ids;

    /**
     * Widened to double once here, not once per scored pair: the inner loop is then loads,
     * multiplies, adds.
     */
    final double[] factors;

    final double[] offset;
    final double[] scale;

    /**
     * Position by {@code id - ids[0]} when the ids are dense enough ({@link #DENSE}), else null and
     * {@link #position} searches. A ranking looks up every excluded item of every query: 22.5M
     * lookups in the 25M-row test step, where the binary search over 59K ids was 4.9% of all task
     * CPU against 2.4% for the dot products (JFR, submit/bench/ANALYSIS.md). The table travels with
     * the broadcast: 4 bytes per id in the span, under 1 MB for MovieLens 25M's ids.
     */
    private final int[] positionByOffset;

    /** A lookup table at most this many times the candidates (MovieLens item ids: ~3.4x). */
    private static final long DENSE = 8;

    Candidates(int rank, long[] ids, double[] factors, double[] offset, double[] scale) {
      this.rank = rank;
      this.ids = ids;
      this.factors = factors;
      this.offset = offset;
      this.scale = scale;
      this.positionByOffset = lookupTable(ids);
    }

    /** The table, or null when the ids are sparse or not strictly ascending. */
    private static int[] lookupTable(long[] ids) {
      int n = ids.length;
      if (n == 0) {
        return null;
      }
      long span = ids[n - 1] - ids[0] + 1;
      if (span <= 0 || span > Math.max(1024, DENSE * n)) {
        return null;
      }
      int[] table = new int[(int) span];
      Arrays.fill(table, -1);
      for (int i = 0; i < n; i++) {
        if (i > 0 && ids[i] <= ids[i - 1]) {
          return null;
        }
        table[(int) (ids[i] - ids[0])] = i;
      }
      return table;
    }

    int size() {
      return ids.length;
    }

    /** The candidate's position, or a negative number when it is not a candidate. */
    public int position(long id) {
      if (positionByOffset == null) {
        return Arrays.binarySearch(ids, id);
      }
      long offset = id - ids[0];
      return offset >= 0 && offset < positionByOffset.length ? positionByOffset[(int) offset] : -1;
    }

    public int rank() {
      return rank;
    }

    /** The offset of the candidate at {@code position} (an item's bias, for recommendations). */
    public double offset(int position) {
      return offset[position];
    }

    /**
     * {@code query} dotted with the factors of the candidate at {@code position}: from 0.0, one
     * product at a time in rank order, the bits {@link BlockDots} gives for the same pair.
     */
    public double dot(List<Float> query, int position) {
      int base = position * rank;
      double dot = 0.0;
      for (int r = 0; r < rank; r++) {
        dot += (double) query.get(r) * factors[base + r];
      }
      return dot;
    }
  }

  /**
   * Brings {@code (id, factors, offset, scale)} rows to the driver in id order, streaming one
   * partition at a time. Only the candidate side (items) comes to the driver, never anything that
   * grows with users.
   */
  public static Candidates collect(Dataset<Row> rows, int rank) {
    Dataset<Row> ordered =
        rows.select(col(QUERY_ID), col(FACTORS), col(OFFSET), col(SCALE)).orderBy(QUERY_ID);
    long count = ordered.count();
    RecdataException.checkInput(
        count * rank < Integer.MAX_VALUE - 8,
        "%d candidates x rank %d do not fit one broadcast array: the blockwise top-K needs fewer items",
        count,
        rank);
    int n = (int) count;
    long[] ids = new long[n];
    double[] factors = new double[n * rank];
    double[] offset = new double[n];
    double[] scale = new double[n];
    Iterator<Row> it = ordered.toLocalIterator();
    int i = 0;
    while (it.hasNext()) {
      Row row = it.next();
      RecdataException.checkInput(i < n, "candidate rows changed while they were read");
      ids[i] = row.getLong(0);
      List<Float> vector = row.getList(1);
      RecdataException.checkInput(
          vector.size() == rank,
          "factor vector of %d has %d values, expected rank %d",
          ids[i],
          vector.size(),
          rank);
      for (int r = 0; r < rank; r++) {
        factors[i * rank + r] = vector.get(r);
      }
      offset[i] = row.getDouble(2);
      scale[i] = row.getDouble(3);
      i++;
    }
    RecdataException.checkInput(
        i == n, "candidate rows changed while they were read (%d of %d)", i, n);
    return new Candidates(rank, ids, factors, offset, scale);
  }

  /**
   * {@code (query_id, rank, candidate_id, score)} for {@code queries (query_id, factors, offset
   * double, scale double, excluded array<bigint> or null)}: at most K rows per query, fewer only
   * when fewer candidates remain.
   */
  public static Dataset<Row> topK(
      SparkSession spark, Dataset<Row> queries, Candidates candidates, int k) {
    Broadcast<Candidates> broadcast =
        spark
            .sparkContext()
            .broadcast(candidates, scala.reflect.ClassTag$.MODULE$.apply(Candidates.class));
    Dataset<Row> input =
        queries.select(col(QUERY_ID), col(FACTORS), col(OFFSET), col(SCALE), col(EXCLUDED));
    MapPartitionsFunction<Row, Row> score = rows -> new Scorer(broadcast.value(), k, rows);
    return input.mapPartitions(score, Encoders.row(OUTPUT));
  }

  /**
   * Spreads the queries over every core before scoring: factor tables and per-user joins often
   * arrive in one or two partitions (small files, adaptive coalescing), while scoring them is the
   * expensive part. An explicit partition count is never coalesced by adaptive execution.
   */
  public static Dataset<Row> spread(SparkSession spark, Dataset<Row> queries) {
    return queries.repartition(
        Math.max(2, 2 * spark.sparkContext().defaultParallelism()), col(QUERY_ID));
  }

  /** Scores one partition block by block and hands out the result rows lazily. */
  private static final class Scorer implements Iterator<Row> {
    private final Candidates c;
    private final int k;
    private final Iterator<Row> rows;
    private final List<Row> pending = new ArrayList<>();
    private int next;

    private final long[] queryIds = new long[BLOCK];

    /** The block's factors, rank-major: {@code [r * BLOCK + b]} (BlockDots' layout). */
    private final double[] queryFactors;

    private final double[] dots = new double[BLOCK];
    private final double[] queryOffset = new double[BLOCK];
    private final double[] queryScale = new double[BLOCK];
    private final BitSet[] excluded = new BitSet[BLOCK];
    private final float[][] topScores;
    private final int[][] topPositions;
    private final int[] topSize = new int[BLOCK];

    Scorer(Candidates candidates, int k, Iterator<Row> rows) {
      this.c = candidates;
      this.k = k;
      this.rows = rows;
      this.queryFactors = new double[BLOCK * candidates.rank];
      this.topScores = new float[BLOCK][k];
      this.topPositions = new int[BLOCK][k];
      for (int b = 0; b < BLOCK; b++) {
        excluded[b] = new BitSet();
      }
    }

    @Override
    public boolean hasNext() {
      while (next >= pending.size() && rows.hasNext()) {
        pending.clear();
        next = 0;
        scoreBlock();
      }
      return next < pending.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.get(next++);
    }

    private void scoreBlock() {
      int rank = c.rank;
      int size = 0;
      while (size < BLOCK && rows.hasNext()) {
        Row row = rows.next();
        queryIds[size] = row.getLong(0);
        List<Float> vector = row.getList(1);
        if (vector.size() != rank) {
          throw new IllegalStateException(
              "factor vector of "
                  + queryIds[size]
                  + " has "
                  + vector.size()
                  + " values, expected "
                  + rank);
        }
        for (int r = 0; r < rank; r++) {
          queryFactors[r * BLOCK + size] = vector.get(r);
        }
        queryOffset[size] = row.getDouble(2);
        queryScale[size] = row.getDouble(3);
        excluded[size].clear();
        if (!row.isNullAt(4)) {
          for (Object id : row.getList(4)) {
            int position = c.position((Long) id);
            if (position >= 0) {
              excluded[size].set(position);
            }
          }
        }
        topSize[size] = 0;
        size++;
      }
      for (int r = 0; r < rank && size < BLOCK; r++) {
        Arrays.fill(queryFactors, r * BLOCK + size, (r + 1) * BLOCK, 0.0);
      }
      // Candidate-major: one candidate vector serves the whole block while it is in cache, and
      // the block's sums for it advance together (BlockDots).
      double[] cf = c.factors;
      for (int j = 0; j < c.ids.length; j++) {
        BlockDots.dots(queryFactors, BLOCK, size, cf, j * rank, rank, dots);
        for (int b = 0; b < size; b++) {
          consider(b, j, dots[b]);
        }
      }
      for (int b = 0; b < size; b++) {
        for (int r = 0; r < topSize[b]; r++) {
          pending.add(
              RowFactory.create(queryIds[b], r + 1, c.ids[topPositions[b][r]], topScores[b][r]));
        }
      }
    }

    /** Offers candidate j to query b unless the query excludes it. */
    private void consider(int b, int j, double dot) {
      if (excluded[b].get(j)) {
        return;
      }
      float score = (float) (queryOffset[b] + c.offset[j] + queryScale[b] * c.scale[j] * dot);
      if (!Float.isNaN(score)) {
        offer(b, j, score);
      }
    }

    /**
     * Keeps the block's K best in descending order. Candidates arrive in ascending id order, so an
     * equal score goes after the ones already kept and never displaces them: ties resolve to the
     * smaller id.
     */
    private void offer(int b, int position, float score) {
      float[] scores = topScores[b];
      int[] positions = topPositions[b];
      int n = topSize[b];
      if (n == k && !(score > scores[k - 1])) {
        return;
      }
      int at = n == k ? k - 1 : n; // the slot freed: past the end, or the current worst
      while (at > 0 && scores[at - 1] < score) {
        scores[at] = scores[at - 1];
        positions[at] = positions[at - 1];
        at--;
      }
      scores[at] = score;
      positions[at] = position;
      if (n < k) {
        topSize[b] = n + 1;
      }
    }
  }
}
