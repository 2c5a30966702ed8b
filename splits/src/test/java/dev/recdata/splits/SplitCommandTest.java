package dev.recdata.splits;

import static dev.recdata.splits.Interactions.event;
import static dev.recdata.splits.Interactions.rating;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.RowCounts;
import dev.recdata.common.testing.SharedSpark;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SplitCommandTest {
  @TempDir static Path dir;
  private static Path etl;
  private static final SparkSession SPARK = SharedSpark.session();

  /**
   * User 10 rates items 100..1000 at seconds 1..10; user 20 rates 1100 and 1200 (below
   * --min-interactions 3); user 30 likes item 100 and passes over two impressions.
   */
  @BeforeAll
  static void writeEtlOutput() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rows.add(rating(10, i * 100L, i));
    }
    rows.add(rating(20, 1100, 1));
    rows.add(rating(20, 1200, 2));
    rows.add(event(30, 100, 5, Schema.EVENT_LIKE));
    rows.add(event(30, 200, 6, Schema.EVENT_IMPRESSION));
    rows.add(event(30, 300, 7, Schema.EVENT_IMPRESSION));
    etl = dir.resolve("etl");
    Interactions.of(rows)
        .coalesce(1)
        .write()
        .parquet(etl.resolve(Schema.Layout.INTERACTIONS).toString());
    var manifest = Json.object().put("stage", "etl").put("run_id", "etl-run-1");
    Json.write(
        SPARK.sparkContext().hadoopConfiguration(),
        etl.resolve(Schema.Layout.MANIFEST).toString(),
        manifest);
  }

  /**
   * Runs the command the way the CLI does: RecdataException becomes its exit code and a one-line
   * message.
   */
  private static int execute(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new SplitCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println(e.getMessage());
          return e instanceof RecdataException recdata
              ? recdata.exitCode()
              : RecdataException.EXIT_INTERNAL;
        });
    return cli.execute(args);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file);
  }

  private static long rows(Path folder) {
    return SPARK.read().parquet(folder.toString()).count();
  }

  @Test
  void userRatioWritesTheSplitsSequencesAndManifest() throws IOException {
    Path out = dir.resolve("user-ratio");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit =
        execute(
            stdout,
            stderr,
            "--master",
            SharedSpark.MASTER,
            "--input",
            etl.toString(),
            "--out",
            out.toString(),
            "--strategy",
            "user-ratio",
            "--ratios",
            "0.7,0.2,0.1",
            "--min-interactions",
            "3",
            "--text-format",
            "sequences");

    assertThat(exit).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("train 10, validation 2, test 1");
    Path splits = out;
    assertThat(rows(splits.resolve("train"))).isEqualTo(10);
    assertThat(rows(splits.resolve("validation"))).isEqualTo(2);
    assertThat(rows(splits.resolve("test"))).isEqualTo(1);
    assertThat(SPARK.read().parquet(splits.resolve("test").toString()).schema().fieldNames())
        .containsExactly(Schema.INTERACTIONS.fieldNames());

    JsonNode manifest =
        Json.read(
            SPARK.sparkContext().hadoopConfiguration(), out.resolve("manifest.json").toString());
    assertThat(manifest.path("stage").asText()).isEqualTo("split");
    assertThat(manifest.path("strategy").asText()).isEqualTo("user-ratio");
    assertThat(manifest.path("ratios").toString()).isEqualTo("[0.7,0.2,0.1]");
    assertThat(manifest.path("min_interactions").asInt()).isEqualTo(3);
    assertThat(manifest.path("group_by").asText()).isEqualTo("user");
    assertThat(manifest.path("seed").isNull()).isTrue();
    assertThat(manifest.path("input").path("upstream_run_id").asText()).isEqualTo("etl-run-1");
    assertThat(manifest.path("input").path("path").asText()).isEqualTo(etl.toString());
    JsonNode counts = manifest.path("counts");
    assertThat(counts.path("input").asLong()).isEqualTo(15);
    assertThat(counts.path("impressions_excluded").asLong()).isEqualTo(2);
    assertThat(counts.path("train").asLong()).isEqualTo(10);
    assertThat(counts.path("validation").asLong()).isEqualTo(2);
    assertThat(counts.path("test").asLong()).isEqualTo(1);
    assertThat(counts.path("users").asLong()).isEqualTo(3);
    assertThat(counts.path("users_below_min_interactions").asLong()).isEqualTo(2);
    assertThat(manifest.path("versions").path("spark").asText()).startsWith("4.");
    assertThat(manifest.path("seconds").path("total").asDouble()).isPositive();

    // Users 10, 20, 30 become 1, 2, 3; items 100..1200 become 1..12 in every file.
    Path sequences = splits.resolve("sequences");
    assertThat(lines(sequences.resolve("train.txt")))
        .containsExactly("1 1", "1 2", "1 3", "1 4", "1 5", "1 6", "1 7", "2 11", "2 12", "3 1");
    assertThat(lines(sequences.resolve("validation.txt"))).containsExactly("1 8", "1 9");
    assertThat(lines(sequences.resolve("test.txt"))).containsExactly("1 10");
    assertThat(lines(sequences.resolve("user_ids.txt"))).containsExactly("1 10", "2 20", "3 30");
    assertThat(lines(sequences.resolve("item_ids.txt")))
        .hasSize(12)
        .startsWith("1 100")
        .endsWith("12 1200");

    // Nothing but the committed output is left beside it.
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.contains("staging"));
    }
    // The parts sit in --out itself, beside the manifest: no splits/ folder inside the split
    // folder.
    try (Stream<Path> inside = Files.list(splits)) {
      assertThat(inside.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith(".")))
          .containsExactlyInAnyOrder("train", "validation", "test", "sequences", "manifest.json");
    }
  }

  @Test
  void twoRatiosWriteAnEmptyValidationWithTheSchema() {
    Path out = dir.resolve("two-ratios");
    int exit =
        execute(
            new StringWriter(),
            new StringWriter(),
            "--master",
            SharedSpark.MASTER,
            "--input",
            etl.resolve(Schema.Layout.INTERACTIONS).toString(),
            "--out",
            out.toString(),
            "--ratios",
            "0.8,0.2");
    assertThat(exit).isZero();
    Path validation = out.resolve("validation");
    assertThat(rows(validation)).isZero();
    assertThat(SPARK.read().parquet(validation.toString()).schema().fieldNames())
        .containsExactly(Schema.INTERACTIONS.fieldNames());
    JsonNode manifest =
        Json.read(
            SPARK.sparkContext().hadoopConfiguration(), out.resolve("manifest.json").toString());
    assertThat(manifest.path("input").path("upstream_run_id").isNull()).isTrue();
  }

  @Test
  void kfoldWritesOneTrainAndTestFolderPerFold() {
    Path out = dir.resolve("kfold");
    StringWriter stdout = new StringWriter();
    int exit =
        execute(
            stdout,
            new StringWriter(),
            "--master",
            SharedSpark.MASTER,
            "--input",
            etl.toString(),
            "--out",
            out.toString(),
            "--strategy",
            "kfold",
            "--folds",
            "2",
            "--seed",
            "7");
    assertThat(exit).isZero();
    Path splits = out;
    JsonNode manifest =
        Json.read(
            SPARK.sparkContext().hadoopConfiguration(), out.resolve("manifest.json").toString());
    long testRows = 0;
    for (int fold = 0; fold < 2; fold++) {
      long train = rows(splits.resolve("fold=" + fold).resolve("train"));
      long test = rows(splits.resolve("fold=" + fold).resolve("test"));
      // 13 positives: user 30's single like is train in both folds.
      assertThat(train + test).isEqualTo(13);
      assertThat(manifest.path("folds_counts").get(fold).path("test").asLong()).isEqualTo(test);
      assertThat(manifest.path("folds_counts").get(fold).path("train").asLong()).isEqualTo(train);
      // Counted per fold, as written; not "train 0, validation 0, test 12".
      assertThat(stdout.toString()).contains("fold " + fold + " train " + train + " test " + test);
      testRows += test;
    }
    assertThat(testRows).isEqualTo(12);
    // A k-fold split has no one train, validation or test: the manifest says so rather than 0.
    assertThat(manifest.path("counts").path("train").isNull()).isTrue();
    assertThat(manifest.path("counts").path("validation").isNull()).isTrue();
    assertThat(manifest.path("counts").path("test").isNull()).isTrue();
    assertThat(stdout.toString()).doesNotContain("validation");
    assertThat(manifest.path("folds").asInt()).isEqualTo(2);
    assertThat(manifest.path("seed").asLong()).isEqualTo(7);
  }

  @Test
  void groupByItemCountsAndNamesItemsNotUsers() {
    Path out = dir.resolve("by-item");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit =
        execute(
            stdout,
            stderr,
            "--master",
            SharedSpark.MASTER,
            "--input",
            etl.toString(),
            "--out",
            out.toString(),
            "--group-by",
            "item",
            "--min-interactions",
            "2");
    assertThat(exit).as(stderr.toString()).isZero();
    var positives =
        SPARK
            .read()
            .parquet(etl.resolve(Schema.Layout.INTERACTIONS).toString())
            .where(
                org.apache.spark.sql.functions.col(Schema.EVENT).notEqual(Schema.EVENT_IMPRESSION));
    long items = positives.select(Schema.ITEM_ID).distinct().count();
    long itemsBelowMin =
        positives
            .groupBy(Schema.ITEM_ID)
            .count()
            .where(org.apache.spark.sql.functions.col("count").lt(2))
            .count();
    long users = positives.select(Schema.USER_ID).distinct().count();
    JsonNode counts =
        Json.read(
                SPARK.sparkContext().hadoopConfiguration(), out.resolve("manifest.json").toString())
            .path("counts");
    assertThat(counts.path("items").asLong()).isEqualTo(items);
    assertThat(counts.path("items_below_min_interactions").asLong()).isEqualTo(itemsBelowMin);
    assertThat(counts.path("users").asLong()).isEqualTo(users);
    assertThat(counts.has("users_below_min_interactions")).isFalse();
    assertThat(stdout.toString())
        .contains(items + " items (" + itemsBelowMin + " below --min-interactions 2")
        .contains(users + " users");
  }

  @Test
  void ratiosNotSummingToOneExitWithCodeTwoNamingTheValues() {
    Path out = dir.resolve("bad");
    StringWriter stderr = new StringWriter();
    int exit =
        execute(
            new StringWriter(),
            stderr,
            "--input",
            etl.toString(),
            "--out",
            out.toString(),
            "--ratios",
            "0.7,0.2,0.2");
    assertThat(exit).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(stderr.toString()).contains("ratios 0.7,0.2,0.2 sum to 1.1; they must sum to 1");
    assertThat(new File(out.toString())).doesNotExist();
  }

  @Test
  void missingInputIsBadInputNamingThePath() {
    StringWriter stderr = new StringWriter();
    int exit =
        execute(
            new StringWriter(),
            stderr,
            "--master",
            SharedSpark.MASTER,
            "--input",
            dir.resolve("nowhere").toString(),
            "--out",
            dir.resolve("never").toString());
    assertThat(exit).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(stderr.toString()).contains("nowhere does not exist");
  }

  @Test
  void optionsParseCutoffsAndRejectBadNumbers() {
    SplitCommand command = new SplitCommand();
    new CommandLine(command)
        .parseArgs(
            "--input",
            "in",
            "--out",
            "out",
            "--strategy",
            "global-time",
            "--cutoffs",
            "2019-01-01T00:00:00Z,2019-07-01T00:00:00Z");
    SplitOptions options = command.options();
    assertThat(options.strategy()).isEqualTo(Strategy.GLOBAL_TIME);
    assertThat(options.cutoffs()).hasSize(2);
    assertThat(options.hasValidation()).isTrue();

    SplitCommand bad = new SplitCommand();
    new CommandLine(bad).parseArgs("--input", "in", "--out", "out", "--ratios", "0.7,x");
    org.assertj.core.api.Assertions.assertThatThrownBy(bad::options)
        .hasMessage("--ratios 0.7,x: 'x' is not a number");
  }

  @Test
  void inputWithoutACanonicalColumnFailsNamingItAndLeavesNoOutput() throws IOException {
    Path out = dir.resolve("no-source");
    var interactions =
        SPARK
            .read()
            .parquet(etl.resolve(Schema.Layout.INTERACTIONS).toString())
            .drop(Schema.SOURCE);
    SplitOptions options = SplitOptions.of(Strategy.USER_RATIO);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SplitJob.run(SPARK, interactions, null, "planted", options, out.toString()))
        .isInstanceOf(RecdataException.class)
        .hasMessageStartingWith("planted has no column source");
    assertThat(new File(out.toString())).doesNotExist();
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".no-source"));
    }
  }

  @Test
  void oneOffSplitOfACsvReadsItAsEtlWouldAndKeepsTheMalformedLineInRejectsWithItsReason()
      throws IOException {
    Path csv = dir.resolve("one-off.csv");
    List<String> lines = new ArrayList<>(List.of("uid;sku;stars;at"));
    for (int i = 1; i <= 9; i++) {
      lines.add("7;" + (100 + i) + ";4;" + (1_000_000_000L + i));
    }
    lines.add("7;101;4;1000000001"); // an exact duplicate: etl removes it, counted
    lines.add("8;x;3;1000000050"); // malformed item id
    Files.write(csv, lines);
    String[] read = {
      "--master",
      SharedSpark.MASTER,
      "--input",
      csv.toString(),
      "--format",
      "csv",
      "--delimiter",
      ";",
      "--user-col",
      "uid",
      "--item-col",
      "sku",
      "--rating-col",
      "stars",
      "--ts-col",
      "at"
    };

    // One bad line in eleven is above etl's default --max-reject-ratio: refused, nothing written.
    StringWriter refused = new StringWriter();
    Path out = dir.resolve("one-off");
    assertThat(execute(new StringWriter(), refused, concat(read, "--out", out.toString())))
        .isEqualTo(2);
    assertThat(refused.toString()).contains("above --max-reject-ratio 0.01", "item id 'x'");
    assertThat(out).doesNotExist();

    StringWriter stderr = new StringWriter();
    int exit =
        execute(
            new StringWriter(),
            stderr,
            concat(
                read, "--out", out.toString(), "--max-reject-ratio", "0.2", "--ratios", "0.8,0.2"));

    assertThat(exit).as(stderr.toString()).isZero();
    List<Row> rejects =
        SPARK.read().parquet(out.resolve(Schema.Layout.REJECTS).toString()).collectAsList();
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).<String>getAs(Schema.REJECT_REASON_CODE)).isEqualTo("bad_item_id");
    assertThat(rejects.get(0).<String>getAs(Schema.REJECT_RAW)).isEqualTo("8;x;3;1000000050");
    JsonNode manifest =
        Json.read(
            SPARK.sparkContext().hadoopConfiguration(), out.resolve("manifest.json").toString());
    JsonNode etlCounts = manifest.path("in_memory_etl");
    assertThat(etlCounts.path("input").asLong()).isEqualTo(11);
    assertThat(etlCounts.path("rejected").asLong()).isEqualTo(1);
    assertThat(etlCounts.path("rejected_by_reason").path("bad_item_id").asLong()).isEqualTo(1);
    RowCounts.assertNothingLost(etlCounts);
    assertThat(etlCounts.path("deduplicated_total").asLong()).isEqualTo(1);
    assertThat(manifest.path("counts").path("input").asLong())
        .isEqualTo(etlCounts.path("output").asLong());
    assertThat(rows(out.resolve("train")) + rows(out.resolve("test"))).isEqualTo(9);
  }

  private static String[] concat(String[] first, String... more) {
    return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
  }
}
