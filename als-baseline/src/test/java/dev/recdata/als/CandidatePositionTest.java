package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A candidate's position is what a binary search over the ids finds, whether the ids are dense
 * enough for the lookup table or so sparse that the search is kept: the exclusions of every ranking
 * (seen items never recommended back) and the held-out scoring of export depend on it.
 */
class CandidatePositionTest {
  private static BlockTopK.Candidates candidates(long[] ids) {
    int n = ids.length;
    return new BlockTopK.Candidates(1, ids, new double[n], new double[n], new double[n]);
  }

  /** Every id from below the smallest to above the largest: found where present, else negative. */
  private static void assertSameAsBinarySearch(long[] ids, long from, long to) {
    BlockTopK.Candidates c = candidates(ids);
    for (long id = from; id <= to; id++) {
      int expected = Arrays.binarySearch(ids, id);
      int actual = c.position(id);
      if (expected >= 0) {
        assertThat(actual).as("position of candidate %d", id).isEqualTo(expected);
      } else {
        assertThat(actual).as("id %d is not a candidate", id).isNegative();
      }
    }
  }

  @Test
  void denseIdsWithGapsAreFoundAtTheirPositionAndMissingIdsAreNegative() {
    // MovieLens-like: 1..n with a third of the ids missing
    Random random = new Random(11);
    long[] ids =
        java.util.stream.LongStream.rangeClosed(1, 3000)
            .filter(i -> random.nextInt(3) > 0)
            .toArray();
    assertSameAsBinarySearch(ids, -5, 3010);
    assertThat(candidates(ids).position(Long.MIN_VALUE)).isNegative();
    assertThat(candidates(ids).position(Long.MAX_VALUE)).isNegative();
  }

  @Test
  void sparseAndExtremeIdsKeepTheBinarySearch() {
    long[] sparse = {-1_000_000_000L, 3, 7, 1_000_000_000_000L};
    BlockTopK.Candidates c = candidates(sparse);
    for (int i = 0; i < sparse.length; i++) {
      assertThat(c.position(sparse[i])).isEqualTo(i);
    }
    assertThat(c.position(4)).isNegative();
    long[] extremes = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
    BlockTopK.Candidates e = candidates(extremes);
    for (int i = 0; i < extremes.length; i++) {
      assertThat(e.position(extremes[i])).isEqualTo(i);
    }
    assertThat(e.position(1)).isNegative();
    assertSameAsBinarySearch(new long[] {42}, 30, 50);
    assertSameAsBinarySearch(new long[0], -2, 2);
  }
}
