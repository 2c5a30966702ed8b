package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.etl.clean.Cleaning;
import dev.recdata.splits.SplitInputReader.InputOrder;
import dev.recdata.splits.SplitInputReader.SplitInput;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etl writes interactions clustered by user; the split then cuts users without a shuffle. These
 * tests hold that path to the shuffled one: same rows in the same splits for every per-user
 * strategy, no exchange in the plan, and a loud failure rather than a silently double-cut user when
 * the input is not clustered.
 */
class ClusteredSplitTest {
  private static final SparkSession SPARK = SharedSpark.session();
  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";

  @TempDir static Path dir;
  private static Path etl;

  /**
   * 300 users with ties in time (Interactions.random) plus one user whose events tie on time and
   * item and differ only in event, source (one beyond U+FFFF) and a null rating, written the way
   * etl writes them, in several files.
   */
  @BeforeAll
  static void writeClusteredEtlOutput() {
    List<Row> rows = new ArrayList<>(Interactions.random(300, 7));
    rows.addAll(ties(1000));
    etl = dir.resolve("etl");
    Cleaning.clusterByUser(Interactions.of(rows).repartition(3))
        .write()
        .parquet(etl.resolve(Schema.Layout.INTERACTIONS).toString());
    Json.write(
        SPARK.sparkContext().hadoopConfiguration(),
        etl.resolve(Schema.Layout.MANIFEST).toString(),
        Json.object().put("stage", "etl").put(Schema.CLUSTERED_BY_KEY, Schema.USER_ID));
  }

  private static List<Row> ties(long user) {
    Timestamp ts = Timestamp.from(Interactions.T0);
    List<Row> rows = new ArrayList<>();
    for (String source : List.of("b", "a", "\uFFFD", "\uD835\uDD38", "ä")) {
      rows.add(RowFactory.create(user, 5L, 4.0f, ts, Schema.EVENT_RATING, source));
      rows.add(RowFactory.create(user, 5L, null, ts, Schema.EVENT_LIKE, source));
      rows.add(RowFactory.create(user, 5L, 2.5f, ts, Schema.EVENT_RATING, source));
    }
    return rows;
  }

  private static List<String> lines(Path folder) {
    return SPARK.read().parquet(folder.toString()).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void etlOutputIsReadAsClustered() {
    assertThat(SplitInputReader.read(SPARK, etl.toString()).order())
        .isEqualTo(InputOrder.CLUSTERED_FILES);
  }

  @Test
  void everyPerUserStrategyGivesTheSameSplitsWithAndWithoutTheShuffle() {
    SplitInput clustered = SplitInputReader.read(SPARK, etl.toString());
    SplitInput shuffled =
        new SplitInput(clustered.interactions(), null, clustered.path(), InputOrder.UNKNOWN);
    List<SplitOptions> strategies =
        List.of(
            SplitOptions.of(Strategy.USER_RATIO).withRatios(0.5, 0.3, 0.2),
            SplitOptions.of(Strategy.LEAVE_LAST),
            SplitOptions.of(Strategy.USER_RANDOM).withRatios(0.6, 0.2, 0.2),
            SplitOptions.of(Strategy.KFOLD).withFolds(3));
    for (SplitOptions options : strategies) {
      String name = options.strategy().cliName();
      Path a = dir.resolve("clustered-" + name);
      Path b = dir.resolve("shuffled-" + name);
      SplitSummary fast = SplitJob.run(SPARK, clustered, options, a.toString());
      SplitSummary slow = SplitJob.run(SPARK, shuffled, options, b.toString());
      assertThat(fast.train()).as(name).isEqualTo(slow.train());
      assertThat(fast.users()).as(name).isEqualTo(301);
      List<String> folders =
          options.strategy() == Strategy.KFOLD
              ? List.of("fold=0/train", "fold=0/test", "fold=2/test")
              : List.of("train", "validation", "test");
      for (String folder : folders) {
        Path split = Path.of(folder);
        assertThat(lines(a.resolve(split)))
            .as(name + " " + folder)
            .isEqualTo(lines(b.resolve(split)));
      }
    }
  }

  @Test
  void theClusteredPlanHasNoShuffleEvenWhenTheSessionCutsFilesSmall() {
    SplitInput in = SplitInputReader.read(SPARK, etl.toString());
    SplitOptions options = SplitOptions.of(Strategy.USER_RATIO);
    Dataset<Row> positives = Splitter.positives(in.interactions());
    SPARK.conf().set(MAX_PARTITION_BYTES, "512");
    try {
      // Left to itself, the session cuts each file into several scan partitions: users would be cut
      // in two.
      assertThat(positives.rdd().getNumPartitions())
          .isGreaterThan(in.interactions().inputFiles().length);
      ClusteredScan scan = ClusteredScan.of(SPARK, in);
      String plan =
          scan.run(
              () -> {
                assertThat(scan.holds(positives, options)).isTrue();
                return planCutOver(positives, options, true);
              });
      assertThat(plan).doesNotContain("Exchange").doesNotContain("Sort [");
      assertThat(planCutOver(positives, options, false)).contains("Exchange");
      assertThat(SPARK.conf().get(MAX_PARTITION_BYTES)).isEqualTo("512");
      assertThat(scan.holds(positives, options.withGroupBy(GroupBy.ITEM))).isFalse();
    } finally {
      SPARK.conf().unset(MAX_PARTITION_BYTES);
    }
  }

  /** The physical plan of the rows the cutter reads. */
  private static String planCutOver(
      Dataset<Row> positives, SplitOptions options, boolean clustered) {
    return Splitter.perGroupCut(positives, options, clustered, null)
        .grouped()
        .queryExecution()
        .executedPlan()
        .toString();
  }

  @Test
  void inputThatIsNotClusteredFailsInsteadOfCuttingAUserTwice() {
    // user 1, then user 2, then user 1 again in one partition
    Dataset<Row> interleaved =
        Interactions.of(
                Interactions.rating(1, 10, 1),
                Interactions.rating(2, 20, 2),
                Interactions.rating(1, 30, 3))
            .coalesce(1);
    Dataset<Row> tagged = Splitter.assign(interleaved, SplitOptions.of(Strategy.USER_RATIO), true);
    assertThatThrownBy(tagged::collectAsList)
        .rootCause()
        .hasMessageContaining("not clustered by group: key 1 follows 2");
  }

  @Test
  void eventOrderSortsExactlyAsSpark() {
    Dataset<Row> rows = Interactions.of(ties(1)).coalesce(1);
    Column[] order = Schema.USER_EVENT_ORDER.stream().map(c -> col(c).asc()).toArray(Column[]::new);
    List<InternalRow> bySpark = internalRows(rows.sortWithinPartitions(order));
    List<InternalRow> byJava = new ArrayList<>(internalRows(rows));
    assertThat(byJava).isNotEqualTo(bySpark);
    byJava.sort(new EventOrder(Schema.INTERACTIONS, null));
    assertThat(byJava).containsExactlyElementsOf(bySpark);
  }

  /**
   * The rows as Spark's unsafe rows, copied out of the reused buffer; equal rows have equal bytes.
   */
  private static List<InternalRow> internalRows(Dataset<Row> rows) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) rows)
        .queryExecution()
        .toRdd()
        .toJavaRDD()
        .map(InternalRow::copy)
        .collect();
  }
}
