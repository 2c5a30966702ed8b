package dev.recdata.quality;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.Schema;
import dev.recdata.splits.TemporalLeakage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Brings the aggregated metrics and histograms to the driver. Every dataset collected here is
 * bounded by parts times bins (or days), never by rows, users or items.
 */
final class MetricCollector {
  private MetricCollector() {}

  static List<MetricValue> metrics(Dataset<Row> tagged, String dataset) {
    Dataset<Row> all =
        Metrics.basic(tagged, dataset)
            .unionByName(Metrics.eventsPerDaySummary(Metrics.eventsPerDay(tagged), dataset))
            .unionByName(Metrics.ratingMetrics(Metrics.ratingHistogram(tagged), dataset));
    return collect(all.orderBy(Metrics.SPLIT, Metrics.METRIC));
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
    addIfDefined(
        values,
        new MetricValue(
            dataset,
            split,
            Metrics.TEMPORAL_LEAKAGE_SHARE,
            TemporalLeakage.share(
                tagged.where(col(Metrics.SPLIT).equalTo(Schema.Layout.TRAIN)), test)));
    if (group.parts().contains(Schema.Layout.VALIDATION)) {
      addIfDefined(
          values,
          new MetricValue(
              dataset,
              split,
              Metrics.TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION,
              TemporalLeakage.share(
                  tagged.where(
                      col(Metrics.SPLIT).isin(Schema.Layout.TRAIN, Schema.Layout.VALIDATION)),
                  test)));
    }
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

  static List<QualityReport.ChartPoint> charts(Dataset<Row> tagged) {
    List<QualityReport.ChartPoint> points = new ArrayList<>();
    for (Row r :
        Metrics.interactionsPerUserHistogram(tagged)
            .orderBy(Metrics.SPLIT, "bin")
            .collectAsList()) {
      long lower = r.getAs("lower");
      long upper = r.getAs("upper");
      String label = lower == upper ? Long.toString(lower) : lower + "-" + upper;
      points.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_INTERACTIONS_PER_USER,
              r.getAs(Metrics.SPLIT),
              label,
              r.<Long>getAs("users")));
    }
    for (Row r :
        Metrics.ratingHistogram(tagged)
            .orderBy(col(Metrics.SPLIT), col("rating").asc_nulls_last())
            .collectAsList()) {
      String rating =
          r.isNullAt(r.fieldIndex("rating"))
              ? "none"
              : String.format(Locale.ROOT, "%.1f", r.<Double>getAs("rating"));
      points.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_RATINGS, r.getAs(Metrics.SPLIT), rating, r.<Long>getAs("rows")));
    }
    for (Row r : Metrics.eventsPerDay(tagged).orderBy(Metrics.SPLIT, "day").collectAsList()) {
      points.add(
          new QualityReport.ChartPoint(
              QualityReport.CHART_EVENTS_PER_DAY,
              r.getAs(Metrics.SPLIT),
              String.valueOf(r.<java.sql.Date>getAs("day")),
              r.<Long>getAs("rows")));
    }
    return points;
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
