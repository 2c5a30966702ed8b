package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
  private static final long[] COUNTS = {50, 40, 30, 20, 10, 5, 0, 0, 0, 0};

  @Test
  void aPlantedUserWhosePositivesCoverMostOfTheCatalogOnlyGetsTheRest() {
    int[] positives = {0, 1, 2, 3, 4, 5, 7, 9}; // only items 6 and 8 are allowed
    for (Sampler kind : Sampler.values()) {
      NegativeSampler sampler = NegativeSampler.of(kind, COUNTS, 0.75, 42);
      for (int positive : positives) {
        int[] negatives = sampler.negatives(3, positive, 16, positives, new int[0]);
        assertThat(negatives).as(kind.cliName()).hasSize(16);
        assertThat(Arrays.stream(negatives).filter(n -> n != 6 && n != 8))
            .as(kind.cliName())
            .isEmpty();
      }
    }
  }

  @Test
  void drawsAreAFunctionOfSeedUserAndPositive() {
    NegativeSampler a = NegativeSampler.of(Sampler.POPULARITY, COUNTS, 0.75, 1);
    NegativeSampler b = NegativeSampler.of(Sampler.POPULARITY, COUNTS, 0.75, 1);
    NegativeSampler c = NegativeSampler.of(Sampler.POPULARITY, COUNTS, 0.75, 2);
    int[] excluded = {0};
    assertThat(a.negatives(5, 0, 20, excluded, new int[0]))
        .isEqualTo(b.negatives(5, 0, 20, excluded, new int[0]));
    assertThat(a.negatives(5, 0, 20, excluded, new int[0]))
        .isNotEqualTo(c.negatives(5, 0, 20, excluded, new int[0]));
    assertThat(a.negatives(5, 0, 20, excluded, new int[0]))
        .isNotEqualTo(a.negatives(6, 0, 20, excluded, new int[0]));
  }

  @Test
  void popularityFavoursTheHeadButReachesItemsNeverSeen() {
    NegativeSampler sampler = NegativeSampler.of(Sampler.POPULARITY, COUNTS, 1.0, 7);
    int[] histogram = new int[COUNTS.length];
    for (int user = 0; user < 2000; user++) {
      for (int item : sampler.negatives(user, 0, 5, new int[0], new int[0])) {
        histogram[item]++;
      }
    }
    assertThat(histogram[0]).isGreaterThan(histogram[4] * 3);
    assertThat(histogram[9]).isPositive();
  }

  @Test
  void impressionsComeFirstDistinctThenPopularityTopsUp() {
    NegativeSampler sampler = NegativeSampler.of(Sampler.IMPRESSIONS, COUNTS, 0.75, 3);
    int[] negatives = sampler.negatives(1, 0, 5, new int[] {0}, new int[] {7, 8});
    assertThat(Arrays.copyOf(negatives, 2)).containsExactlyInAnyOrder(7, 8);
    assertThat(negatives).hasSize(5).doesNotContain(0);
  }

  @Test
  void aUserWhoHasEveryItemGetsNoNegativeRatherThanAPositive() {
    NegativeSampler sampler = NegativeSampler.of(Sampler.UNIFORM, new long[3], 0.75, 3);
    assertThat(sampler.negatives(1, 0, 4, new int[] {0, 1, 2}, new int[0])).isEmpty();
  }

  @Test
  void evaluationNegativesAreDistinctAndUnseen() {
    NegativeSampler sampler = NegativeSampler.of(Sampler.UNIFORM, new long[100], 0.75, 3);
    int[] seen = {1, 2, 3, 50};
    int[] drawn = sampler.distinctUniform(9, 1, 90, seen);
    assertThat(drawn).hasSize(90).doesNotHaveDuplicates().doesNotContain(seen);
    assertThat(sampler.distinctUniform(9, 1, 99, seen)).hasSize(96).doesNotContain(seen);
    assertThat(sampler.distinctUniform(9, 2, 10, seen))
        .isNotEqualTo(sampler.distinctUniform(9, 1, 10, seen));
  }
}
