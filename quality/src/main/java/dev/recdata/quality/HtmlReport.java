package dev.recdata.quality;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.font.FontRenderContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.Month;
import org.jfree.data.time.RegularTimePeriod;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Writes report.html: one self-contained page (no external script, style or image; charts are PNGs
 * rendered by JFreeChart and embedded as base64) so it opens offline and can be attached to a
 * ticket.
 */
public final class HtmlReport {
  private HtmlReport() {}

  static final int WIDTH = 900;
  static final int HEIGHT = 380;

  public static void write(Configuration conf, String path, QualityReport report) {
    write(conf, path, report, report.pipelineRunId(), null);
  }

  /**
   * report.html for {@code report} inside the pipeline run {@code pipelineRunId} (null outside
   * one), with the model's test scores when {@code model} is not null.
   */
  static void write(
      Configuration conf,
      String path,
      QualityReport report,
      String pipelineRunId,
      ModelScores model) {
    // Charts render without a display on cluster drivers and CI machines.
    System.setProperty("java.awt.headless", "true");
    String html = render(report, pipelineRunId, model);
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
    return render(report, report.pipelineRunId(), null);
  }

  static String render(QualityReport report, String pipelineRunId, ModelScores model) {
    StringBuilder h = new StringBuilder();
    String mainRunId = pipelineRunId != null ? pipelineRunId : report.runId();
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>recdata quality ")
        .append(escape(mainRunId))
        .append("</title>\n<style>")
        .append(
            "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}")
        .append("td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}")
        .append(
            ".pass{background:#dff0d8}.warn{background:#fcf8e3}.fail{background:#f2dede}.skip{color:#888}")
        .append(".ids{color:#555;margin-top:-0.5em}.ids b{color:#222}.secondary{color:#666}")
        .append("tr.als td{font-weight:bold}.wide{overflow-x:auto}")
        .append("details{margin:0.4em 0}summary{cursor:pointer;font-weight:bold;padding:2px 0}")
        .append("img{max-width:100%;border:1px solid #eee}</style></head><body>\n");
    h.append("<h1>recdata quality: <span class=\"")
        .append(report.status())
        .append("\">")
        .append(escape(report.status()))
        .append("</span></h1>\n<p class=\"ids\">");
    if (pipelineRunId != null) {
      h.append("pipeline run <b>")
          .append(escape(pipelineRunId))
          .append("</b> &middot; <span class=\"secondary\">quality run ")
          .append(escape(report.runId()))
          .append("</span>");
    } else {
      h.append("quality run <b>").append(escape(report.runId())).append("</b>");
    }
    h.append("</p>\n<table>");
    if (pipelineRunId != null) {
      String reused =
          report.pipelineRunId() != null && !report.pipelineRunId().equals(pipelineRunId)
              ? " (quality reused from run " + report.pipelineRunId() + ")"
              : "";
      row(h, "pipeline run", pipelineRunId + reused);
    }
    row(h, "quality run", report.runId());
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
          .append("</td><td class=\"num\">")
          .append(number(c.observed()))
          .append("</td><td class=\"num\">")
          .append(number(c.threshold()))
          .append("</td><td>")
          .append(escape(c.message()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    modelScores(h, model);
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
    metrics(h, report.metrics());
    h.append("</body></html>\n");
    return h.toString();
  }

  /**
   * ALS against the baselines on the test part, one row per model: in a pipeline run the report is
   * rendered again after ALS, so the data checks and what the model made of the data sit on one
   * page. Nothing outside a pipeline run (quality runs before any model exists).
   */
  private static void modelScores(StringBuilder h, ModelScores model) {
    if (model == null || model.test().isEmpty()) {
      return;
    }
    List<String> columns = new ArrayList<>();
    model
        .test()
        .values()
        .forEach(
            scores ->
                scores.keySet().stream()
                    .filter(metric -> !columns.contains(metric))
                    .forEach(columns::add));
    h.append("<h2>ALS and the baselines on test</h2>\n");
    if (model.verdict() != null) {
      h.append("<p>").append(escape(model.verdict())).append("</p>\n");
    }
    h.append("<div class=\"wide\"><table><tr><th>model</th>");
    columns.forEach(c -> h.append("<th class=\"num\">").append(escape(c)).append("</th>"));
    h.append("</tr>\n");
    model
        .test()
        .forEach(
            (name, scores) -> {
              h.append(name.equals(ModelScores.ALS) ? "<tr class=\"als\">" : "<tr>")
                  .append("<td>")
                  .append(escape(name))
                  .append("</td>");
              for (String c : columns) {
                Double value = scores.get(c);
                h.append("<td class=\"num\">")
                    .append(value == null ? "" : number(value))
                    .append("</td>");
              }
              h.append("</tr>\n");
            });
    h.append("</table></div>\n");
    if (model.source() != null) {
      h.append("<p class=\"secondary\">From ")
          .append(escape(model.source()))
          .append(" (its \"protocols\" say how each number was measured).</p>\n");
    }
  }

  /**
   * The metrics by category, one collapsible section each with the parts as columns, instead of one
   * long list: a reader compares train and test on a line and opens only what they need.
   */
  private static void metrics(StringBuilder h, List<MetricValue> metrics) {
    h.append("<h2>Metrics</h2>\n");
    Map<String, Map<String, Map<String, Double>>> byCategory = new LinkedHashMap<>();
    for (MetricCategory category : MetricCategory.values()) {
      byCategory.put(category.title, new LinkedHashMap<>());
    }
    for (MetricValue m : metrics) {
      byCategory
          .get(MetricCategory.of(m).title)
          .computeIfAbsent(m.metric(), k -> new LinkedHashMap<>())
          .put(m.split(), m.value());
    }
    boolean first = true;
    for (Map.Entry<String, Map<String, Map<String, Double>>> category : byCategory.entrySet()) {
      Map<String, Map<String, Double>> rows = category.getValue();
      if (rows.isEmpty()) {
        continue;
      }
      List<String> parts = partsInOrder(rows);
      h.append(first ? "<details open>" : "<details>")
          .append("<summary>")
          .append(escape(category.getKey()))
          .append(" (")
          .append(rows.size())
          .append(")</summary>\n<div class=\"wide\"><table><tr><th>metric</th>");
      parts.forEach(p -> h.append("<th class=\"num\">").append(escape(p)).append("</th>"));
      h.append("</tr>\n");
      for (Map.Entry<String, Map<String, Double>> metric : rows.entrySet()) {
        h.append("<tr><td>").append(escape(metric.getKey())).append("</td>");
        for (String part : parts) {
          Double value = metric.getValue().get(part);
          h.append("<td class=\"num\">").append(value == null ? "" : number(value)).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table></div></details>\n");
      first = false;
    }
  }

  /** The parts of one metrics table: all, train, validation, test first, then the others. */
  private static List<String> partsInOrder(Map<String, Map<String, Double>> rows) {
    List<String> seen = new ArrayList<>();
    rows.values()
        .forEach(
            parts -> parts.keySet().stream().filter(p -> !seen.contains(p)).forEach(seen::add));
    List<String> ordered = new ArrayList<>();
    for (String known : List.of(Metrics.ALL, "train", "validation", "test")) {
      if (seen.remove(known)) {
        ordered.add(known);
      }
    }
    ordered.addAll(seen);
    return ordered;
  }

  /** The sections of the metrics table, in page order; {@link #of} sorts a metric in. */
  private enum MetricCategory {
    SIZE("Size: rows, users, items"),
    PER_USER("Interactions per user"),
    PER_ITEM("Interactions per item"),
    OVER_TIME("Events over time"),
    RATINGS("Ratings"),
    CONFORMANCE("Split conformance"),
    LEAKAGE("Temporal leakage"),
    MANIFEST("Counts from the manifests"),
    OTHER("Other");

    final String title;

    MetricCategory(String title) {
      this.title = title;
    }

    static MetricCategory of(MetricValue m) {
      String metric = m.metric();
      if (m.split().endsWith("_manifest")) {
        return MANIFEST;
      }
      if (List.of("rows", "users", "items", "sparsity", "density").contains(metric)) {
        return SIZE;
      }
      if (metric.startsWith("interactions_per_user")) {
        return PER_USER;
      }
      if (metric.startsWith("interactions_per_item")) {
        return PER_ITEM;
      }
      if (metric.startsWith("events_per_day") || metric.equals("days_with_events")) {
        return OVER_TIME;
      }
      if (metric.startsWith("rating=")) {
        return RATINGS;
      }
      if (metric.startsWith("users_")) {
        return CONFORMANCE;
      }
      if (metric.startsWith("temporal_leakage")) {
        return LEAKAGE;
      }
      return OTHER;
    }
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
    CategoryAxis axis = plot.getDomainAxis();
    axis.setLowerMargin(0.02);
    axis.setUpperMargin(0.02);
    axis.setCategoryMargin(0.15);
    if (!labelsFitLevel(axis, categories)) {
      axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return chart;
  }

  /**
   * Whether every category label fits level under its bar group. JFreeChart cuts a label that does
   * not fit to "5..." (the interactions-per-user bins 512-1023 and 1024-2047 were unreadable), so a
   * chart whose widest label does not fit turns its labels by 45 degrees instead. The data area is
   * estimated as the image width less the range axis; 10% slack covers that estimate.
   */
  private static boolean labelsFitLevel(CategoryAxis axis, Collection<String> categories) {
    double dataWidth = WIDTH - 90;
    double share = 1 - axis.getLowerMargin() - axis.getUpperMargin() - axis.getCategoryMargin();
    double perCategory = dataWidth * share / categories.size();
    FontRenderContext measure = new FontRenderContext(null, true, true);
    double widest = 0;
    for (String category : categories) {
      widest =
          Math.max(
              widest,
              axis.getTickLabelFont(category).getStringBounds(category, measure).getWidth());
    }
    return widest <= 0.9 * 0.95 * perCategory;
  }

  /**
   * Events over time, one line per part, in days, weeks or months by the data's span (see {@link
   * #bucketFor}): 24 years of daily counts was a band of spikes, and days without events drew lines
   * across the gap instead of dropping to zero. Every period between the first and the last is a
   * point, zero when a part has no events in it.
   */
  static JFreeChart timeChart(QualityReport report) {
    Map<String, Map<String, Double>> series = seriesOf(report, QualityReport.CHART_EVENTS_PER_DAY);
    if (series.isEmpty()) {
      return null;
    }
    LocalDate first = null;
    LocalDate last = null;
    for (Map<String, Double> points : series.values()) {
      for (String day : points.keySet()) {
        LocalDate date = LocalDate.parse(day);
        first = first == null || date.isBefore(first) ? date : first;
        last = last == null || date.isAfter(last) ? date : last;
      }
    }
    TimeBucket bucket = bucketFor(first, last);
    TimeSeriesCollection data = new TimeSeriesCollection();
    for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
      Map<LocalDate, Double> totals = new TreeMap<>();
      s.getValue()
          .forEach(
              (day, events) ->
                  totals.merge(bucket.start(LocalDate.parse(day)), events, Double::sum));
      TimeSeries line = new TimeSeries(s.getKey());
      for (LocalDate period = bucket.start(first);
          !period.isAfter(last);
          period = bucket.next(period)) {
        line.add(bucket.period(period), totals.getOrDefault(period, 0.0));
      }
      data.addSeries(line);
    }
    JFreeChart chart =
        ChartFactory.createTimeSeriesChart(
            "Events per " + bucket.label,
            bucket.axisLabel,
            "events per " + bucket.label,
            data,
            true,
            false,
            false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      chart.getXYPlot().getRenderer().setSeriesPaint(i, colourOf(data.getSeriesKey(i).toString()));
      chart.getXYPlot().getRenderer().setSeriesStroke(i, new BasicStroke(2f));
    }
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  /**
   * Days up to about three months (a line of at most ~90 points), weeks up to about three years (at
   * most ~160), months beyond: a few hundred points at most, whatever the span.
   */
  private static TimeBucket bucketFor(LocalDate first, LocalDate last) {
    long days = ChronoUnit.DAYS.between(first, last) + 1;
    if (days <= 92) {
      return TimeBucket.DAY;
    }
    return days <= 3 * 366 ? TimeBucket.WEEK : TimeBucket.MONTH;
  }

  /** The periods of the events-over-time chart, each named by its first day. */
  private enum TimeBucket {
    DAY("day", "day"),
    WEEK("week", "week (starting Monday)"),
    MONTH("month", "month");

    final String label;
    final String axisLabel;

    TimeBucket(String label, String axisLabel) {
      this.label = label;
      this.axisLabel = axisLabel;
    }

    LocalDate start(LocalDate day) {
      return switch (this) {
        case DAY -> day;
        case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        case MONTH -> day.withDayOfMonth(1);
      };
    }

    LocalDate next(LocalDate start) {
      return switch (this) {
        case DAY -> start.plusDays(1);
        case WEEK -> start.plusWeeks(1);
        case MONTH -> start.plusMonths(1);
      };
    }

    RegularTimePeriod period(LocalDate start) {
      return this == MONTH
          ? new Month(start.getMonthValue(), start.getYear())
          : new Day(start.getDayOfMonth(), start.getMonthValue(), start.getYear());
    }
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

  /** All parts together: a neutral grey, so it is not read as one more part. */
  private static final Color ALL_PARTS = new Color(0x666666);

  /** The colour of a part in every chart: by its role (train, validation, test), else its name. */
  static Color colourOf(String series) {
    String name = series.toLowerCase(Locale.ROOT);
    if (name.equals(Metrics.ALL)) {
      return ALL_PARTS;
    }
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
