package dev.recdata.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.RunContext;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.CategoryTick;
import org.jfree.chart.text.TextLine;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees in report.html: its header, charts, metrics and the model's scores. */
class HtmlReportTest {
  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

  private static QualityReport report(List<QualityReport.ChartPoint> points) {
    return report(null, List.of(), List.of(), points);
  }

  private static QualityReport report(
      String pipelineRunId,
      List<CheckResult> checks,
      List<MetricValue> metrics,
      List<QualityReport.ChartPoint> points) {
    return new QualityReport(
        "s",
        pipelineRunId,
        "dataset",
        new QualityReport.CheckedInput(
            "/data/split",
            QualityInput.SPLIT,
            "s",
            "e",
            "user-ratio",
            Map.of("train", 0.8, "test", 0.2),
            null),
        QualityReport.statusOf(checks),
        FailOn.FAIL,
        NOW,
        NOW.plusSeconds(5),
        checks,
        metrics,
        List.of(new QualityReport.FractionBin("train", 0.7, 0.75, 10)),
        points);
  }

  private static Paint paintOf(JFreeChart chart, String series) {
    if (chart.getPlot() instanceof org.jfree.chart.plot.CategoryPlot plot) {
      int row = plot.getDataset().getRowIndex(series);
      return plot.getRenderer().getSeriesPaint(row);
    }
    org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      if (plot.getDataset().getSeriesKey(i).equals(series)) {
        return plot.getRenderer().getSeriesPaint(i);
      }
    }
    throw new AssertionError("no series " + series);
  }

  /**
   * The planted case from the issue: a chart without validation. By position (JFreeChart's default)
   * test was the second colour there and the third elsewhere.
   */
  @Test
  void eachPartHasOneColourInEveryChart() {
    List<QualityReport.ChartPoint> points = new ArrayList<>();
    for (String part : List.of("all", "train", "validation", "test")) {
      points.add(
          new QualityReport.ChartPoint(QualityReport.CHART_INTERACTIONS_PER_USER, part, "1-3", 5));
    }
    for (String part : List.of("train", "test")) {
      points.add(new QualityReport.ChartPoint(QualityReport.CHART_RATINGS, part, "4", 7));
    }
    points.add(
        new QualityReport.ChartPoint(QualityReport.CHART_EVENTS_PER_DAY, "test", "2026-01-02", 3));
    QualityReport report = report(points);

    JFreeChart perUser =
        HtmlReport.categoryChart(report, QualityReport.CHART_INTERACTIONS_PER_USER, "t", "x", "y");
    JFreeChart ratings =
        HtmlReport.categoryChart(report, QualityReport.CHART_RATINGS, "t", "x", "y");
    JFreeChart perDay = HtmlReport.timeChart(report);

    Paint test = paintOf(perUser, "test");
    assertThat(paintOf(ratings, "test")).isEqualTo(test);
    assertThat(paintOf(perDay, "test")).isEqualTo(test);
    assertThat(paintOf(ratings, "train")).isEqualTo(paintOf(perUser, "train"));
    // "all" is grey, not a fourth hue that reads like one more part (it was sky blue beside
    // train's blue)
    assertThat(
            List.of(
                paintOf(perUser, "all"),
                paintOf(perUser, "train"),
                paintOf(perUser, "validation"),
                test))
        .doesNotHaveDuplicates();
    assertThat(paintOf(perUser, "all")).isEqualTo(new java.awt.Color(0x666666));
  }

  /**
   * The planted case from the issue: MovieLens-like power-of-two bins up to 1024-2047 were drawn as
   * "5..." and "10...". Every tick label JFreeChart lays out must be the whole bin name.
   */
  @Test
  void longCategoryLabelsAreNotCut() {
    List<String> bins = new ArrayList<>();
    List<QualityReport.ChartPoint> points = new ArrayList<>();
    for (int b = 1; b <= 10; b++) {
      String bin = (1 << b) + "-" + ((1 << (b + 1)) - 1);
      bins.add(bin);
      for (String part : List.of("all", "train", "validation", "test")) {
        points.add(
            new QualityReport.ChartPoint(
                QualityReport.CHART_INTERACTIONS_PER_USER, part, bin, 100 - b));
      }
    }
    for (int r = 1; r <= 10; r++) {
      String rating = String.format(java.util.Locale.ROOT, "%.1f", r / 2.0);
      points.add(new QualityReport.ChartPoint(QualityReport.CHART_RATINGS, "train", rating, r));
    }
    QualityReport report = report(points);

    JFreeChart perUser =
        HtmlReport.categoryChart(
            report, QualityReport.CHART_INTERACTIONS_PER_USER, "t", "interactions", "users");
    JFreeChart ratings =
        HtmlReport.categoryChart(report, QualityReport.CHART_RATINGS, "t", "rating", "rows");

    assertThat(tickLabels(perUser)).containsExactlyElementsOf(bins);
    assertThat(tickLabels(ratings)).hasSize(10).allMatch(label -> label.matches("\\d\\.\\d"));
    // short labels stay level; only what does not fit is turned
    assertThat(ratings.getCategoryPlot().getDomainAxis().getCategoryLabelPositions())
        .isEqualTo(CategoryLabelPositions.STANDARD);
  }

  /** The category labels as JFreeChart lays them out when it draws the chart at report size. */
  private static List<String> tickLabels(JFreeChart chart) {
    BufferedImage image =
        new BufferedImage(HtmlReport.WIDTH, HtmlReport.HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = image.createGraphics();
    try {
      ChartRenderingInfo info = new ChartRenderingInfo();
      chart.draw(g2, new Rectangle2D.Double(0, 0, HtmlReport.WIDTH, HtmlReport.HEIGHT), info);
      CategoryAxis axis = chart.getCategoryPlot().getDomainAxis();
      List<String> labels = new ArrayList<>();
      for (Object tick :
          axis.refreshTicks(
              g2, new AxisState(), info.getPlotInfo().getDataArea(), RectangleEdge.BOTTOM)) {
        List<String> lines = new ArrayList<>();
        for (Object line : ((CategoryTick) tick).getLabel().getLines()) {
          lines.add(((TextLine) line).getFirstTextFragment().getText());
        }
        labels.add(String.join(" ", lines));
      }
      return labels;
    } finally {
      g2.dispose();
    }
  }

  /** One point every 3 days per part from {@code first} to {@code last}, 2 events each. */
  private static List<QualityReport.ChartPoint> everyThirdDay(LocalDate first, LocalDate last) {
    List<QualityReport.ChartPoint> points = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(3)) {
      points.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_EVENTS_PER_DAY, "train", day.toString(), 2));
    }
    return points;
  }

  private static double total(TimeSeries series) {
    double sum = 0;
    for (int i = 0; i < series.getItemCount(); i++) {
      sum += series.getValue(i).doubleValue();
    }
    return sum;
  }

  /** MovieLens spans 1996-2019: a daily line was a band of spikes; months are 288 points. */
  @Test
  void eventsOverTwentyFourYearsAreCountedPerMonth() {
    List<QualityReport.ChartPoint> points =
        everyThirdDay(LocalDate.parse("1996-01-01"), LocalDate.parse("2019-12-31"));
    JFreeChart chart = HtmlReport.timeChart(report(points));

    TimeSeries train = ((TimeSeriesCollection) chart.getXYPlot().getDataset()).getSeries(0);
    assertThat(chart.getTitle().getText()).isEqualTo("Events per month");
    assertThat(train.getItemCount()).isEqualTo(24 * 12);
    assertThat(train.getTimePeriod(0).toString()).isEqualTo("January 1996");
    assertThat(total(train)).as("no event lost or counted twice").isEqualTo(2.0 * points.size());
  }

  /** A year and a half in weeks (Monday to Sunday); a quarter or less stays daily. */
  @Test
  void shorterSpansAreCountedPerWeekOrPerDayWithEmptyPeriodsAtZero() {
    List<QualityReport.ChartPoint> year =
        everyThirdDay(LocalDate.parse("2025-01-01"), LocalDate.parse("2026-06-30"));
    JFreeChart weekly = HtmlReport.timeChart(report(year));
    TimeSeries perWeek = ((TimeSeriesCollection) weekly.getXYPlot().getDataset()).getSeries(0);
    assertThat(weekly.getTitle().getText()).isEqualTo("Events per week");
    // 2025-01-01 is a Wednesday: the first week starts on Monday 2024-12-30
    assertThat(perWeek.getTimePeriod(0).getStart())
        .isEqualTo(java.sql.Timestamp.valueOf("2024-12-30 00:00:00"));
    assertThat(total(perWeek)).isEqualTo(2.0 * year.size());

    // two days a week apart: the days between are points at zero, not a line across the gap
    List<QualityReport.ChartPoint> days =
        List.of(
            new QualityReport.ChartPoint(
                QualityReport.CHART_EVENTS_PER_DAY, "test", "2026-03-01", 4),
            new QualityReport.ChartPoint(
                QualityReport.CHART_EVENTS_PER_DAY, "test", "2026-03-08", 6));
    JFreeChart daily = HtmlReport.timeChart(report(days));
    TimeSeries perDay = ((TimeSeriesCollection) daily.getXYPlot().getDataset()).getSeries(0);
    assertThat(daily.getTitle().getText()).isEqualTo("Events per day");
    assertThat(perDay.getItemCount()).isEqualTo(8);
    assertThat(perDay.getValue(3).doubleValue()).isZero();
    assertThat(total(perDay)).isEqualTo(10.0);
  }

  @Test
  void headerNamesThePipelineRunFirstAndTheQualityRunSecond() {
    String inPipeline =
        HtmlReport.render(report("20261206T030000Z-1a2b3c4d", List.of(), List.of(), List.of()));
    assertThat(inPipeline)
        .contains("<title>recdata quality 20261206T030000Z-1a2b3c4d</title>")
        .contains(
            "pipeline run <b>20261206T030000Z-1a2b3c4d</b> &middot; <span class=\"secondary\">"
                + "quality run s</span>")
        .contains("<tr><th>pipeline run</th><td>20261206T030000Z-1a2b3c4d</td></tr>");

    String alone = HtmlReport.render(report(List.of()));
    assertThat(alone).contains("quality run <b>s</b>").doesNotContain("pipeline run");

    // --from als: the run copied its quality folder from the base run, whose pipeline ran quality
    String reused =
        HtmlReport.render(report("base-run", List.of(), List.of(), List.of()), "new-run", null);
    assertThat(reused)
        .contains("pipeline run <b>new-run</b>")
        .contains("<td>new-run (quality reused from run base-run)</td>");
  }

  @Test
  void metricsAreGroupedByCategoryInCollapsibleSectionsWithThePartsAsColumns() {
    List<MetricValue> metrics = new ArrayList<>();
    for (String part : List.of("test", "all", "train", "validation")) {
      metrics.add(new MetricValue("d", part, "rows", 10));
      metrics.add(new MetricValue("d", part, "interactions_per_user_mean", 2.5));
      metrics.add(new MetricValue("d", part, "events_per_day_max", 3));
      metrics.add(new MetricValue("d", part, "rating=4.0", 7));
    }
    metrics.add(new MetricValue("d", "all", "users_on_target_share", 1));
    metrics.add(new MetricValue("d", "test", Metrics.TEMPORAL_LEAKAGE_SHARE, 0.25));
    metrics.add(new MetricValue("d", "split_manifest", "train", 70));
    metrics.add(new MetricValue("d", "etl_manifest", "rejected", 3));

    String html = HtmlReport.render(report(null, List.of(), metrics, List.of()));
    String section = html.substring(html.indexOf("<h2>Metrics</h2>"));

    assertThat(summaries(section))
        .containsExactly(
            "Size: rows, users, items (1)",
            "Interactions per user (1)",
            "Events over time (1)",
            "Ratings (1)",
            "Split conformance (1)",
            "Temporal leakage (1)",
            "Counts from the manifests (2)");
    assertThat(section).startsWith("<h2>Metrics</h2>\n<details open><summary>");
    assertThat(count(section, "<details open>")).as("only the first is open").isEqualTo(1);
    assertThat(section)
        .contains(
            "<th>metric</th><th class=\"num\">all</th><th class=\"num\">train</th>"
                + "<th class=\"num\">validation</th><th class=\"num\">test</th></tr>\n"
                + "<tr><td>rows</td><td class=\"num\">10</td><td class=\"num\">10</td>"
                + "<td class=\"num\">10</td><td class=\"num\">10</td></tr>")
        .contains("<th class=\"num\">split_manifest</th><th class=\"num\">etl_manifest</th>");
  }

  private static List<String> summaries(String html) {
    List<String> titles = new ArrayList<>();
    Matcher m = Pattern.compile("<details(?: open)?><summary>([^<]*)</summary>").matcher(html);
    while (m.find()) {
      titles.add(m.group(1));
    }
    return titles;
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static ModelScores scores() {
    Map<String, Map<String, Double>> test = new LinkedHashMap<>();
    test.put("als", Map.of("ndcg@10", 0.2685));
    test.put("most_popular", Map.of("ndcg@10", 0.2560));
    return new ModelScores(
        test, "ALS beats the best baseline; serving ALS", "out/runs/r/als/metrics.json");
  }

  @Test
  void modelScoresAppearBesideTheBaselinesOnlyWhenGiven() {
    QualityReport report = report("r", List.of(), List.of(), List.of());

    String html = HtmlReport.render(report, "r", scores());
    assertThat(html)
        .contains("<h2>ALS and the baselines on test</h2>")
        .contains("<p>ALS beats the best baseline; serving ALS</p>")
        .contains("<tr class=\"als\"><td>als</td><td class=\"num\">0.2685</td></tr>")
        .contains("<tr><td>most_popular</td><td class=\"num\">0.2560</td></tr>")
        .contains("out/runs/r/als/metrics.json");

    assertThat(HtmlReport.render(report)).doesNotContain("ALS and the baselines");
  }

  @Test
  void reportJsonReadsBackAsTheSameReport() {
    QualityReport report =
        report(
            "p",
            List.of(
                CheckResult.atMost("pair_leakage", Level.ERROR, 0, 0, "0 of 9"),
                CheckResult.skipped("ratio_per_user", Level.ERROR, "global split")),
            List.of(new MetricValue("d", "all", "rows", 10)),
            List.of(
                new QualityReport.ChartPoint(
                    QualityReport.CHART_EVENTS_PER_DAY, "test", "2026-01-02", 3)));

    assertThat(QualityReport.fromJson(report.toJson())).isEqualTo(report);
  }

  /**
   * A quality folder reused by {@code --from als} may hold a report.json from before schema v2: its
   * {@code dataset} was the checked folder, and it had no {@code input}, ratios or folds.
   */
  @Test
  void reportJsonWithoutTheSchemaTwoKeysReadsItsDatasetAsTheInput() {
    ObjectNode old = report("p", List.of(), List.of(), List.of()).toJson();
    old.remove(List.of("input", "etl_run_id", "ratios", "folds"));
    old.put("dataset", "/data/split");

    QualityReport read = QualityReport.fromJson(old);

    assertThat(read.input().path()).isEqualTo("/data/split");
    assertThat(read.input().ratios()).isEmpty();
    assertThat(read.input().folds()).isNull();
    assertThat(read.pipelineRunId()).isEqualTo("p");
    assertThat(HtmlReport.render(read, "new-run", null))
        .contains("<td>new-run (quality reused from run p)</td>");
  }

  /**
   * The pipeline's step after ALS: report.html again from report.json, with the pipeline run and
   * the scores; report.json itself is left as quality wrote it.
   */
  @Test
  void renderingWithTheModelRewritesOnlyTheHtml(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    QualityReport report = report("run-1", List.of(), List.of(), List.of());
    QualityOutput.write(conf, dir.toString(), report);
    String json = Files.readString(dir.resolve(QualityOutput.REPORT_JSON));
    assertThat(Files.readString(dir.resolve(QualityOutput.REPORT_HTML)))
        .doesNotContain("ALS and the baselines");

    QualityOutput.renderWithModel(conf, dir.toString(), new RunContext("run-1", null), scores());

    assertThat(Files.readString(dir.resolve(QualityOutput.REPORT_HTML)))
        .contains("pipeline run <b>run-1</b>", "<h2>ALS and the baselines on test</h2>");
    assertThat(Files.readString(dir.resolve(QualityOutput.REPORT_JSON))).isEqualTo(json);
  }
}
