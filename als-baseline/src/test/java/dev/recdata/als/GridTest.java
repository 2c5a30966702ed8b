package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridTest {
  @Test
  void everyCombinationIsAPointFirstParameterSlowest() {
    Grid grid = Grid.parse("rank=16,32; regParam=0.01,0.1");
    assertThat(grid.points())
        .containsExactly(
            Map.of("rank", 16.0, "regParam", 0.01),
            Map.of("rank", 16.0, "regParam", 0.1),
            Map.of("rank", 32.0, "regParam", 0.01),
            Map.of("rank", 32.0, "regParam", 0.1));
    assertThat(Grid.label(grid.points().get(1))).isEqualTo("rank=16,regParam=0.1");
    assertThat(grid).hasToString("rank=16,32;regParam=0.01,0.1");
  }

  @Test
  void emptyGridIsOneDefaultPoint() {
    assertThat(Grid.parse(null).points()).containsExactly(Map.of());
    assertThat(Grid.parse("  ").size()).isEqualTo(1);
  }

  @Test
  void mistakesAreReportedWithTheOffendingPart() {
    assertThatThrownBy(() -> Grid.parse("rnak=16"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("unknown parameter \"rnak\"");
    assertThatThrownBy(() -> Grid.parse("rank=16,x"))
        .hasMessageContaining("rank=x is not a number");
    assertThatThrownBy(() -> Grid.parse("rank")).hasMessageContaining("\"rank\" is not name=v1,v2");
    assertThatThrownBy(() -> Grid.parse("rank=1.5")).hasMessageContaining("must be a whole number");
    assertThatThrownBy(() -> Grid.parse("regParam=-1")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Grid.parse("alpha=1;alpha=2")).hasMessageContaining("given twice");
  }

  @Test
  void aPointOverridesOnlyTheParametersItNames() {
    AlsOptions base = AlsOptions.defaults(AlsOptions.Mode.IMPLICIT);
    AlsOptions at = base.at(Map.of("rank", 32.0, "alpha", 40.0));
    assertThat(List.of(at.rank(), at.maxIter())).containsExactly(32, base.maxIter());
    assertThat(at.alpha()).isEqualTo(40.0);
    assertThat(at.regParam()).isEqualTo(base.regParam());
  }

  @Test
  void selectByMustBeAMetricOfTheMode() {
    assertThat(AlsOptions.defaults(AlsOptions.Mode.EXPLICIT).selectBy()).isEqualTo("rmse");
    assertThat(AlsOptions.defaults(AlsOptions.Mode.IMPLICIT).selectBy()).isEqualTo("ndcg@10");
    assertThatThrownBy(
            () ->
                new AlsOptions(
                    AlsOptions.Mode.IMPLICIT,
                    10,
                    10,
                    0.1,
                    1,
                    false,
                    1,
                    1,
                    4f,
                    10,
                    "rmse",
                    null,
                    false,
                    false,
                    5))
        .hasMessageContaining("--select-by rmse is not available in implicit mode");
    assertThatThrownBy(
            () ->
                new AlsOptions(
                    AlsOptions.Mode.EXPLICIT,
                    10,
                    10,
                    0.1,
                    1,
                    false,
                    1,
                    1,
                    4f,
                    10,
                    "ndcg@5",
                    null,
                    false,
                    true,
                    5))
        .hasMessageContaining("ndcg@10");
  }
}
