package dev.recdata.quality;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The quality checks, each a function of a tagged split (every row of train, validation and test
 * with a {@link Metrics#SPLIT} column naming its part) to one {@link CheckResult}. Every check
 * reduces the data with a Spark aggregate or join to a few numbers; no row-level data reaches the
 * driver.
 */
public final class Checks {
  private Checks() {}

  public static final String ROW_CONSERVATION = "row_conservation";
  public static final String ROWS_IN_TWO_SPLITS = "rows_in_two_splits";
  public static final String PAIR_LEAKAGE = "pair_leakage";
  public static final String TEMPORAL_LEAKAGE = "temporal_leakage";
  public static final String CUTOFF_LEAKAGE = "cutoff_leakage";
  public static final String RATIO_PER_USER = "ratio_per_user";
  public static final String RATIO_OVERALL = "ratio_overall";
  public static final String COLD_START_USERS = "cold_start_users";
  public static final String COLD_START_ITEMS = "cold_start_items";
  public static final String DUPLICATES = "duplicates";
  public static final String NULL_IDS = "null_ids";
  public static final String ID_RANGE = "id_range";

  /**
   * Columns of {@link #userSplitCounts}: events per user and whether the user's split is on target.
   */
  public static final String EVENTS = "events";

  public static final String ELIGIBLE = "eligible";
  public static final String EXACT = "exact_allocation";
  public static final String WITHIN = "within_tolerance";
  public static final String CONFORMS = "conforms";

  public static final StructType RESULT_SCHEMA =
      new StructType()
          .add("check", DataTypes.StringType, false)
          .add("level", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("observed", DataTypes.DoubleType, true)
          .add("threshold", DataTypes.DoubleType, true)
          .add("message", DataTypes.StringType, false);

  /**
   * The results as a DataFrame (check, level, status, observed, threshold, message), e.g. to store
   * or show.
   */
  public static Dataset<Row> asRows(SparkSession spark, List<CheckResult> results) {
    List<Row> rows = new ArrayList<>();
    for (CheckResult r : results) {
      rows.add(
          RowFactory.create(
              r.check(),
              r.level().name(),
              r.status().label(),
              r.observed(),
              r.threshold(),
              r.message()));
    }
    return spark.createDataFrame(rows, RESULT_SCHEMA);
  }

  /**
   * The parts add up to the input: {@code sum(rows of every part) == expectedRows}, where the split
   * manifest gives {@code expectedRows = counts.input - counts.impressions_excluded}. Observed is
   * the absolute difference in rows.
   */
  public static CheckResult rowConservation(GroupStats stats, long expectedRows) {
    long actual = stats.user(GroupStats.ROWS);
    long difference = Math.abs(actual - expectedRows);
    return CheckResult.atMost(
        ROW_CONSERVATION,
        Level.ERROR,
        difference,
        0,
        String.format(
            Locale.ROOT,
            "the parts hold %,d rows; the input minus excluded impressions is %,d (%s)",
            actual,
            expectedRows,
            difference == 0
                ? "conserved"
                : (actual > expectedRows ? "rows were added" : "rows were lost")));
  }

  /** No row sits in two parts: rows equal in every column but found in more than one part. */
  public static CheckResult rowsInTwoSplits(GroupStats stats) {
    long shared = stats.user(GroupStats.SHARED_ROWS);
    return CheckResult.atMost(
        ROWS_IN_TWO_SPLITS,
        Level.ERROR,
        shared,
        0,
        String.format(Locale.ROOT, "%,d distinct rows occur in more than one part", shared));
  }

  /**
   * Share of evaluation rows whose (user, item) pair also occurs in train: the model has already
   * seen them.
   */
  public static CheckResult pairLeakage(GroupStats stats, double maxShare) {
    long evaluationRows = stats.user(GroupStats.EVAL_ROWS);
    long leaked = stats.user(GroupStats.LEAKED_PAIRS);
    double share = share(leaked, evaluationRows);
    return CheckResult.atMost(
        PAIR_LEAKAGE,
        Level.ERROR,
        share,
        maxShare,
        String.format(
            Locale.ROOT,
            "%,d of %,d evaluation rows (share %.4f) repeat a (user, item) pair of train",
            leaked,
            evaluationRows,
            share));
  }

  /**
   * Share of evaluation rows earlier than the same user's last training event (a temporal split
   * must put every evaluation event at or after the user's training history). Random strategies mix
   * times by design, so the caller passes {@link Level#WARNING} for them.
   */
  public static CheckResult temporalLeakage(GroupStats stats, Level level, double maxShare) {
    long rows = stats.user(GroupStats.EVAL_ROWS);
    long early = stats.user(GroupStats.EARLY_ROWS);
    double share = share(early, rows);
    return CheckResult.atMost(
        TEMPORAL_LEAKAGE,
        level,
        share,
        maxShare,
        String.format(
            Locale.ROOT,
            "%,d of %,d evaluation rows (share %.4f) are earlier than their user's last training event",
            early,
            rows,
            share));
  }

  /**
   * Global-time splits: rows on the wrong side of a cutoff. Part {@code i} (0 = train) must lie in
   * {@code [cutoffs[i-1], cutoffs[i]]}; an evaluation row at exactly its cutoff is on time. With
   * one cutoff and three parts the cutoff bounds train from above and validation and test from
   * below. Observed is a row count.
   */
  public static CheckResult cutoffLeakage(
      Dataset<Row> tagged, List<String> parts, List<Instant> cutoffs) {
    if (cutoffs.isEmpty()) {
      return CheckResult.skipped(CUTOFF_LEAKAGE, Level.ERROR, "the manifest records no cutoffs");
    }
    Column wrongSide = lit(false);
    int last = cutoffs.size() - 1;
    for (int i = 0; i < parts.size(); i++) {
      Column inPart = col(Metrics.SPLIT).equalTo(parts.get(i));
      if (i >= 1) {
        wrongSide =
            wrongSide.or(
                inPart.and(col(Schema.TS).lt(timestamp(cutoffs.get(Math.min(i - 1, last))))));
      }
      if (i < parts.size() - 1 && i <= last) {
        wrongSide = wrongSide.or(inPart.and(col(Schema.TS).gt(timestamp(cutoffs.get(i)))));
      }
    }
    long wrong = tagged.where(wrongSide).count();
    return CheckResult.atMost(
        CUTOFF_LEAKAGE,
        Level.ERROR,
        wrong,
        0,
        String.format(
            Locale.ROOT, "%,d rows lie on the wrong side of the cutoffs %s", wrong, cutoffs));
  }

  /**
   * Per user: events in each part, realized fractions and whether the split is on target. A user
   * conforms when the counts equal the exact integer allocation by largest remainder (floor(n*r_i),
   * leftover units to the largest remainders, ties to the earlier part, then at least one train
   * event taken from the last non-empty part), or when every realized fraction is within {@code
   * max(tolerance, 1/n)} of its target; users with fewer than {@code minInteractions} events are
   * not eligible (the split keeps them whole in train). One shuffle (group by user).
   *
   * <p>Columns: user_id, events, n_PART and frac_PART for every part, eligible, exact_allocation,
   * within_tolerance, conforms.
   */
  public static Dataset<Row> userSplitCounts(
      GroupStats stats, double[] ratios, double tolerance, int minInteractions) {
    List<String> parts = stats.parts;
    Dataset<Row> perUser = userPartCounts(stats, minInteractions);
    Column n = col(EVENTS);
    int k = parts.size();
    Column[] base = new Column[k];
    Column[] remainder = new Column[k];
    for (int i = 0; i < k; i++) {
      // Rounded before floor so 10 * 0.7 = 7.000000000000001 does not lose a unit.
      Column exact = round(n.multiply(ratios[i]), 9);
      base[i] = floor(exact);
      remainder[i] = exact.minus(base[i]);
    }
    Column baseSum = lit(0);
    for (Column b : base) {
      baseSum = baseSum.plus(b);
    }
    Column leftover = n.minus(baseSum);
    Column[] allocation = new Column[k];
    for (int i = 0; i < k; i++) {
      Column rank = lit(0);
      for (int j = 0; j < k; j++) {
        if (j == i) {
          continue;
        }
        Column before = j < i ? remainder[j].geq(remainder[i]) : remainder[j].gt(remainder[i]);
        rank = rank.plus(when(before, 1).otherwise(0));
      }
      allocation[i] = base[i].plus(when(rank.lt(leftover), 1).otherwise(0));
    }
    // Train gets at least one event: the unit comes from the last part that has one.
    Column trainEmpty = allocation[0].equalTo(0).and(n.gt(0));
    Column[] adjusted = allocation.clone();
    adjusted[0] = when(trainEmpty, 1).otherwise(allocation[0]);
    Column taken = trainEmpty;
    for (int i = k - 1; i >= 1; i--) {
      Column takeHere = taken.and(allocation[i].gt(0));
      adjusted[i] = when(takeHere, allocation[i].minus(1)).otherwise(allocation[i]);
      taken = taken.and(allocation[i].equalTo(0));
    }
    Column exactAllocation = lit(true);
    Column within = lit(true);
    Column allowed = greatest(lit(tolerance), lit(1.0).divide(n));
    for (int i = 0; i < k; i++) {
      Column count = col("n_" + parts.get(i));
      exactAllocation = exactAllocation.and(count.equalTo(adjusted[i]));
      within =
          within.and(abs(col("frac_" + parts.get(i)).minus(ratios[i])).leq(allowed.plus(1e-9)));
    }
    return perUser
        .withColumn(EXACT, exactAllocation)
        .withColumn(WITHIN, within)
        .withColumn(CONFORMS, exactAllocation.or(within));
  }

  /**
   * Per user: events in each part and the realized fractions, whatever the strategy. Columns:
   * user_id, events, n_PART and frac_PART for every part, eligible (at least {@code
   * minInteractions} events). From {@link GroupStats#perUser}: no pass over the rows of its own.
   */
  static Dataset<Row> userPartCounts(GroupStats stats, int minInteractions) {
    List<String> parts = stats.parts;
    Dataset<Row> perUser = stats.perUser;
    Column n = col(EVENTS);
    List<Column> select = new ArrayList<>();
    select.add(col(Schema.USER_ID));
    select.add(n);
    for (String part : parts) {
      select.add(col("n_" + part));
      select.add(col("n_" + part).divide(n).as("frac_" + part));
    }
    select.add(n.geq(minInteractions).as(ELIGIBLE));
    return perUser.select(select.toArray(Column[]::new));
  }

  /** Share of eligible users whose split is on target (see {@link #userSplitCounts}). */
  public static CheckResult ratioPerUser(
      Dataset<Row> userSplitCounts, double minShare, String target) {
    Row r =
        userSplitCounts
            .where(col(ELIGIBLE))
            .agg(
                count(lit(1)),
                sum(when(col(CONFORMS), 1).otherwise(0)),
                sum(when(col(EXACT), 1).otherwise(0)))
            .first();
    long users = r.getLong(0);
    long conforming = r.isNullAt(1) ? 0 : r.getLong(1);
    long exact = r.isNullAt(2) ? 0 : r.getLong(2);
    double share = users == 0 ? 1.0 : (double) conforming / users;
    return CheckResult.atLeast(
        RATIO_PER_USER,
        Level.ERROR,
        share,
        minShare,
        String.format(
            Locale.ROOT,
            "%,d of %,d eligible users (share %.4f, at least %.4f expected) are split %s "
                + "(%,d at the exact largest-remainder allocation)",
            conforming,
            users,
            share,
            minShare,
            target,
            exact));
  }

  /**
   * The overall fraction of rows in each part against its target ratio; observed is the largest
   * deviation.
   */
  public static CheckResult ratioOverall(GroupStats stats, double[] ratios, double tolerance) {
    List<String> parts = stats.parts;
    long total = stats.user(GroupStats.ROWS);
    double worst = 0;
    StringBuilder realized = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      long rows = stats.user(GroupStats.nColumn(parts.get(i)));
      double fraction = share(rows, total);
      worst = Math.max(worst, Math.abs(fraction - ratios[i]));
      realized.append(
          String.format(Locale.ROOT, "%s%s %.4f", i == 0 ? "" : ", ", parts.get(i), fraction));
    }
    return CheckResult.atMost(
        RATIO_OVERALL,
        Level.WARNING,
        worst,
        tolerance,
        String.format(
            Locale.ROOT,
            "overall fractions %s against target %s; largest deviation %.4f",
            realized,
            Arrays.toString(ratios),
            worst));
  }

  /** Users of validation or test that have no training event: a model cannot score them. */
  public static CheckResult coldStartUsers(GroupStats stats, double maxShare) {
    return coldStart(
        stats.user(GroupStats.EVAL_USERS),
        stats.user(GroupStats.COLD_USERS),
        COLD_START_USERS,
        "users",
        maxShare);
  }

  /** Items of validation or test that never occur in train, as a share of the evaluated items. */
  public static CheckResult coldStartItems(GroupStats stats, double maxShare) {
    return coldStart(
        stats.item(GroupStats.EVAL_ITEMS),
        stats.item(GroupStats.COLD_ITEMS),
        COLD_START_ITEMS,
        "items",
        maxShare);
  }

  private static CheckResult coldStart(
      long total, long cold, String check, String what, double maxShare) {
    double share = total == 0 ? 0.0 : (double) cold / total;
    return CheckResult.atMost(
        check,
        Level.WARNING,
        share,
        maxShare,
        String.format(
            Locale.ROOT,
            "%,d of %,d evaluation %s (%.1f%%) do not occur in train",
            cold,
            total,
            what,
            100 * share));
  }

  /**
   * Extra copies of rows equal in every column within one part (the etl stage removes exact
   * duplicates).
   */
  public static CheckResult duplicates(GroupStats stats) {
    long extra = stats.user(GroupStats.EXTRA_COPIES);
    return CheckResult.atMost(
        DUPLICATES,
        Level.ERROR,
        extra,
        0,
        String.format(Locale.ROOT, "%,d extra copies of identical rows within a part", extra));
  }

  /**
   * Rows with a null user id, item id or timestamp: the canonical schema declares them required.
   */
  public static CheckResult nullIds(GroupStats stats) {
    long users = stats.user(GroupStats.NULL_USER_ROWS);
    long items = stats.user(GroupStats.NULL_ITEMS);
    long times = stats.user(GroupStats.NULL_TS);
    return CheckResult.atMost(
        NULL_IDS,
        Level.ERROR,
        users + items + times,
        0,
        String.format(
            Locale.ROOT,
            "null %s: %,d, null %s: %,d, null %s: %,d",
            Schema.USER_ID,
            users,
            Schema.ITEM_ID,
            items,
            Schema.TS,
            times));
  }

  /**
   * Evaluation rows whose user or item id lies outside the [min, max] range of the training ids,
   * which an index built from train cannot map. A warning like cold start, of which it is a coarser
   * view.
   */
  public static CheckResult idRange(Dataset<Row> tagged, GroupStats stats) {
    Long userMin = GroupStats.bound(stats.users, GroupStats.TRAIN_USER_MIN);
    Long userMax = GroupStats.bound(stats.users, GroupStats.TRAIN_USER_MAX);
    Long itemMin = GroupStats.bound(stats.items, GroupStats.TRAIN_ITEM_MIN);
    Long itemMax = GroupStats.bound(stats.items, GroupStats.TRAIN_ITEM_MAX);
    long outside;
    String detail;
    if (userMin == null || itemMin == null) {
      // train has no row with a user id (or none with an item id): nothing to map evaluation to
      outside = stats.user(GroupStats.EVAL_ROWS);
      detail = "train is empty";
    } else {
      Column userOutside = col(Schema.USER_ID).lt(userMin).or(col(Schema.USER_ID).gt(userMax));
      Column itemOutside = col(Schema.ITEM_ID).lt(itemMin).or(col(Schema.ITEM_ID).gt(itemMax));
      outside = evaluation(tagged).where(userOutside.or(itemOutside)).count();
      detail =
          String.format(
              Locale.ROOT,
              "train %s in [%d, %d], %s in [%d, %d]",
              Schema.USER_ID,
              userMin,
              userMax,
              Schema.ITEM_ID,
              itemMin,
              itemMax);
    }
    return CheckResult.atMost(
        ID_RANGE,
        Level.WARNING,
        outside,
        0,
        String.format(
            Locale.ROOT,
            "%,d evaluation rows have an id outside the training range (%s)",
            outside,
            detail));
  }

  static Dataset<Row> evaluation(Dataset<Row> tagged) {
    return tagged.where(col(Metrics.SPLIT).notEqual(Schema.Layout.TRAIN));
  }

  private static Column timestamp(Instant instant) {
    return lit(Timestamp.from(instant));
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
