package dev.recdata.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Metrics of a tagged dataset as long-format rows (dataset, split, metric, value), one set per part
 * and one for all parts together, plus the small histograms the report charts. All of it is Spark
 * aggregation; what reaches the driver is bounded by the number of parts, bins and days.
 */
public final class Metrics {
  private Metrics() {}

  /** The part a row belongs to: train, validation, test, or {@link #ALL} for the union. */
  public static final String SPLIT = "split";

  public static final String DATASET = "dataset";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String ALL = "all";

  /**
   * Over the test rows, the mean share of training rows strictly later than the test row ({@link
   * dev.recdata.splits.TemporalLeakage}), under the test part's split label; 0 for a global-time
   * split. Informational: no check gates on it.
   */
  public static final String TEMPORAL_LEAKAGE_SHARE = "temporal_leakage_share";

  /**
   * {@link #TEMPORAL_LEAKAGE_SHARE} with train and validation together as training, as when a model
   * is refit on both before the test.
   */
  public static final String TEMPORAL_LEAKAGE_SHARE_WITH_VALIDATION =
      "temporal_leakage_share_with_validation";

  /** Bins of the per-user fraction histogram: 20 bins of 0.05. */
  public static final int FRACTION_BINS = 20;

  /** Column of {@link #keyCounts}: the key's rows in the part. */
  public static final String N = "n";

  /**
   * (split, KEY, n): for every part the keys (users or items) with rows in it and how many, plus
   * {@link #ALL} with every key's total when {@code withAll}; split labels start with {@code
   * prefix} ({@code ""}, or {@code fold=1/} in a k-fold run). From {@link GroupStats}' per-key
   * table (key, events, n_PART), so no pass over the rows.
   */
  static Dataset<Row> keyCounts(
      Dataset<Row> perKey, String key, List<String> parts, boolean withAll, String prefix) {
    Dataset<Row> result = null;
    for (String part : parts) {
      Column n = col(GroupStats.nColumn(part));
      Dataset<Row> counts =
          perKey.where(n.gt(0)).select(lit(prefix + part).as(SPLIT), col(key), n.as(N));
      result = result == null ? counts : result.unionByName(counts);
    }
    if (withAll) {
      result =
          result.unionByName(
              perKey.select(lit(prefix + ALL).as(SPLIT), col(key), col(Checks.EVENTS).as(N)));
    }
    return result;
  }

  /**
   * Rows per part, day and rating bin (split, day, rating, rows): the "events over time" and rating
   * charts are its sums over ratings and over days. Ratings are rounded to 0.5, and null ratings
   * (implicit events) are a bin of their own. One map-side-combined count: what is shuffled is a
   * row per part, day and bin.
   */
  static Dataset<Row> rowsPerDayAndRating(Dataset<Row> tagged) {
    return tagged
        .groupBy(
            col(SPLIT),
            to_date(col(Schema.TS)).as("day"),
            round(col(Schema.RATING).multiply(2)).divide(2).as("rating"))
        .agg(count(lit(1)).as("rows"));
  }

  /**
   * Users per power-of-two bin of their interaction count (split, bin, users): bin b holds users
   * with 2^b .. 2^(b+1)-1 interactions, readable for the long tail of recommender data.
   */
  public static Dataset<Row> interactionsPerUserHistogram(Dataset<Row> userCounts) {
    return userCounts
        .groupBy(col(SPLIT), floor(log(2.0, col(N)).plus(1e-9)).cast("int").as("bin"))
        .agg(count(lit(1)).as("users"))
        .withColumn("lower", pow(lit(2.0), col("bin")).cast("long"))
        .withColumn("upper", pow(lit(2.0), col("bin").plus(1)).cast("long").minus(1));
  }

  /**
   * Histogram of the per-user realized fraction of each part over eligible users (split, bin_lower,
   * bin_upper, users), from {@link Checks#userSplitCounts}: 20 bins of 0.05, the last one closed.
   * This is the table behind "is every user 70/20/10".
   */
  public static Dataset<Row> userFractionHistogram(
      Dataset<Row> userSplitCounts, List<String> parts) {
    Dataset<Row> result = null;
    Dataset<Row> eligible = userSplitCounts.where(col(Checks.ELIGIBLE));
    for (String part : parts) {
      Column bin =
          least(floor(col("frac_" + part).multiply(FRACTION_BINS)), lit(FRACTION_BINS - 1));
      Dataset<Row> histogram =
          eligible
              .groupBy(bin.cast("int").as("bin"))
              .agg(count(lit(1)).as("users"))
              .select(
                  lit(part).as(SPLIT),
                  col("bin").divide(FRACTION_BINS).as("bin_lower"),
                  col("bin").plus(1).divide(FRACTION_BINS).as("bin_upper"),
                  col("users"));
      result = result == null ? histogram : result.unionByName(histogram);
    }
    return result;
  }

  /**
   * Share of eligible users exactly at the largest-remainder allocation and within the tolerance.
   */
  public static Dataset<Row> userConformance(Dataset<Row> userSplitCounts, String dataset) {
    Dataset<Row> wide =
        userSplitCounts
            .where(col(Checks.ELIGIBLE))
            .agg(
                avg(when(col(Checks.EXACT), 1.0).otherwise(0.0)).as("users_exact_allocation_share"),
                avg(when(col(Checks.WITHIN), 1.0).otherwise(0.0))
                    .as("users_within_tolerance_share"),
                avg(when(col(Checks.CONFORMS), 1.0).otherwise(0.0)).as("users_on_target_share"),
                count(lit(1)).cast("double").as("users_eligible"))
            .withColumn(SPLIT, lit(ALL));
    return longFormat(wide, dataset).na().drop();
  }

  /**
   * A manifest's counts as metrics, nested keys joined by dots ({@code deduplicated.exact}, {@code
   * filtered.k_core}), under the split label {@code split} (e.g. {@code etl_manifest}).
   */
  public static List<MetricValue> fromManifestCounts(
      String dataset, String split, JsonNode counts) {
    List<MetricValue> values = new ArrayList<>();
    if (counts != null) {
      flatten(dataset, split, "", counts, values);
    }
    return values;
  }

  private static void flatten(
      String dataset, String split, String prefix, JsonNode node, List<MetricValue> out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix + field.getKey();
      if (field.getValue().isObject()) {
        flatten(dataset, split, name + ".", field.getValue(), out);
      } else if (field.getValue().isNumber()) {
        out.add(new MetricValue(dataset, split, name, field.getValue().asDouble()));
      }
    }
  }

  /** Wide metrics (one row per split, one column per metric) to (dataset, split, metric, value). */
  private static Dataset<Row> longFormat(Dataset<Row> wide, String dataset) {
    List<Column> values = new ArrayList<>();
    for (String name : wide.columns()) {
      if (!name.equals(SPLIT)) {
        values.add(col(name).cast("double").as(name));
      }
    }
    return wide.unpivot(new Column[] {col(SPLIT)}, values.toArray(Column[]::new), METRIC, VALUE)
        .select(lit(dataset).as(DATASET), col(SPLIT), col(METRIC), col(VALUE));
  }
}
