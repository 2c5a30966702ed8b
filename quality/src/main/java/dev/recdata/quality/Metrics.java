package dev.recdata.quality;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
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

  /** The rows of every part plus a copy of all of them tagged {@link #ALL}. */
  public static Dataset<Row> withOverall(Dataset<Row> tagged) {
    return tagged.unionByName(tagged.withColumn(SPLIT, lit(ALL)));
  }

  /**
   * Rows, distinct users and items, density and sparsity, and interactions per user and per item
   * (mean, median, p90, max) for every value of {@link #SPLIT}. Sparsity is {@code 1 - rows /
   * (users * items)}. Medians and p90 are {@code percentile_approx} (exact up to 1/10,000 of the
   * rank).
   */
  public static Dataset<Row> basic(Dataset<Row> tagged, String dataset) {
    Dataset<Row> sizes =
        tagged
            .groupBy(SPLIT)
            .agg(
                count(lit(1)).cast("double").as("rows"),
                countDistinct(col(Schema.USER_ID)).cast("double").as("users"),
                countDistinct(col(Schema.ITEM_ID)).cast("double").as("items"));
    Dataset<Row> perUser = perKey(tagged, Schema.USER_ID, "interactions_per_user");
    Dataset<Row> perItem = perKey(tagged, Schema.ITEM_ID, "interactions_per_item");
    Dataset<Row> wide =
        sizes
            .join(perUser, SPLIT)
            .join(perItem, SPLIT)
            .withColumn(
                "sparsity",
                lit(1.0).minus(col("rows").divide(col("users").multiply(col("items")))));
    return longFormat(wide, dataset);
  }

  private static Dataset<Row> perKey(Dataset<Row> tagged, String key, String prefix) {
    Column n = col("n");
    return tagged
        .groupBy(col(SPLIT), col(key))
        .agg(count(lit(1)).as("n"))
        .groupBy(SPLIT)
        .agg(
            avg(n).as(prefix + "_mean"),
            percentile_approx(n, lit(0.5), lit(10000)).cast("double").as(prefix + "_median"),
            percentile_approx(n, lit(0.9), lit(10000)).cast("double").as(prefix + "_p90"),
            max(n).cast("double").as(prefix + "_max"));
  }

  /**
   * Events per day per part (split, day, rows): the "events over time" chart and its summary
   * metrics.
   */
  public static Dataset<Row> eventsPerDay(Dataset<Row> tagged) {
    return tagged
        .groupBy(col(SPLIT), to_date(col(Schema.TS)).as("day"))
        .agg(count(lit(1)).as("rows"));
  }

  /** Mean and max events per day and the number of days with events, per part. */
  public static Dataset<Row> eventsPerDaySummary(Dataset<Row> eventsPerDay, String dataset) {
    Dataset<Row> wide =
        eventsPerDay
            .groupBy(SPLIT)
            .agg(
                avg("rows").as("events_per_day_mean"),
                max("rows").cast("double").as("events_per_day_max"),
                count(lit(1)).cast("double").as("days_with_events"));
    return longFormat(wide, dataset);
  }

  /**
   * Rows per rating rounded to 0.5 (split, rating, rows); null ratings (implicit events) are their
   * own bin.
   */
  public static Dataset<Row> ratingHistogram(Dataset<Row> tagged) {
    return tagged
        .groupBy(col(SPLIT), round(col(Schema.RATING).multiply(2)).divide(2).as("rating"))
        .agg(count(lit(1)).as("rows"));
  }

  /** The rating histogram as metrics {@code rating=4.0}, {@code rating=null}. */
  public static Dataset<Row> ratingMetrics(Dataset<Row> ratingHistogram, String dataset) {
    Column name =
        when(col("rating").isNull(), lit("rating=null"))
            .otherwise(concat(lit("rating="), format_number(col("rating"), 1)));
    return ratingHistogram.select(
        lit(dataset).as(DATASET),
        col(SPLIT),
        name.as(METRIC),
        col("rows").cast("double").as(VALUE));
  }

  /**
   * Users per power-of-two bin of their interaction count (split, bin, users): bin b holds users
   * with 2^b .. 2^(b+1)-1 interactions, readable for the long tail of recommender data.
   */
  public static Dataset<Row> interactionsPerUserHistogram(Dataset<Row> tagged) {
    return tagged
        .groupBy(col(SPLIT), col(Schema.USER_ID))
        .agg(count(lit(1)).as("n"))
        .groupBy(col(SPLIT), floor(log(2.0, col("n")).plus(1e-9)).cast("int").as("bin"))
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
