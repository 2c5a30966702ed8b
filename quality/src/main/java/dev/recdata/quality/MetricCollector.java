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
import java.util.List;
import java.util.Locale;
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
   * Every metric and chart of a group but the temporal leakage and fraction histograms, in five
   * Spark jobs: one aggregate over {@link GroupStats#perUser} (rows, users and the interactions per
   * user of every part and of all of them), one over {@link GroupStats#perItem}, one small group-by
   * for the users-per-bin chart, and two map-side-combined counts per day and per rating whose rows
   * (bounded by days and rating bins) are the charts; their summary metrics are computed here from
   * those rows. A job per metric and chart, each compiled and scheduled on its own, cost more than
   * the data they read.
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

    // Rating bins: the chart's points, and as metrics rating=4.0, rating=null.
    for (Row r :
        Metrics.withAllPart(Metrics.ratingHistogram(tagged), "rating", withAll, prefix)
            .orderBy(col(Metrics.SPLIT), col("rating").asc_nulls_last())
            .collectAsList()) {
      boolean none = r.isNullAt(r.fieldIndex("rating"));
      String rating = none ? "none" : String.format(Locale.ROOT, "%.1f", r.<Double>getAs("rating"));
      long rows = r.<Long>getAs("rows");
      charts.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_RATINGS, r.getAs(Metrics.SPLIT), rating, rows));
      metrics.add(
          new MetricValue(
              dataset, r.getAs(Metrics.SPLIT), none ? "rating=null" : "rating=" + rating, rows));
    }

    // Events per day: the chart's points, and per part the mean and max per day and the days.
    java.util.Map<String, long[]> perDay = new java.util.LinkedHashMap<>();
    for (Row r :
        Metrics.withAllPart(Metrics.eventsPerDay(tagged), "day", withAll, prefix)
            .orderBy(Metrics.SPLIT, "day")
            .collectAsList()) {
      long rows = r.<Long>getAs("rows");
      charts.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_EVENTS_PER_DAY,
              r.getAs(Metrics.SPLIT),
              String.valueOf(r.<java.sql.Date>getAs("day")),
              rows));
      long[] days = perDay.computeIfAbsent(r.getAs(Metrics.SPLIT), k -> new long[3]);
      days[0] += rows;
      days[1] = Math.max(days[1], rows);
      days[2]++;
    }
    perDay.forEach(
        (split, days) -> {
          metrics.add(
              new MetricValue(dataset, split, "events_per_day_mean", (double) days[0] / days[2]));
          metrics.add(new MetricValue(dataset, split, "events_per_day_max", days[1]));
          metrics.add(new MetricValue(dataset, split, "days_with_events", days[2]));
        });
    metrics.sort(
        java.util.Comparator.comparing(MetricValue::split).thenComparing(MetricValue::metric));
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
