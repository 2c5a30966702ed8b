package dev.recdata.export.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.als.BlockTopK;
import dev.recdata.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BlockTopKTest {
  private static final SparkSession spark = SharedSpark.session();

  private static final StructType QUERIES =
      new StructType()
          .add(BlockTopK.QUERY_ID, DataTypes.LongType)
          .add(BlockTopK.FACTORS, DataTypes.createArrayType(DataTypes.FloatType))
          .add(BlockTopK.OFFSET, DataTypes.DoubleType)
          .add(BlockTopK.SCALE, DataTypes.DoubleType)
          .add(BlockTopK.EXCLUDED, DataTypes.createArrayType(DataTypes.LongType));

  private static Row row(BruteForce.Vector v, Set<Long> excluded) {
    List<Float> factors = new ArrayList<>();
    for (float f : v.factors()) {
      factors.add(f);
    }
    return RowFactory.create(
        v.id(),
        factors,
        v.offset(),
        v.scale(),
        excluded == null ? null : new ArrayList<>(excluded));
  }

  private static Dataset<Row> frame(
      List<BruteForce.Vector> vectors, Map<Long, Set<Long>> excluded) {
    List<Row> rows = new ArrayList<>();
    for (BruteForce.Vector v : vectors) {
      rows.add(row(v, excluded.get(v.id())));
    }
    return spark.createDataFrame(rows, QUERIES);
  }

  private static Map<Long, List<BruteForce.Scored>> run(
      List<BruteForce.Vector> queries,
      List<BruteForce.Vector> candidates,
      Map<Long, Set<Long>> excluded,
      int k,
      int partitions) {
    int rank = candidates.get(0).factors().length;
    BlockTopK.Candidates c = BlockTopK.collect(frame(candidates, Map.of()), rank);
    Map<Long, List<BruteForce.Scored>> result = new TreeMap<>();
    for (Row r :
        BlockTopK.topK(spark, frame(queries, excluded).repartition(partitions), c, k)
            .orderBy("query_id", "rank")
            .collectAsList()) {
      List<BruteForce.Scored> list = result.computeIfAbsent(r.getLong(0), id -> new ArrayList<>());
      assertThat(r.getInt(1)).isEqualTo(list.size() + 1);
      list.add(new BruteForce.Scored(r.getLong(2), r.getFloat(3)));
    }
    return result;
  }

  private static BruteForce.Vector v(long id, double offset, float... factors) {
    return new BruteForce.Vector(id, factors, offset, 1.0);
  }

  @Test
  void equalScoresGoToTheSmallerIdWhateverTheInputOrder() {
    List<BruteForce.Vector> candidates =
        List.of(v(30, 0, 1f), v(10, 0, 1f), v(20, 0, 1f), v(5, 0, 0.5f), v(40, 0, 2f));
    var result = run(List.of(v(1, 0, 1f)), candidates, Map.of(), 3, 1);

    assertThat(result.get(1L)).extracting(BruteForce.Scored::id).containsExactly(40L, 10L, 20L);
    assertThat(result.get(1L)).extracting(BruteForce.Scored::score).containsExactly(2f, 1f, 1f);
  }

  @Test
  void excludedCandidatesAreSkippedAndFewerThanKRemainWhenTheCatalogIsSmall() {
    List<BruteForce.Vector> candidates = List.of(v(1, 0.5, 1f), v(2, 0, 1f), v(3, 0, 3f));
    Map<Long, Set<Long>> excluded = Map.of(7L, Set.of(3L, 99L), 8L, Set.of(1L, 2L, 3L));
    var result = run(List.of(v(7, 10, 1f), v(8, 0, 1f), v(9, 0, -1f)), candidates, excluded, 5, 2);

    assertThat(result.get(7L))
        .containsExactly(new BruteForce.Scored(1, 11.5f), new BruteForce.Scored(2, 11f));
    assertThat(result).doesNotContainKey(8L); // everything seen: no row at all
    assertThat(result.get(9L)).extracting(BruteForce.Scored::id).containsExactly(1L, 2L, 3L);
  }

  @Test
  void matchesBruteForceAcrossBlocksAndPartitions() {
    Random random = new Random(3);
    List<BruteForce.Vector> queries = new ArrayList<>();
    List<BruteForce.Vector> candidates = new ArrayList<>();
    Map<Long, Set<Long>> excluded = new HashMap<>();
    for (long id = 0; id < 300; id++) {
      candidates.add(
          new BruteForce.Vector(1000 + id, randomVector(random, 6), random.nextGaussian(), 1.0));
    }
    for (long id = 0; id < 150; id++) { // more than one block of 64 per partition
      queries.add(new BruteForce.Vector(id, randomVector(random, 6), random.nextGaussian(), 1.0));
      Set<Long> seen = new HashSet<>();
      for (int s = 0; s < random.nextInt(40); s++) {
        seen.add(1000L + random.nextInt(300));
      }
      excluded.put(id, seen);
    }

    assertThat(run(queries, candidates, excluded, 10, 2))
        .isEqualTo(BruteForce.topK(queries, candidates, excluded, 10));
  }

  private static float[] randomVector(Random random, int rank) {
    float[] v = new float[rank];
    for (int r = 0; r < rank; r++) {
      v[r] = (float) random.nextGaussian();
    }
    return v;
  }
}
