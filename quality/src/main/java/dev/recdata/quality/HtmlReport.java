package dev.recdata.quality;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Writes report.html: one self-contained page (no external script, style or image; charts are PNGs
 * rendered by JFreeChart and embedded as base64) so it opens offline and can be attached to a
 * ticket.
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final int WIDTH = 900;
  private static final int HEIGHT = 380;

  public static void write(Configuration conf, String path, QualityReport report) {
    // Charts render without a display on cluster drivers and CI machines.
    System.setProperty("java.awt.headless", "true");
    String html = render(report);
    Path target = new Path(path);
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (OutputStream out = fs.create(target, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  static String render(QualityReport report) {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>recdata quality ")
        .append(escape(report.runId()))
        .append("</title>\n<style>")
        .append(
            "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}")
        .append(
            ".pass{background:#dff0d8}.warn{background:#fcf8e3}.fail{background:#f2dede}.skip{color:#888}")
        .append("img{max-width:100%;border:1px solid #eee}</style></head><body>\n");
    h.append("<h1>recdata quality: <span class=\"")
        .append(report.status())
        .append("\">")
        .append(escape(report.status()))
        .append("</span></h1>\n<table>");
    row(h, "run", report.runId());
    row(h, "checked run", report.upstreamRunId());
    row(h, "dataset", report.dataset());
    row(h, "input", report.input().path());
    row(h, "kind", report.kind());
    row(h, "strategy", report.strategy());
    row(h, "fail on", report.failOn().name().toLowerCase(Locale.ROOT));
    row(h, "gate", report.gateFailed() ? "FAILED" : "passed");
    row(h, "started", report.startedAt().toString());
    row(h, "finished", report.finishedAt().toString());
    h.append("</table>\n<h2>Checks</h2>\n<table><tr><th>check</th><th>level</th><th>status</th>")
        .append("<th>observed</th><th>threshold</th><th>message</th></tr>\n");
    for (CheckResult c : report.checks()) {
      h.append("<tr class=\"")
          .append(c.status().label())
          .append("\"><td>")
          .append(escape(c.check()))
          .append("</td><td>")
          .append(c.level())
          .append("</td><td>")
          .append(c.status().label())
          .append("</td><td>")
          .append(number(c.observed()))
          .append("</td><td>")
          .append(number(c.threshold()))
          .append("</td><td>")
          .append(escape(c.message()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    temporalLeakage(h, report);
    h.append("<h2>Charts</h2>\n");
    chart(
        h,
        "Users by interactions per user",
        categoryChart(
            report,
            QualityReport.CHART_INTERACTIONS_PER_USER,
            "Users by interactions per user",
            "interactions (power-of-two bins)",
            "users"));
    chart(
        h,
        "Per-user split fractions",
        categoryChart(
            report,
            QualityReport.CHART_USER_FRACTIONS,
            "Per-user realized fraction of each part",
            "fraction of the user's events (bin start)",
            "users"));
    chart(
        h,
        "Ratings",
        categoryChart(report, QualityReport.CHART_RATINGS, "Rows by rating", "rating", "rows"));
    chart(h, "Events over time", timeChart(report));
    h.append("<h2>Metrics</h2>\n<table><tr><th>split</th><th>metric</th><th>value</th></tr>\n");
    for (MetricValue m : report.metrics()) {
      h.append("<tr><td>")
          .append(escape(m.split()))
          .append("</td><td>")
          .append(escape(m.metric()))
          .append("</td><td>")
          .append(number(m.value()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  /**
   * The temporal leakage shares with what they mean, since the name alone reads like the
   * within-user {@code temporal_leakage} check; nothing for an input without them (etl).
   */
  private static void temporalLeakage(StringBuilder h, QualityReport report) {
    List<MetricValue> shares =
        report.metrics().stream()
            .filter(
                m ->
                    m.metric().equals(Metrics.TEMPORAL_LEAKAGE_SHARE)
                        || m.metric().equals(Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION))
            .toList();
    if (shares.isEmpty()) {
      return;
    }
    h.append("<h2>Temporal leakage</h2>\n<p>")
        .append(escape(TEMPORAL_LEAKAGE_EXPLANATION))
        .append("</p>\n<table><tr><th>test part</th><th>trained on</th><th>share</th></tr>\n");
    for (MetricValue m : shares) {
      h.append("<tr><td>")
          .append(escape(m.split()))
          .append("</td><td>")
          .append(
              m.metric().equals(Metrics.TEMPORAL_LEAKAGE_SHARE) ? "train" : "train + validation")
          .append("</td><td>")
          .append(number(m.value()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  static final String TEMPORAL_LEAKAGE_EXPLANATION =
      "Mean, over the test rows, of the share of training rows later than the test row: how much"
          + " of the future (mostly other users' events) a model trained on this split sees"
          + " (Ji, Sun et al., ACM TOIS 2023). 0 for a global-time split; informational, not a"
          + " check.";

  private static void chart(StringBuilder h, String title, JFreeChart chart) {
    h.append("<figure><figcaption>").append(escape(title)).append("</figcaption>");
    if (chart == null) {
      h.append("<p class=\"skip\">no data for this chart</p>");
    } else {
      h.append("<img alt=\"")
          .append(escape(title))
          .append("\" src=\"data:image/png;base64,")
          .append(png(chart))
          .append("\">");
    }
    h.append("</figure>\n");
  }

  /**
   * A grouped bar chart of one chart's points: series are the parts, categories the bins in numeric
   * order.
   */
  static JFreeChart categoryChart(
      QualityReport report, String name, String title, String xLabel, String yLabel) {
    Map<String, Map<String, Double>> series = seriesOf(report, name);
    if (series.isEmpty()) {
      return null;
    }
    TreeSet<String> categories =
        new TreeSet<>(
            Comparator.comparingDouble(HtmlReport::leadingNumber)
                .thenComparing(Comparator.naturalOrder()));
    series.values().forEach(points -> categories.addAll(points.keySet()));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      for (String category : categories) {
        data.addValue(s.getValue().getOrDefault(category, 0.0), s.getKey(), category);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    for (int i = 0; i < data.getRowCount(); i++) {
      plot.getRenderer().setSeriesPaint(i, colourOf(data.getRowKey(i).toString()));
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (categories.size() > 12) {
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return chart;
  }

  /** One line per part: events per day. */
  static JFreeChart timeChart(QualityReport report) {
    Map<String, Map<String, Double>> series = seriesOf(report, QualityReport.CHART_EVENTS_PER_DAY);
    if (series.isEmpty()) {
      return null;
    }
    TimeSeriesCollection data = new TimeSeriesCollection();
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      TimeSeries line = new TimeSeries(s.getKey());
      for (Map.Entry<String, Double> point : s.getValue().entrySet()) {
        LocalDate day = LocalDate.parse(point.getKey());
        line.addOrUpdate(
            new Day(day.getDayOfMonth(), day.getMonthValue(), day.getYear()), point.getValue());
      }
      data.addSeries(line);
    }
    JFreeChart chart =
        ChartFactory.createTimeSeriesChart(
            "Events per day", "day", "events", data, true, false, false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      chart.getXYPlot().getRenderer().setSeriesPaint(i, colourOf(data.getSeriesKey(i).toString()));
    }
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  /**
   * Okabe and Ito's colour-blind-safe palette, without its yellow (unreadable on white): train
   * blue, validation orange, test bluish green in every chart, whichever parts a chart has
   * (JFreeChart's default colours go by series position, so test changed colour when a chart lacked
   * validation).
   */
  private static final Color[] PALETTE = {
    new Color(0x0072B2), // blue
    new Color(0xE69F00), // orange
    new Color(0x009E73), // bluish green
    new Color(0xCC79A7), // reddish purple
    new Color(0x56B4E9), // sky blue
    new Color(0xD55E00), // vermilion
    new Color(0x000000)
  };

  /** The colour of a part in every chart: by its role (train, validation, test), else its name. */
  static Color colourOf(String series) {
    String name = series.toLowerCase(java.util.Locale.ROOT);
    if (name.contains("validation")) {
      return PALETTE[1];
    }
    if (name.contains("test")) {
      return PALETTE[2];
    }
    if (name.contains("train")) {
      return PALETTE[0];
    }
    return PALETTE[3 + Math.floorMod(name.hashCode(), PALETTE.length - 3)];
  }

  private static Map<String, Map<String, Double>> seriesOf(QualityReport report, String name) {
    Map<String, Map<String, Double>> series = new LinkedHashMap<>();
    for (QualityReport.ChartPoint p : report.chartPoints()) {
      if (p.chart().equals(name)) {
        series
            .computeIfAbsent(p.series(), k -> new LinkedHashMap<>())
            .merge(p.x(), p.y(), Double::sum);
      }
    }
    return series;
  }

  private static String png(JFreeChart chart) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(bytes, chart, WIDTH, HEIGHT);
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle().getText(), e);
    }
  }

  /**
   * Sort key of a bin label such as {@code 4-7}, {@code 0.70} or {@code 4.5}; labels without a
   * number last.
   */
  private static double leadingNumber(String label) {
    List<Character> digits = new ArrayList<>();
    for (char c : label.toCharArray()) {
      if (Character.isDigit(c) || c == '.') {
        digits.add(c);
      } else {
        break;
      }
    }
    StringBuilder s = new StringBuilder();
    digits.forEach(s::append);
    try {
      return s.length() == 0 ? Double.MAX_VALUE : Double.parseDouble(s.toString());
    } catch (NumberFormatException e) {
      return Double.MAX_VALUE;
    }
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>")
        .append(escape(name))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>");
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
