package dev.recdata.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Paint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;

/** What a person sees in report.html's charts. */
class HtmlReportTest {
  private static QualityReport report(List<QualityReport.ChartPoint> points) {
    Instant now = Instant.parse("2026-12-06T00:00:00Z");
    return new QualityReport(
        "q",
        null,
        "dataset",
        new QualityReport.CheckedInput(
            "/data/split", QualityInput.SPLIT, "s", null, "user-ratio", null, null),
        "pass",
        FailOn.FAIL,
        now,
        now,
        List.of(),
        List.of(),
        List.of(),
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
    for (String part : List.of("train", "validation", "test")) {
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
    assertThat(List.of(paintOf(perUser, "train"), paintOf(perUser, "validation"), test))
        .doesNotHaveDuplicates();
  }
}
