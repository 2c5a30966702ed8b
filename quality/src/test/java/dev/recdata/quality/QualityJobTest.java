package dev.recdata.quality;

import static dev.recdata.quality.Fixtures.cleanSplit;
import static dev.recdata.quality.Fixtures.copy;
import static dev.recdata.quality.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.OutputTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityJobTest {
  @TempDir Path tmp;

  @Test
  void cleanSplitFolderPassesAndWritesSelfContainedReports() throws Exception {
    Path etl = tmp.resolve("etl");
    List<Row> all = new ArrayList<>();
    cleanSplit().values().forEach(all::addAll);
    Fixtures.writeEtl(etl, all);
    Path split = tmp.resolve("split");
    Map<String, List<Row>> parts = cleanSplit();
    ObjectNode manifest = Fixtures.splitManifest("user-ratio", 100, parts, 0.7, 0.2, 0.1);
    ((ObjectNode) manifest.get("input")).put("path", etl.toString());
    Fixtures.writeSplit(split, null, parts, manifest);
    Path out = tmp.resolve("out");

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            out.toString(),
            QualityOptions.defaults(),
            null,
            null);

    assertThat(report.status()).isEqualTo("pass");
    assertThat(report.gateFailed()).isFalse();
    // Named by the split it checked, so checking it again replaces the run in the tables.
    assertThat(report.runId()).isEqualTo("20240101T000000Z-split001");
    assertThat(report.upstreamRunId()).isEqualTo("20240101T000000Z-split001");
    // Named by the data the etl read, not by the folder the split sits in.
    assertThat(report.dataset()).isEqualTo("ml-100k");
    assertThat(report.input().etlRunId()).isEqualTo("20240101T000000Z-etl00001");
    assertThat(report.input().ratios())
        .containsExactly(
            Map.entry("train", 0.7), Map.entry("validation", 0.2), Map.entry("test", 0.1));
    assertThat(report.checks())
        .extracting(CheckResult::check)
        .contains(
            Checks.ROW_CONSERVATION,
            Checks.PAIR_LEAKAGE,
            Checks.TEMPORAL_LEAKAGE,
            Checks.RATIO_PER_USER)
        .doesNotContain(Checks.CUTOFF_LEAKAGE);
    assertThat(report.metric("train", "rows")).isEqualTo(70.0);
    assertThat(report.metric("all", "rows")).isEqualTo(100.0);
    assertThat(report.metric("all", "interactions_per_user_mean")).isEqualTo(10.0);
    assertThat(report.metric("validation", "interactions_per_user_max")).isEqualTo(2.0);
    assertThat(report.metric("all", "users")).isEqualTo(10.0);
    assertThat(report.metric("all", "sparsity")).isEqualTo(0.0);
    assertThat(report.metric("test", "rating=1.0")).isEqualTo(10.0);
    assertThat(report.metric("all", "events_per_day_mean")).isEqualTo(10.0);
    assertThat(report.metric("all", "users_on_target_share")).isEqualTo(1.0);
    assertThat(report.metric("etl_manifest", "rejected")).isEqualTo(3.0);
    assertThat(report.metric("etl_manifest", "filtered.k_core")).isEqualTo(1.0);
    assertThat(report.metric("split_manifest", "train")).isEqualTo(70.0);
    // Every user's test day follows every user's train and validation days.
    assertThat(report.metric("test", Metrics.TEMPORAL_LEAKAGE_SHARE)).isEqualTo(0.0);
    assertThat(report.metric("test", Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION))
        .isEqualTo(0.0);
    // Every eligible user is exactly 0.7 train: all ten in the bin [0.70, 0.75).
    assertThat(report.fractionBins())
        .contains(new QualityReport.FractionBin("train", 0.7, 0.75, 10));
    // Every bin of every part, the empty ones too, so a dashboard's histogram spans 0..1.
    assertThat(report.fractionBins())
        .hasSize(3 * Metrics.FRACTION_BINS)
        .contains(new QualityReport.FractionBin("train", 0.0, 0.05, 0));

    JsonNode json = Json.MAPPER.readTree(out.resolve("report.json").toFile());
    assertThat(json.get("status").asText()).isEqualTo("pass");
    assertThat(json.get("checks")).hasSize(report.checks().size());
    String html = Files.readString(out.resolve("report.html"));
    assertSelfContainedWithCharts(html, 4);
    assertThat(html).contains("pair_leakage", "interactions_per_user_mean");

    // The same split again: the same reports up to run ids and times.
    Path again = tmp.resolve("again");
    QualityJob.run(
        Fixtures.spark(),
        split.toString(),
        again.toString(),
        QualityOptions.defaults(),
        null,
        null);
    OutputTrees.assertSameOutput(out, again);
  }

  @Test
  void laterUsersTrainingIsReportedAsTemporalLeakageWithoutFailingTheGate() throws Exception {
    // User 1 on days 1..10, user 2 on days 5..14, each cut 7/2/1 in their own time: user 1's test
    // (day 10) comes before user 2's train day 11 and validation days 12 and 13.
    Map<String, List<Row>> parts = new LinkedHashMap<>();
    parts.put(Schema.Layout.TRAIN, new ArrayList<>());
    parts.put(Schema.Layout.VALIDATION, new ArrayList<>());
    parts.put(Schema.Layout.TEST, new ArrayList<>());
    for (long user = 1; user <= 2; user++) {
      int first = user == 1 ? 1 : 5;
      for (int i = 0; i < 10; i++) {
        String part =
            i < 7 ? Schema.Layout.TRAIN : i < 9 ? Schema.Layout.VALIDATION : Schema.Layout.TEST;
        parts.get(part).add(row(user, i + 1, first + i, 4f));
      }
    }
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 20, parts, 0.7, 0.2, 0.1));
    Path out = tmp.resolve("out");

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            out.toString(),
            QualityOptions.defaults(),
            null,
            null);

    // Of 14 train rows one is later than user 1's test row, none than user 2's: 1 / (2 * 14).
    assertThat(report.metric("test", Metrics.TEMPORAL_LEAKAGE_SHARE)).isEqualTo(1.0 / 28);
    // With validation, 3 of 18 rows are later than user 1's test row: 3 / (2 * 18).
    assertThat(report.metric("test", Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION))
        .isEqualTo(1.0 / 12);
    assertThat(report.gateFailed()).isFalse();
    JsonNode json = Json.MAPPER.readTree(out.resolve("report.json").toFile());
    assertThat(json.get("metrics").findValuesAsText("metric"))
        .contains(Metrics.TEMPORAL_LEAKAGE_SHARE, Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION);
    assertThat(Files.readString(out.resolve("report.html")))
        .contains(
            "<h2>Temporal leakage</h2>",
            HtmlReport.TEMPORAL_LEAKAGE_EXPLANATION,
            "<td>test</td><td>train + validation</td><td>0.0833</td>");
  }

  @Test
  void plantedLeakFailsTheGateButTheReportIsStillWritten() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(Schema.Layout.TEST).add(row(1, 3, 11, 5f));
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("leave-last", 101, parts, 0.7, 0.2, 0.1));
    Path out = tmp.resolve("out");

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            out.toString(),
            QualityOptions.defaults(),
            null,
            null);

    assertThat(report.status()).isEqualTo("fail");
    assertThat(report.gateFailed()).isTrue();
    assertThat(report.gatingChecks())
        .extracting(CheckResult::check)
        .containsExactly(Checks.PAIR_LEAKAGE);
    assertThat(report.check(Checks.RATIO_PER_USER).status()).isEqualTo(Status.SKIP);
    assertThat(Files.exists(out.resolve("report.html"))).isTrue();
  }

  @Test
  void kfoldFoldersAreCheckedOneFoldAtATime() {
    Path split = tmp.resolve("kfold");
    Map<String, List<Row>> clean = new LinkedHashMap<>();
    clean.put(Schema.Layout.TRAIN, List.of(row(1, 1, 1, 4f), row(1, 2, 2, 4f), row(2, 1, 1, 3f)));
    clean.put(Schema.Layout.TEST, List.of(row(2, 2, 2, 5f)));
    Map<String, List<Row>> leaky = new LinkedHashMap<>();
    leaky.put(Schema.Layout.TRAIN, List.of(row(1, 1, 1, 4f), row(2, 2, 2, 5f), row(2, 1, 1, 3f)));
    leaky.put(Schema.Layout.TEST, List.of(row(1, 2, 2, 4f), row(1, 1, 1, 4f)));
    Fixtures.writeSplit(split, "fold=0", clean, null);
    Fixtures.writeSplit(
        split, "fold=1", leaky, Fixtures.splitManifest("kfold", 4, clean, 0.5, 0.5));

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            tmp.resolve("out").toString(),
            QualityOptions.defaults(),
            null,
            null);

    assertThat(report.check("pair_leakage[fold=0]").status()).isEqualTo(Status.PASS);
    assertThat(report.check("rows_in_two_splits[fold=1]").status()).isEqualTo(Status.FAIL);
    assertThat(report.check("row_conservation[fold=1]").observed()).isEqualTo(1.0);
    assertThat(report.check("temporal_leakage[fold=1]").level()).isEqualTo(Level.WARNING);
    assertThat(report.metric("fold=1/test", "rows")).isEqualTo(2.0);
    assertThat(report.metric("fold=0/test", Metrics.TEMPORAL_LEAKAGE_SHARE)).isEqualTo(0.0);
    // Fold 1's test row on day 1 has one of the three train rows (day 2) after it: 1 / (2 * 3).
    assertThat(report.metric("fold=1/test", Metrics.TEMPORAL_LEAKAGE_SHARE)).isEqualTo(1.0 / 6);
    // Each fold's union is its own: one "all" per fold would be one key twice in the tables.
    assertThat(report.metric("fold=0/all", "rows")).isEqualTo(4.0);
    assertThat(report.metric("fold=1/all", "rows")).isEqualTo(5.0);
    assertThat(report.metrics()).noneMatch(m -> m.split().equals(Metrics.ALL));
    assertThat(report.input().folds()).isEqualTo(2);
    // No ratio says what a fold's fractions should be, but they are still charted and stored.
    assertThat(report.fractionBins())
        .hasSize(2 * 2 * Metrics.FRACTION_BINS)
        .extracting(QualityReport.FractionBin::split)
        .contains("fold=0/train", "fold=1/test");
  }

  @Test
  void etlFolderGetsMetricsNullAndDuplicateChecks() throws Exception {
    Path etl = tmp.resolve("etl");
    List<Row> rows = new ArrayList<>(List.of(row(1, 1, 1, 4f), row(1, 2, 2, 2f), row(2, 1, 3, 5f)));
    rows.add(rows.get(0));
    Fixtures.writeEtl(etl, rows);

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            etl.toString(),
            tmp.resolve("out").toString(),
            QualityOptions.defaults(),
            null,
            null);

    assertThat(report.kind()).isEqualTo("etl");
    assertThat(report.check(Checks.DUPLICATES).status()).isEqualTo(Status.FAIL);
    assertThat(report.check(Checks.NULL_IDS).status()).isEqualTo(Status.PASS);
    assertThat(report.metric("all", "rows")).isEqualTo(4.0);
    assertThat(report.metric("all", "items")).isEqualTo(2.0);
    assertThat(report.metric("all", "sparsity")).isEqualTo(0.0);
    assertThat(report.metric("etl_manifest", "deduplicated.exact")).isEqualTo(2.0);
    assertThat(report.metrics())
        .extracting(MetricValue::metric)
        .doesNotContain(Metrics.TEMPORAL_LEAKAGE_SHARE);
    assertSelfContainedWithCharts(Files.readString(tmp.resolve("out/report.html")), 3);
  }

  @Test
  void folderWithoutSplitsOrInteractionsIsBadInput() {
    assertThatThrownBy(
            () ->
                QualityJob.run(
                    Fixtures.spark(),
                    tmp.toString(),
                    tmp.resolve("out").toString(),
                    QualityOptions.defaults(),
                    null,
                    null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("neither a split folder nor an etl folder")
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);
  }

  static void assertSelfContainedWithCharts(String html, int charts) {
    assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"?https?://");
    assertThat(html).doesNotContain("<script src", "<link ");
    Matcher images =
        Pattern.compile("<img [^>]*src=\"data:image/png;base64,[A-Za-z0-9+/=]{200,}\"")
            .matcher(html);
    int count = 0;
    while (images.find()) {
      count++;
    }
    assertThat(count).isEqualTo(charts);
  }
}
