package dev.recdata.splits;

import static dev.recdata.splits.Interactions.rating;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class TemporalLeakageTest {

  /** Two users ten seconds each, user 2's events all after user 1's: 1..10 and 101..110. */
  private static Dataset<Row> twoUsersOneAfterTheOther() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(rating(1, i, i));
      rows.add(rating(2, i, 100 + i));
    }
    return Interactions.of(rows);
  }

  private static Dataset<Row> part(Dataset<Row> tagged, String split) {
    return tagged.where(col(Splitter.SPLIT).equalTo(split));
  }

  @Test
  void perUserTemporalSplitLetsTrainSeeOtherUsersLaterEvents() {
    Dataset<Row> tagged =
        Splitter.assign(
            twoUsersOneAfterTheOther(), SplitOptions.of(Strategy.USER_RATIO).withRatios(0.8, 0.2));

    // Train is user 1 at 1..8 and user 2 at 101..108 (16 rows); test is 9, 10, 109, 110. User 1's
    // two test rows each see user 2's 8 training rows later; user 2's see none: (8 + 8) / (4 * 16).
    assertThat(TemporalLeakage.share(part(tagged, Splitter.TRAIN), part(tagged, Splitter.TEST)))
        .isEqualTo(0.25);
  }

  @Test
  void globalTimeSplitHasNoTemporalLeakage() {
    Dataset<Row> tagged =
        Splitter.assign(
            twoUsersOneAfterTheOther(), SplitOptions.of(Strategy.GLOBAL_TIME).withRatios(0.8, 0.2));

    assertThat(part(tagged, Splitter.TEST).count()).isEqualTo(4);
    assertThat(TemporalLeakage.share(part(tagged, Splitter.TRAIN), part(tagged, Splitter.TEST)))
        .isEqualTo(0.0);
  }

  @Test
  void trainingRowsAtTheSameSecondAsTheTestRowAreNotLater() {
    Dataset<Row> train =
        Interactions.of(
            rating(1, 1, 1), rating(1, 2, 2), rating(1, 3, 3), rating(2, 1, 10), rating(3, 1, 10));
    Dataset<Row> test = Interactions.of(rating(4, 1, 2), rating(4, 2, 5), rating(4, 3, 10));

    // Test at 2 sees 3, 10, 10 later; at 5 sees 10, 10; at 10 sees nothing: (3 + 2 + 0) / (3 * 5).
    assertThat(TemporalLeakage.counts(train, test)).isEqualTo(new TemporalLeakage.Counts(5, 3, 5));
    assertThat(TemporalLeakage.share(train, test)).isEqualTo(1.0 / 3);
  }

  /**
   * Quality asks for the share against train and against train + validation at once: one pass must
   * give exactly what two separate ones give, here with validation rows later than some test rows.
   */
  @Test
  void bothSharesFromOnePassEqualTheSharesComputedApart() {
    Dataset<Row> train =
        Interactions.of(rating(1, 1, 1), rating(1, 2, 2), rating(2, 1, 10), rating(3, 1, 10));
    Dataset<Row> validation = Interactions.of(rating(1, 3, 3), rating(5, 1, 7), rating(5, 2, 12));
    Dataset<Row> test = Interactions.of(rating(4, 1, 2), rating(4, 2, 5), rating(4, 3, 10));

    double[] shares = TemporalLeakage.shares(train, validation, test);

    assertThat(shares[0]).isEqualTo(TemporalLeakage.share(train, test));
    assertThat(shares[1]).isEqualTo(TemporalLeakage.share(train.unionByName(validation), test));
    // test at 2 sees 3, 7, 10, 10, 12 later; at 5 sees 7, 10, 10, 12; at 10 sees 12: 10 / (3 * 7)
    assertThat(shares[1]).isEqualTo(10.0 / 21);
    assertThat(shares[0]).isNotEqualTo(shares[1]);
  }

  @Test
  void sameCountsWhateverTheNumberOfRangePartitions() {
    Random random = new Random(7);
    List<Row> trainRows = new ArrayList<>();
    List<Row> testRows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      // Seconds 0..59: many ties within and across the two sides.
      Row row = rating(i % 17, i, random.nextInt(60));
      (random.nextInt(4) == 0 ? testRows : trainRows).add(row);
    }
    TemporalLeakage.Counts expected = bruteForce(trainRows, testRows);
    assertThat(expected.laterPairs()).isPositive();

    SparkSession spark = SharedSpark.session();
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      for (int partitions : new int[] {1, 3, 8, 64}) {
        spark.conf().set("spark.sql.shuffle.partitions", partitions);
        assertThat(TemporalLeakage.counts(Interactions.of(trainRows), Interactions.of(testRows)))
            .as("%d partitions", partitions)
            .isEqualTo(expected);
      }
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
  }

  @Test
  void emptyTestOrTrainHasNoShare() {
    Dataset<Row> some = Interactions.of(rating(1, 1, 1), rating(1, 2, 2));
    Dataset<Row> none = Interactions.of(List.of());

    assertThat(TemporalLeakage.share(some, none)).isNaN();
    assertThat(TemporalLeakage.share(none, some)).isNaN();
  }

  private static TemporalLeakage.Counts bruteForce(List<Row> train, List<Row> test) {
    int ts = Schema.INTERACTIONS.fieldIndex(Schema.TS);
    long later = 0;
    for (Row t : test) {
      for (Row r : train) {
        if (r.getTimestamp(ts).after(t.getTimestamp(ts))) {
          later++;
        }
      }
    }
    return new TemporalLeakage.Counts(train.size(), test.size(), later);
  }
}
