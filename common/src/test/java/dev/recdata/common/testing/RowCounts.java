package dev.recdata.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** The row accounting every etl manifest promises, asserted the same way wherever it is checked. */
public final class RowCounts {
  private RowCounts() {}

  /** Nothing lost: {@code input = output + rejected + deduplicated_total + filtered_total}. */
  public static void assertNothingLost(JsonNode counts) {
    assertThat(counts.path("input").asLong())
        .as("nothing lost: input = output + rejected + deduplicated + filtered in %s", counts)
        .isEqualTo(
            counts.path("output").asLong()
                + counts.path("rejected").asLong()
                + counts.path("deduplicated_total").asLong()
                + counts.path("filtered_total").asLong());
  }
}
