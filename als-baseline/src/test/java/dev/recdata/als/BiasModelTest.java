package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recdata.common.Schema;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class BiasModelTest {
  @Test
  void biasesMatchHandComputedValuesAndUnknownsFallBackToTheMean() {
    AlsOptions explicit = AlsOptions.defaults(AlsOptions.Mode.EXPLICIT);
    Dataset<Row> labels =
        Feedback.labels(
            Fixtures.interactions(
                Fixtures.rating(1, 1, 5), Fixtures.rating(1, 2, 3), Fixtures.rating(2, 1, 4)),
            explicit);

    // damping 0: mu = 4, b_i1 = 0.5, b_i2 = -1, b_u1 = ((5-4.5) + (3-3)) / 2 = 0.25, b_u2 = -0.5
    BiasModel bias = BiasModel.fit(labels, 0.0);
    Dataset<Row> pairs =
        Fixtures.interactions(
            Fixtures.rating(1, 1, 0), Fixtures.rating(2, 2, 0), Fixtures.rating(3, 9, 0));
    Map<String, Double> predicted =
        bias.predict(pairs.select(Schema.USER_ID, Schema.ITEM_ID), "p").collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.getAs(Schema.USER_ID) + ":" + r.getAs(Schema.ITEM_ID),
                    r -> r.<Double>getAs("p")));

    assertThat(bias.globalMean()).isCloseTo(4.0, within(1e-9));
    assertThat(predicted.get("1:1")).isCloseTo(4.75, within(1e-6));
    // 4 - 0.5 - 1 = 2.5 is below every training rating (3..5): clipped to the scale
    assertThat(predicted.get("2:2")).isCloseTo(3.0, within(1e-6));
    assertThat(bias.minLabel()).isEqualTo(3.0);
    assertThat(bias.maxLabel()).isEqualTo(5.0);
    assertThat(predicted.get("3:9")).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void implicitLabelsWeighRatingsByTheThresholdAndKeepOnlyPositivesWhenAsked() {
    AlsOptions implicit =
        AlsOptions.defaults(AlsOptions.Mode.IMPLICIT)
            .withProtocol(AlsOptions.Protocol.asGiven().withSignal(AlsOptions.Signal.POSITIVES));
    Dataset<Row> events =
        Fixtures.interactions(
            Fixtures.like(1, 1),
            Fixtures.rating(1, 2, 4),
            Fixtures.rating(1, 3, 3.5f),
            Fixtures.like(1, 1));
    Map<Long, Float> labels =
        Feedback.labels(events, implicit).collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.<Long>getAs(Schema.ITEM_ID), r -> r.<Float>getAs(Feedback.LABEL)));
    // two likes weigh 1 each; a 4 at threshold 4 weighs 1; the 3.5 is not a positive
    assertThat(labels).containsOnly(Map.entry(1L, 2f), Map.entry(2L, 1f));

    // every rating: the 3.5 counts too, weighing 3.5 / 4
    Map<Long, Float> everyRating =
        Feedback.labels(events, AlsOptions.defaults(AlsOptions.Mode.IMPLICIT))
            .collectAsList()
            .stream()
            .collect(
                Collectors.toMap(
                    r -> r.<Long>getAs(Schema.ITEM_ID), r -> r.<Float>getAs(Feedback.LABEL)));
    assertThat(everyRating)
        .containsOnly(Map.entry(1L, 2f), Map.entry(2L, 1f), Map.entry(3L, 0.875f));

    // the user whose only test rating is below the threshold has nothing relevant and is not ranked
    Dataset<Row> relevant =
        Feedback.relevant(
            Fixtures.interactions(Fixtures.rating(1, 5, 5), Fixtures.rating(2, 5, 2)), implicit);
    assertThat(relevant.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(1L);
  }
}
