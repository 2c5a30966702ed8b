package dev.recdata.etl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.RowCounts;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etl job end to end on MovieLens 100K and on small planted inputs. */
class EtlJobTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir static Path shared;
  private static EtlSummary ml100k;
  private static String ml100kOut;

  @BeforeAll
  static void runOnMl100k() {
    ml100kOut = shared.resolve("ml100k").toString();
    ml100k = EtlJob.run(spark, options(List.of(TestData.ml100k().toString()), ml100kOut, 0.01));
  }

  static EtlOptions options(List<String> inputs, String out, double maxRejectRatio) {
    return new EtlOptions(
        inputs,
        InputFormat.AUTO,
        ColumnMapping.defaults(),
        null,
        CleaningOptions.defaults(NOW),
        maxRejectRatio,
        true,
        out);
  }

  @Test
  void ml100kBecomesTheCanonicalDatasetWithEveryFolder() {
    assertThat(ml100k.input()).isEqualTo(100_000);
    assertThat(ml100k.output()).isEqualTo(100_000);
    assertThat(ml100k.users()).isEqualTo(943);
    assertThat(ml100k.items()).isEqualTo(1682);
    for (String folder :
        List.of(
            Layout.INTERACTIONS,
            Layout.ITEMS,
            Layout.USERS,
            Layout.USER_MAP,
            Layout.ITEM_MAP,
            Layout.REJECTS)) {
      assertThat(Path.of(ml100kOut, folder)).isDirectory();
    }
    Dataset<Row> interactions = spark.read().parquet(ml100kOut + "/" + Layout.INTERACTIONS);
    assertThat(interactions.schema().fieldNames())
        .containsExactly(Schema.INTERACTIONS.fieldNames());
  }

  @Test
  void manifestCountsAddUpAndRecordInputChecksums() {
    JsonNode manifest =
        Json.read(spark.sparkContext().hadoopConfiguration(), ml100kOut + "/manifest.json");
    JsonNode counts = manifest.get("counts");
    RowCounts.assertNothingLost(counts);
    JsonNode file = manifest.get("inputs").get(0).get("files").get(0);
    assertThat(file.get("sha256").asText()).hasSize(64);
    assertThat(file.get("bytes").asLong()).isPositive();
    assertThat(manifest.get("versions").get("spark").asText()).isEqualTo("4.1.0");
  }

  /**
   * The layout the split stage relies on to skip its shuffle: part files in name order hold
   * ascending, disjoint user ranges, and within a file each user's events are in time (then item)
   * order.
   */
  @Test
  void interactionsAreClusteredByUserAndInTimeOrderPerUser() throws Exception {
    List<Path> parts;
    try (var files = Files.list(Path.of(ml100kOut, Layout.INTERACTIONS))) {
      parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    assertThat(parts).hasSizeGreaterThan(1);
    long previousFileLastUser = Long.MIN_VALUE;
    long rows = 0;
    for (Path part : parts) {
      List<Row> inFile =
          spark
              .read()
              .parquet(part.toString())
              .select(Schema.USER_ID, Schema.TS, Schema.ITEM_ID)
              .collectAsList();
      assertThat(inFile.get(0).getLong(0))
          .as("first user of %s", part.getFileName())
          .isGreaterThan(previousFileLastUser);
      for (int i = 1; i < inFile.size(); i++) {
        Row a = inFile.get(i - 1);
        Row b = inFile.get(i);
        int byUser = Long.compare(a.getLong(0), b.getLong(0));
        int byTs = a.getTimestamp(1).compareTo(b.getTimestamp(1));
        int byItem = Long.compare(a.getLong(2), b.getLong(2));
        assertThat(byUser < 0 || (byUser == 0 && (byTs < 0 || (byTs == 0 && byItem <= 0))))
            .as("%s row %d is out of order: %s then %s", part.getFileName(), i, a, b)
            .isTrue();
      }
      previousFileLastUser = inFile.get(inFile.size() - 1).getLong(0);
      rows += inFile.size();
    }
    assertThat(rows).isEqualTo(spark.read().parquet(ml100kOut + "/" + Layout.INTERACTIONS).count());
    JsonNode manifest =
        Json.read(spark.sparkContext().hadoopConfiguration(), ml100kOut + "/" + Layout.MANIFEST);
    assertThat(manifest.path(Schema.CLUSTERED_BY_KEY).asText()).isEqualTo(Schema.USER_ID);
  }

  /**
   * Byte for byte, Parquet footers and file names included; the manifests differ in run ids and
   * times only.
   */
  @Test
  void sameInputGivesIdenticalOutput(@TempDir Path tmp) throws Exception {
    String again = tmp.resolve("again").toString();
    EtlJob.run(spark, options(List.of(TestData.ml100k().toString()), again, 0.01));
    // byte for byte although this JVM ran other jobs in between: the user ranges of interactions
    // and the id maps are cut by content (DeterministicOrder), not by a sample seeded by RDD ids
    OutputTrees.assertSameOutput(Path.of(ml100kOut), Path.of(again));
    try (var files = Files.list(Path.of(again, Layout.INTERACTIONS))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet")))
          .isNotEmpty()
          .allMatch(n -> n.matches("part-\\d{5}-c000\\.snappy\\.parquet"));
    }
  }

  @Test
  void plantedBadRowsAreRejectedWithTheirLineAndCounted(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("ml");
    Files.createDirectories(input);
    StringBuilder data = new StringBuilder();
    for (int i = 1; i <= 200; i++) {
      data.append(i % 20 + 1)
          .append('\t')
          .append(i % 30 + 1)
          .append('\t')
          .append(i % 5 + 1)
          .append('\t')
          .append(880000000 + i)
          .append('\n');
    }
    data.append("7\tx\t3\t880000000\n"); // line 201: non-numeric item
    data.append("7\t8\t9\t880000000\n"); // line 202: rating out of range
    data.append(
        "7\t\u00ff\u00fe50\t3\t880000000\n"); // line 203: another non-numeric item (a stray BOM)
    data.append("7\t12a\t3\t880000000\n"); // line 204: and another
    Files.writeString(
        input.resolve("u.data"), data.toString(), java.nio.charset.StandardCharsets.ISO_8859_1);
    String out = tmp.resolve("out").toString();

    EtlSummary summary = EtlJob.run(spark, options(List.of(input.toString()), out, 0.05));

    assertThat(summary.rejected()).isEqualTo(4);
    assertThat(summary.input()).isEqualTo(204);
    List<Row> rejects =
        spark
            .read()
            .parquet(out + "/" + Layout.REJECTS)
            .orderBy(Schema.REJECT_LINE)
            .collectAsList();
    assertThat(rejects)
        .extracting(
            r ->
                r.<Long>getAs(Schema.REJECT_LINE)
                    + " "
                    + r.getAs(Schema.REJECT_REASON_CODE)
                    + " | "
                    + r.getAs(Schema.REJECT_RAW)
                    + " | "
                    + r.getAs(Schema.REJECT_REASON))
        .containsExactly(
            "201 bad_item_id | 7\tx\t3\t880000000 | item id 'x' is not a whole number",
            "202 rating_out_of_range | 7\t8\t9\t880000000 | rating '9' is outside 1..5",
            "203 bad_item_id | 7\t\u00ff\u00fe50\t3\t880000000 | item id '\u00ff\u00fe50' is not a whole number",
            "204 bad_item_id | 7\t12a\t3\t880000000 | item id '12a' is not a whole number");
    // One key per kind of problem, however many distinct bad values: the map cannot grow with the
    // data.
    JsonNode byReason =
        Json.read(spark.sparkContext().hadoopConfiguration(), out + "/" + Layout.MANIFEST)
            .path("counts")
            .path(EtlOutput.REJECTED_BY_REASON);
    assertThat(Json.MAPPER.convertValue(byReason, java.util.Map.class))
        .containsExactly(
            java.util.Map.entry("bad_item_id", 3), java.util.Map.entry("rating_out_of_range", 1));
  }

  @Test
  void tooManyRejectsFailTheRunAndKeepThePreviousOutput(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("ml");
    Files.createDirectories(input);
    Files.writeString(input.resolve("u.data"), "1\t1\t5\t880000000\n2\t2\t4\t880000001\n");
    String out = tmp.resolve("out").toString();
    EtlJob.run(spark, options(List.of(input.toString()), out, 0.01));

    Files.writeString(
        input.resolve("u.data"), "1\t1\t5\t880000000\nbroken line\n3\t3\t3\t880000002\n");
    assertThatThrownBy(() -> EtlJob.run(spark, options(List.of(input.toString()), out, 0.01)))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("max-reject-ratio")
        .hasMessageContaining("line 2")
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);

    assertThat(spark.read().parquet(out + "/" + Layout.INTERACTIONS).count()).isEqualTo(2);
    try (var listing = Files.list(tmp)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ml", "out");
    }
  }

  @Test
  void missingInputIsABadInputError(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                EtlJob.run(
                    spark,
                    options(
                        List.of(tmp.resolve("nope").toString()),
                        tmp.resolve("o").toString(),
                        0.01)))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("nope");
  }
}
