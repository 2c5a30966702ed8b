package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class AutoTuningTest {
  private static AlsOptions auto(Set<String> pinned) {
    AlsOptions.Protocol protocol =
        new AlsOptions.Protocol(
            AlsOptions.Signal.RATINGS,
            AlsOptions.Tune.AUTO,
            null,
            true,
            30,
            AlsOptions.ServeFallback.POPULAR,
            pinned,
            false,
            0);
    return AlsOptions.defaults(AlsOptions.Mode.IMPLICIT).withProtocol(protocol);
  }

  /** Runs the search against a score function, as AlsJob does against validation. */
  private static List<AlsReport.GridScore> walk(
      AlsOptions o, ToDoubleFunction<Map<String, Double>> ndcg) {
    List<AlsReport.GridScore> tried = new ArrayList<>();
    for (Optional<Map<String, Double>> next = AutoTuning.next(o, tried);
        next.isPresent();
        next = AutoTuning.next(o, tried)) {
      tried.add(
          new AlsReport.GridScore(
              next.get(), Map.of("ndcg@10", ndcg.applyAsDouble(next.get())), 0));
      assertThat(tried).as("the search ends").hasSizeLessThan(40);
    }
    return tried;
  }

  /**
   * The start's regParam and alpha score best (0.17, every other 0.1); rank 32 and 128 scale the
   * score by the given factors, every other rank by 1.
   */
  private static ToDoubleFunction<Map<String, Double>> startBestWithRanks(
      double at32, double at128) {
    return p ->
        (p.get("regParam") == 0.1 && p.get("alpha") == 1.0 ? 0.17 : 0.1)
            * (p.get("rank") == 128.0 ? at128 : p.get("rank") == 32.0 ? at32 : 1.0);
  }

  /** A smooth peak in log space at the given point. */
  private static ToDoubleFunction<Map<String, Double>> peakAt(
      double reg, double alpha, double rank) {
    return p ->
        1
            - Math.pow(Math.log(p.get("regParam") / reg), 2)
            - Math.pow(Math.log(p.get("alpha") / alpha), 2)
            - Math.pow(Math.log(p.getOrDefault("rank", 64.0) / rank), 2);
  }

  @Test
  void walksToAPeakAwayFromTheStartWithoutFittingAnyPointTwice() {
    List<AlsReport.GridScore> tried = walk(auto(Set.of()), peakAt(0.0111, 16, 32));

    Set<String> labels = new HashSet<>();
    tried.forEach(score -> assertThat(labels.add(score.label())).as(score.label()).isTrue());
    Map<String, Double> best = AlsJob.select(tried, List.of(tried.get(0).point()), "ndcg@10");
    assertThat(best.get("regParam")).isEqualTo(0.0111);
    assertThat(best.get("alpha")).isEqualTo(16.0);
    assertThat(best.get("rank")).isEqualTo(32.0);
    assertThat(best.get("maxIter")).isEqualTo(AutoTuning.MAX_ITER);
  }

  @Test
  void stopsAfterTheNeighboursWhenTheStartIsBest() {
    List<AlsReport.GridScore> tried = walk(auto(Set.of()), peakAt(0.1, 1, 64));

    // the start and its two neighbours on each of the three axes
    assertThat(tried).hasSize(7);
    assertThat(tried.get(0).label()).isEqualTo("regParam=0.1,alpha=1,rank=64,maxIter=10");
  }

  @Test
  void aLargerRankThatWinsByNoiseIsNotSelected() {
    // rank 32 loses 3%, so rank 128 is tried; it scores 0.5% above the start: within the
    // tolerance, so the start stays selected
    List<AlsReport.GridScore> tried = walk(auto(Set.of()), startBestWithRanks(0.97, 1.005));

    assertThat(tried)
        .extracting(AlsReport.GridScore::label)
        .contains(
            "regParam=0.1,alpha=1,rank=32,maxIter=10", "regParam=0.1,alpha=1,rank=128,maxIter=10");
    assertThat(AutoTuning.best(auto(Set.of()), tried).get("rank")).isEqualTo(64.0);
  }

  @Test
  void whenHalfTheRankTiesTheDoubleIsNotFitted() {
    // rank 32 scores within the tolerance of 64 (as on the generated data and the default sample):
    // rank 128, the costliest fit, is skipped even though it would have scored 5% more
    List<AlsReport.GridScore> tried = walk(auto(Set.of()), startBestWithRanks(0.995, 1.05));

    assertThat(tried)
        .extracting(AlsReport.GridScore::label)
        .contains("regParam=0.1,alpha=1,rank=32,maxIter=10")
        .doesNotContain("regParam=0.1,alpha=1,rank=128,maxIter=10");
    assertThat(tried).hasSize(6);
    assertThat(AutoTuning.best(auto(Set.of()), tried).get("rank")).isEqualTo(64.0);
  }

  @Test
  void aSmallerRankThatWinsIsWalkedDownTo() {
    // explicit-like data: every halving gains 5% down to rank 16, where 8 loses
    List<AlsReport.GridScore> tried =
        walk(
            auto(Set.of("regParam", "alpha")),
            p -> {
              double rank = p.get("rank");
              return rank >= 16 ? Math.pow(1.05, -Math.log(rank / 16) / Math.log(2)) : 0.9;
            });

    assertThat(tried)
        .extracting(AlsReport.GridScore::label)
        .containsExactly(
            "rank=64,maxIter=10", "rank=32,maxIter=10", "rank=16,maxIter=10", "rank=8,maxIter=10");
    assertThat(AutoTuning.best(auto(Set.of("regParam", "alpha")), tried).get("rank"))
        .isEqualTo(16.0);
  }

  @Test
  void aParameterTheUserGaveIsNotSearched() {
    List<AlsReport.GridScore> tried = walk(auto(Set.of("rank", "maxIter")), peakAt(0.3, 4, 16));

    assertThat(tried)
        .allSatisfy(score -> assertThat(score.point()).doesNotContainKeys("rank", "maxIter"));
  }
}
