package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.als.Baselines;
import dev.recdata.common.Schema;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The popularity fallback counted inside etl's user-clustered files gives the catalogue order, and
 * so the served lists, of the shuffling count, row for row; a file that breaks the clustering stops
 * the export instead of counting a user twice.
 */
class ClusteredPopularityTest {
  @TempDir static Path tmp;
  static String clustered;
  static Dataset<Row> interactions;
  static Dataset<Row> users;

  /**
   * 300 users over 120 items, skewed towards low ids: ratings, likes of items also rated (one
   * distinct user), repeated ratings, impressions (never counted) and times over 400 days, so the
   * recent window and the all-time counts disagree.
   */
  @BeforeAll
  static void writeClusteredFiles() {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime();
    for (long user = 1; user <= 300; user++) {
      int events = 1 + random.nextInt(40);
      for (int e = 0; e < events; e++) {
        long item = 1 + (long) (120 * Math.pow(random.nextDouble(), 2));
        Timestamp ts = new Timestamp(start + (long) random.nextInt(400) * 86_400_000L);
        int kind = random.nextInt(10);
        String event =
            kind < 6 ? Schema.EVENT_RATING : kind < 8 ? Schema.EVENT_LIKE : Schema.EVENT_IMPRESSION;
        Float rating = event.equals(Schema.EVENT_RATING) ? (float) (1 + random.nextInt(5)) : null;
        rows.add(RowFactory.create(user, item, rating, ts, event, "fixture"));
      }
    }
    interactions = ServingFixtures.spark.createDataFrame(rows, Schema.INTERACTIONS);
    clustered = tmp.resolve("clustered").toString();
    // etl's layout: each user in one file, users ascending across and within files
    interactions
        .repartitionByRange(4, col(Schema.USER_ID))
        .sortWithinPartitions(Schema.USER_ID, Schema.TS)
        .write()
        .parquet(clustered);
    interactions = ServingFixtures.spark.read().parquet(clustered);
    users = interactions.select(Schema.USER_ID).distinct();
  }

  private static List<Row> served(String baseline, boolean clusteredByUser) {
    return Recommendations.fromBaseline(
            ServingFixtures.spark,
            baseline,
            interactions,
            clustered,
            clusteredByUser,
            users,
            Recommendations.seen(interactions),
            5,
            30)
        .collectAsList();
  }

  @Test
  void mostPopularCountedInsideTheFilesServesTheListsOfTheShufflingCount() {
    long[] shuffling =
        Baselines.mostPopularOrder(Baselines.itemPopularity(Recommendations.seen(interactions)));
    long[] inFiles =
        ClusteredPopularity.order(ServingFixtures.spark, clustered, true, "most_popular", null, 30);

    assertThat(inFiles).hasSizeGreaterThan(50).containsExactly(shuffling);
    List<Row> lists = served("most_popular", true);
    assertThat(lists).hasSize(300 * 5).containsExactlyElementsOf(served("most_popular", false));
  }

  @Test
  void recentlyPopularCountedInsideTheFilesServesTheListsOfTheShufflingCount() {
    List<Row> lists = served("recently_popular", true);

    assertThat(lists)
        .hasSize(300 * 5)
        .containsExactlyElementsOf(served("recently_popular", false))
        // the window changes the order: otherwise this would only repeat the test above
        .isNotEqualTo(served("most_popular", true));
  }

  @Test
  void aUserOutOfOrderInAFileStopsTheCountInsteadOfCountingThemTwice() {
    String broken = tmp.resolve("broken").toString();
    // one file, users descending: what a hand-edited or foreign "etl output" could hold
    interactions
        .coalesce(1)
        .sortWithinPartitions(col(Schema.USER_ID).desc())
        .write()
        .parquet(broken);

    assertThatThrownBy(
            () ->
                ClusteredPopularity.order(
                    ServingFixtures.spark, broken, true, "most_popular", null, 30))
        .isInstanceOf(SparkException.class)
        .hasStackTraceContaining("not clustered by user");
  }

  @Test
  void filesTheManifestDoesNotCallClusteredAreLeftToTheShufflingCount() {
    assertThat(
            ClusteredPopularity.order(
                ServingFixtures.spark, clustered, false, "most_popular", null, 30))
        .isNull();
  }
}
