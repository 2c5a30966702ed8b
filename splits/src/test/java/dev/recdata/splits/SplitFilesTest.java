package dev.recdata.splits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.splits.SplitInputReader.InputOrder;
import dev.recdata.splits.SplitInputReader.SplitInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split writes its three outputs from the cutting tasks themselves ({@link SplitFiles}); these
 * tests hold it to what Spark's own partitioned write guaranteed: counts equal to the files,
 * nothing from attempts Spark did not accept, an empty split still readable with the schema, and a
 * failing task leaving the last good output.
 */
class SplitFilesTest {
  private static final SparkSession SPARK = SharedSpark.session();

  @TempDir Path dir;

  private static List<Path> parquetFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void eachTaskWritesAFilePerSplitAndTheCountsAreTheFilesRows() throws IOException {
    Dataset<Row> input = Interactions.of(Interactions.random(200, 3)).repartition(3);
    SplitSummary summary =
        SplitJob.run(
            SPARK,
            input,
            null,
            "memory",
            SplitOptions.of(Strategy.USER_RATIO),
            dir.resolve("first").toString());
    long[] read = new long[3];
    for (int s = 0; s < 3; s++) {
      Path split = dir.resolve("first").resolve(Splitter.SPLIT_NAMES.get(s));
      // at most one file per task (3 shuffle partitions here), none from other attempts
      assertThat(parquetFiles(split))
          .isNotEmpty()
          .hasSizeLessThanOrEqualTo(
              Integer.parseInt(SPARK.conf().get("spark.sql.shuffle.partitions")))
          // named by partition alone: no write id, no attempt number
          .allMatch(f -> f.getFileName().toString().matches("part-\\d{5}-c000\\.snappy\\.parquet"));
      read[s] = SPARK.read().parquet(split.toString()).count();
    }
    assertThat(new long[] {summary.train(), summary.validation(), summary.test()})
        .containsExactly(read);
    assertThat(read[0] + read[1] + read[2]).isEqualTo(input.count());
    assertThat(summary.users()).isEqualTo(200);

    // The same input and options again: byte for byte; the manifests differ in run ids and times
    // only.
    Path again = dir.resolve("again");
    SplitJob.run(
        SPARK, input, null, "memory", SplitOptions.of(Strategy.USER_RATIO), again.toString());
    OutputTrees.assertSameOutput(dir.resolve("first"), again);
  }

  @Test
  void filesOfAttemptsSparkDidNotAcceptAreDeleted() throws IOException {
    Path split = dir.resolve("train");
    // two "attempts" wrote a file each; only the first was accepted
    Interactions.of(Interactions.userHistory(1, 3))
        .coalesce(1)
        .write()
        .parquet(dir.resolve("a").toString());
    Interactions.of(Interactions.userHistory(2, 5))
        .coalesce(1)
        .write()
        .parquet(dir.resolve("b").toString());
    Files.createDirectories(split);
    Path accepted =
        Files.move(
            parquetFiles(dir.resolve("a")).get(0), split.resolve("part-00000-x-a0.snappy.parquet"));
    Files.move(
        parquetFiles(dir.resolve("b")).get(0), split.resolve("part-00000-x-a1.snappy.parquet"));

    assertThat(
            SplitFiles.keepOnly(
                SPARK, hadoopPath(split), Set.of(qualified(accepted)), Schema.INTERACTIONS))
        .isEqualTo(1);

    assertThat(parquetFiles(split)).containsExactly(accepted);
    assertThat(SPARK.read().parquet(split.toString()).count()).isEqualTo(3);
  }

  @Test
  void anAcceptedFileMissingFromTheListingFailsTheRun() throws IOException {
    Path split = dir.resolve("test");
    Interactions.of(Interactions.userHistory(3, 4)).coalesce(1).write().parquet(split.toString());
    // a task's path spelt unlike the listing's (unqualified): the tidy would not recognise it
    String unqualified = parquetFiles(split).get(0).toString();

    assertThatThrownBy(
            () ->
                SplitFiles.tidy(
                    SPARK, List.of(split.toString()), Set.of(unqualified), Schema.INTERACTIONS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the split tasks reported 1 files, 0 of them found");
  }

  @Test
  void aSplitWithoutRowsIsAnEmptyFileWithTheSchema() throws IOException {
    Path split = dir.resolve("validation");
    Interactions.of(Interactions.userHistory(2, 5)).coalesce(1).write().parquet(split.toString());

    assertThat(SplitFiles.keepOnly(SPARK, hadoopPath(split), Set.of(), Schema.INTERACTIONS))
        .isZero();

    Dataset<Row> empty = SPARK.read().parquet(split.toString());
    assertThat(empty.count()).isZero();
    assertThat(empty.schema().fieldNames()).containsExactly(Schema.INTERACTIONS.fieldNames());
  }

  @Test
  void aTaskFailingMidWriteLeavesTheLastGoodOutputAndNoStaging() throws IOException {
    Path out = dir.resolve("out");
    SplitOptions options = SplitOptions.of(Strategy.USER_RATIO);
    SplitJob.run(
        SPARK,
        Interactions.of(Interactions.userHistory(7, 10)),
        null,
        "memory",
        options,
        out.toString());
    List<String> before = lines(out);

    // declared clustered, but user 1 comes back after user 2: the cutter fails after writing rows
    Dataset<Row> interleaved =
        Interactions.of(
                Interactions.rating(1, 10, 1),
                Interactions.rating(2, 20, 2),
                Interactions.rating(1, 30, 3))
            .coalesce(1);
    SplitInput lying = new SplitInput(interleaved, null, "memory", InputOrder.CLUSTERED_PLAN);
    assertThatThrownBy(() -> SplitJob.run(SPARK, lying, options, out.toString()))
        .rootCause()
        .hasMessageContaining("not clustered by group");

    assertThat(lines(out)).isEqualTo(before);
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .containsExactly("out");
    }
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
    return new org.apache.hadoop.fs.Path(path.toString());
  }

  /** A file as the task results name it: qualified by its file system. */
  private static String qualified(Path path) throws IOException {
    return org.apache.hadoop.fs.FileSystem.getLocal(SPARK.sparkContext().hadoopConfiguration())
        .makeQualified(hadoopPath(path))
        .toString();
  }

  private static List<String> lines(Path out) {
    return SPARK.read().parquet(out.resolve(Splitter.TRAIN).toString()).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }
}
