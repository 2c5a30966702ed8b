package dev.recdata.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import dev.recdata.splits.TemporalLeakage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Brings the aggregated metrics and histograms to the driver. Every dataset collected here is
 * bounded by parts times bins (or days), never by rows, users or items.
 */
final class MetricCollector {
  private MetricCollector() {}

  /** A group's metrics and chart points. */
  record Summary(List<MetricValue> metrics, List<QualityReport.ChartPoint> charts) {}

  /**
   * Every metric and chart of a group but the temporal leakage and fraction histograms, in four
   * Spark jobs: one aggregate over {@link GroupStats#perUser} (rows, users and the interactions per
   * user of every part and of all of them), one over {@link GroupStats#perItem}, one small group-by
   * for the users-per-bin chart, and one map-side-combined count per part, day and rating bin
   * (bounded by days times rating bins) whose sums here are the per-day and rating charts and their
   * summary metrics. A job per metric and chart, each compiled and scheduled on its own, cost more
   * than the data they read.
   *
   * @param prefix what starts every split label: {@code ""}, or {@code fold=1/} in a k-fold run
   */
  static Summary summarise(Dataset<Row> tagged, GroupStats stats, String prefix, String dataset) {
    boolean withAll = stats.parts.size() > 1;
    List<String> labels = new ArrayList<>(stats.parts);
    if (withAll) {
      labels.add(Metrics.ALL);
    }
    List<MetricValue> metrics = new ArrayList<>();
    Row users = GroupStats.aggregate(stats.perUser, perKey(labels, Schema.USER_ID, true));
    Row items = GroupStats.aggregate(stats.perItem, perKey(labels, Schema.ITEM_ID, false));
    for (String label : labels) {
      long rows = users.getLong(users.fieldIndex(label + ":rows"));
      if (rows == 0) {
        continue; // a part without rows has no metrics, as before
      }
      String split = prefix + label;
      double userCount = users.getLong(users.fieldIndex(label + ":keys"));
      double itemCount = items.getLong(items.fieldIndex(label + ":keys"));
      metrics.add(new MetricValue(dataset, split, "rows", rows));
      metrics.add(new MetricValue(dataset, split, "users", userCount));
      metrics.add(new MetricValue(dataset, split, "items", itemCount));
      metrics.add(
          new MetricValue(dataset, split, "sparsity", 1.0 - rows / (userCount * itemCount)));
      distribution(metrics, dataset, split, "interactions_per_user", users, label);
      distribution(metrics, dataset, split, "interactions_per_item", items, label);
    }

    List<QualityReport.ChartPoint> charts = new ArrayList<>();
    for (Row r :
        Metrics.interactionsPerUserHistogram(
                Metrics.keyCounts(stats.perUser, Schema.USER_ID, stats.parts, withAll, prefix))
            .orderBy(Metrics.SPLIT, "bin")
            .collectAsList()) {
      long lower = r.getAs("lower");
      long upper = r.getAs("upper");
      String label = lower == upper ? Long.toString(lower) : lower + "-" + upper;
      charts.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_INTERACTIONS_PER_USER,
              r.getAs(Metrics.SPLIT),
              label,
              r.<Long>getAs("users")));
    }

    // Both charts are sums of one count per part, day and rating bin (bounded by parts times days
    // times bins): one pass over the rows instead of one per chart and another per chart's "all".
    // Points in the report's order: by split label, ratings with none last, days with none first.
    Map<String, Map<Double, Long>> perRating = new TreeMap<>();
    Map<String, Map<java.sql.Date, Long>> perDay = new TreeMap<>();
    for (Row r : Metrics.rowsPerDayAndRating(tagged).collectAsList()) {
      List<String> splits = new ArrayList<>(List.of(prefix + r.<String>getAs(Metrics.SPLIT)));
      if (withAll) {
        splits.add(prefix + Metrics.ALL);
      }
      long rows = r.<Long>getAs("rows");
      for (String split : splits) {
        perRating
            .computeIfAbsent(
                split, k -> new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder())))
            .merge(r.getAs("rating"), rows, Long::sum);
        perDay
            .computeIfAbsent(
                split, k -> new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder())))
            .merge(r.getAs("day"), rows, Long::sum);
      }
    }

    // Rating bins: the chart's points, and as metrics rating=4.0, rating=null.
    perRating.forEach(
        (split, ratings) ->
            ratings.forEach(
                (bin, rows) -> {
                  String rating = bin == null ? "none" : String.format(Locale.ROOT, "%.1f", bin);
                  charts.add(
                      new QualityReport.ChartPoint(
                          QualityReport.CHART_RATINGS, split, rating, rows));
                  metrics.add(
                      new MetricValue(
                          dataset, split, bin == null ? "rating=null" : "rating=" + rating, rows));
                }));

    // Events per day: the chart's points, and per part the mean and max per day and the days.
    perDay.forEach(
        (split, days) -> {
          days.forEach(
              (day, rows) ->
                  charts.add(
                      new QualityReport.ChartPoint(
                          QualityReport.CHART_EVENTS_PER_DAY, split, String.valueOf(day), rows)));
          LongSummaryStatistics rowsPerDay =
              days.values().stream().mapToLong(Long::longValue).summaryStatistics();
          metrics.add(
              new MetricValue(
                  dataset,
                  split,
                  "events_per_day_mean",
                  (double) rowsPerDay.getSum() / rowsPerDay.getCount()));
          metrics.add(new MetricValue(dataset, split, "events_per_day_max", rowsPerDay.getMax()));
          metrics.add(new MetricValue(dataset, split, "days_with_events", rowsPerDay.getCount()));
        });
    metrics.sort(Comparator.comparing(MetricValue::split).thenComparing(MetricValue::metric));
    return new Summary(metrics, charts);
  }

  /**
   * For every label (the parts, and {@code all} when listed): its rows (users only), the keys with
   * rows in it, and the mean, median, p90 and max of their counts, as columns {@code LABEL:NAME}.
   * Median and p90 are {@code percentile_approx} (exact up to 1/10,000 of the rank), as they always
   * were.
   */
  private static Column[] perKey(List<String> labels, String key, boolean withRows) {
    List<Column> columns = new ArrayList<>();
    for (String label : labels) {
      Column n = label.equals(Metrics.ALL) ? col(Checks.EVENTS) : col(GroupStats.nColumn(label));
      Column counted = when(n.gt(0), n);
      if (withRows) {
        columns.add(coalesce(sum(n), lit(0L)).as(label + ":rows"));
      }
      columns.add(count(when(n.gt(0).and(col(key).isNotNull()), 1)).as(label + ":keys"));
      columns.add(avg(counted).as(label + ":mean"));
      columns.add(
          percentile_approx(counted, lit(0.5), lit(10000)).cast("double").as(label + ":median"));
      columns.add(
          percentile_approx(counted, lit(0.9), lit(10000)).cast("double").as(label + ":p90"));
      columns.add(max(counted).cast("double").as(label + ":max"));
    }
    return columns.toArray(Column[]::new);
  }

  private static void distribution(
      List<MetricValue> metrics,
      String dataset,
      String split,
      String prefix,
      Row aggregate,
      String label) {
    for (String stat : new String[] {"mean", "median", "p90", "max"}) {
      int i = aggregate.fieldIndex(label + ":" + stat);
      metrics.add(
          new MetricValue(
              dataset,
              split,
              prefix + "_" + stat,
              aggregate.isNullAt(i) ? Double.NaN : aggregate.getDouble(i)));
    }
  }

  /**
   * {@link Metrics#TEMPORAL_LEAKAGE_SHARE} of a split group's test part against its train part, and
   * {@link Metrics#TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION} against train and validation when the
   * group has a validation part, labelled with the test part ({@code test}, {@code fold=1/test}).
   * Nothing when the group has no test part or a side is empty: the share is then undefined. Each
   * share reaches the driver as one number.
   */
  static List<MetricValue> temporalLeakage(QualityInput.Group group, String dataset) {
    List<MetricValue> values = new ArrayList<>();
    if (!group.parts().contains(Schema.Layout.TEST)) {
      return values;
    }
    Dataset<Row> tagged = group.tagged();
    Dataset<Row> test = tagged.where(col(Metrics.SPLIT).equalTo(Schema.Layout.TEST));
    String split = group.splitLabel(Schema.Layout.TEST);
    Dataset<Row> train = tagged.where(col(Metrics.SPLIT).equalTo(Schema.Layout.TRAIN));
    if (!group.parts().contains(Schema.Layout.VALIDATION)) {
      addIfDefined(
          values,
          new MetricValue(
              dataset, split, Metrics.TEMPORAL_LEAKAGE_SHARE, TemporalLeakage.share(train, test)));
      return values;
    }
    // both shares from one pass over the timestamps
    double[] shares =
        TemporalLeakage.shares(
            train, tagged.where(col(Metrics.SPLIT).equalTo(Schema.Layout.VALIDATION)), test);
    addIfDefined(
        values, new MetricValue(dataset, split, Metrics.TEMPORAL_LEAKAGE_SHARE, shares[0]));
    addIfDefined(
        values,
        new MetricValue(dataset, split, Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION, shares[1]));
    return values;
  }

  private static void addIfDefined(List<MetricValue> values, MetricValue value) {
    if (!Double.isNaN(value.value())) {
      values.add(value);
    }
  }

  static List<MetricValue> collect(Dataset<Row> longFormat) {
    List<MetricValue> values = new ArrayList<>();
    for (Row r : longFormat.collectAsList()) {
      values.add(
          new MetricValue(
              r.getAs(Metrics.DATASET),
              r.getAs(Metrics.SPLIT),
              r.getAs(Metrics.METRIC),
              r.isNullAt(r.fieldIndex(Metrics.VALUE))
                  ? Double.NaN
                  : r.<Double>getAs(Metrics.VALUE)));
    }
    return values;
  }

  /**
   * The per-user fraction histogram of a group, every one of the {@link Metrics#FRACTION_BINS} bins
   * of every part, the empty ones too: a dashboard's histogram then spans the whole 0..1 axis, and
   * a part whose users all fall in one bin still shows the others as zero.
   */
  static List<QualityReport.FractionBin> fractionBins(
      Dataset<Row> perUser, QualityInput.Group group) {
    java.util.Map<String, long[]> usersPerBin = new java.util.LinkedHashMap<>();
    for (String part : group.parts()) {
      usersPerBin.put(part, new long[Metrics.FRACTION_BINS]);
    }
    for (Row r : Metrics.userFractionHistogram(perUser, group.parts()).collectAsList()) {
      int bin = (int) Math.round(r.<Double>getAs("bin_lower") * Metrics.FRACTION_BINS);
      usersPerBin.get(r.<String>getAs(Metrics.SPLIT))[bin] = r.<Long>getAs("users");
    }
    List<QualityReport.FractionBin> bins = new ArrayList<>();
    usersPerBin.forEach(
        (part, users) -> {
          for (int bin = 0; bin < Metrics.FRACTION_BINS; bin++) {
            bins.add(
                new QualityReport.FractionBin(
                    group.splitLabel(part),
                    (double) bin / Metrics.FRACTION_BINS,
                    (double) (bin + 1) / Metrics.FRACTION_BINS,
                    users[bin]));
          }
        });
    return bins;
  }

  /**
   * The fraction histogram as chart points, every one of the 20 bins present so the x axis is 0..1.
   */
  static List<QualityReport.ChartPoint> fractionCharts(List<QualityReport.FractionBin> bins) {
    java.util.Map<String, long[]> usersPerBin = new java.util.LinkedHashMap<>();
    for (QualityReport.FractionBin b : bins) {
      int bin = (int) Math.round(b.binLower() * Metrics.FRACTION_BINS);
      usersPerBin.computeIfAbsent(b.split(), k -> new long[Metrics.FRACTION_BINS])[bin] +=
          b.users();
    }
    List<QualityReport.ChartPoint> points = new ArrayList<>();
    usersPerBin.forEach(
        (split, users) -> {
          for (int bin = 0; bin < Metrics.FRACTION_BINS; bin++) {
            points.add(
                new QualityReport.ChartPoint(
                    QualityReport.CHART_USER_FRACTIONS,
                    split,
                    String.format(Locale.ROOT, "%.2f", (double) bin / Metrics.FRACTION_BINS),
                    users[bin]));
          }
        });
    return points;
  }
}
