package dev.recdata.etl.clean;

import static dev.recdata.common.Schema.EVENT;
import static dev.recdata.common.Schema.EVENT_IMPRESSION;
import static dev.recdata.common.Schema.EVENT_LIKE;
import static dev.recdata.common.Schema.EVENT_RATING;
import static dev.recdata.common.Schema.ITEM_ID;
import static dev.recdata.common.Schema.RATING;
import static dev.recdata.common.Schema.REJECT_FILE;
import static dev.recdata.common.Schema.REJECT_LINE;
import static dev.recdata.common.Schema.REJECT_RAW;
import static dev.recdata.common.Schema.REJECT_REASON;
import static dev.recdata.common.Schema.REJECT_REASON_CODE;
import static dev.recdata.common.Schema.SOURCE;
import static dev.recdata.common.Schema.TS;
import static dev.recdata.common.Schema.USER_ID;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.current_timezone;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.DeterministicOrder;
import dev.recdata.common.Schema;
import dev.recdata.etl.RejectReason;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaning steps of the etl stage, each usable on its own ({@code Dataset<Row> -> Dataset<Row>}
 * over canonical interactions) and, for {@link CleaningPipeline}, as a "tagging" variant.
 *
 * <p>A tagged dataset is the canonical interactions plus a {@code _drop} column naming the step
 * that removes the row (null while the row is kept) and a {@code _reject_reason} column with the
 * text of a rejection. Tagging instead of filtering lets the pipeline count every step's removals
 * with one aggregate at the end, and makes "rows in = rows out + rejected + deduplicated +
 * filtered" hold by construction: every row has exactly one reason or none. A step only looks at
 * rows no earlier step dropped.
 */
public final class Cleaning {
  private Cleaning() {}

  private static final Logger LOG = LoggerFactory.getLogger(Cleaning.class);

  /** Rows with a missing or implausible timestamp; they also go to the rejects dataset. */
  static final String REJECTED = "rejected";

  static final String EXACT = "exact";
  static final String USER_ITEM = "user_item";
  static final String BELOW_THRESHOLD = "below_threshold";
  static final String WINDOW = "window";
  static final String K_CORE = "k_core";

  static final String DROP = "_drop";
  static final String REJECT_TEXT = "_reject_reason";
  static final String REJECT_CODE = "_reject_code";

  /**
   * Bound on k-core rounds. Each round removes at least one user or item, so the loop ends on its
   * own; real data settles in a handful of rounds, and a chain long enough to reach this bound
   * means pathological input. Hitting it is logged and reported ({@link KCore#converged()} false)
   * rather than looping on.
   */
  public static final int K_CORE_MAX_ITERATIONS = 50;

  private static final String[] CANONICAL = Schema.INTERACTIONS.fieldNames();

  // ---- steps on their own: canonical interactions in, canonical interactions out
  // --------------------------

  /** Rows whose timestamp is present and within [minTs, maxTs]. */
  public static Dataset<Row> rejectBadTimestamps(
      Dataset<Row> interactions, Instant minTs, Instant maxTs) {
    return kept(tagBadTimestamps(startTagging(interactions), minTs, maxTs));
  }

  /** The rows {@link #rejectBadTimestamps} removes, as {@link Schema#REJECTS} rows saying why. */
  public static Dataset<Row> badTimestamps(
      Dataset<Row> interactions, Instant minTs, Instant maxTs) {
    return rejects(tagBadTimestamps(startTagging(interactions), minTs, maxTs));
  }

  /** Removes exact duplicates (when asked) and repeated (user, item, event) rows by the policy. */
  public static Dataset<Row> dropDuplicates(
      Dataset<Row> interactions, boolean dropExactDuplicates, DuplicatePolicy policy) {
    return kept(tagDuplicates(startTagging(interactions), dropExactDuplicates, policy));
  }

  /**
   * Ratings at or above the threshold become likes (rating kept); ratings below it go; others
   * untouched.
   */
  public static Dataset<Row> toImplicit(Dataset<Row> interactions, float positiveThreshold) {
    return kept(tagImplicit(startTagging(interactions), positiveThreshold));
  }

  /**
   * Removes rows before {@code since} and rows more than {@code windowDays} days before the newest
   * row (the later of the two cut-offs when both are set). Runs one aggregate when {@code
   * windowDays} is set.
   */
  public static Dataset<Row> window(Dataset<Row> interactions, Instant since, Integer windowDays) {
    Dataset<Row> tagged = startTagging(interactions);
    return kept(tagWindow(tagged, windowCutoff(tagged, since, windowDays)));
  }

  /**
   * Keeps the (minUser, minItem)-core: the largest subset in which every user and every item has at
   * least the given number of positive interactions (rating or like). Impressions count for nothing
   * but leave with their user or item. Runs one aggregate per round; see {@link #tagKCore}.
   */
  public static Dataset<Row> kCore(
      Dataset<Row> interactions, int minUserInteractions, int minItemInteractions) {
    return kept(
        tagKCore(startTagging(interactions), minUserInteractions, minItemInteractions).tagged());
  }

  /**
   * etl's output order: each user's events in one partition (range-partitioned by user, so users
   * ascend across partitions and files) and within it by {@link Schema#USER_EVENT_ORDER}. Per-user
   * time order is what splits, sequences and training read; a global time order was never read by
   * anything, and this layout lets the split stage cut every user in one pass over the files
   * without shuffling them again.
   */
  public static Dataset<Row> clusterByUser(Dataset<Row> interactions) {
    String[] order =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(USER_ID), Schema.USER_EVENT_ORDER.stream())
            .toArray(String[]::new);
    // not repartitionByRange: its boundaries, and so the files, would move with the RDD ids
    return DeterministicOrder.clusterBy(interactions, USER_ID, order);
  }

  /**
   * One total order for comparing results: by ts, then user, item and event; source and rating last
   * so that even KEEP_ALL output has one order.
   */
  public static Dataset<Row> sortCanonical(Dataset<Row> interactions) {
    return interactions.orderBy(
        col(TS).asc(),
        col(USER_ID).asc(),
        col(ITEM_ID).asc(),
        col(EVENT).asc(),
        col(SOURCE).asc(),
        col(RATING).asc_nulls_first());
  }

  // ---- tagging
  // --------------------------------------------------------------------------------------------

  /** The canonical columns plus empty tags: every row kept. */
  static Dataset<Row> startTagging(Dataset<Row> interactions) {
    Column[] columns = Arrays.copyOf(canonicalColumns(), CANONICAL.length + 3);
    columns[CANONICAL.length] = lit(null).cast(DataTypes.StringType).as(DROP);
    columns[CANONICAL.length + 1] = lit(null).cast(DataTypes.StringType).as(REJECT_TEXT);
    columns[CANONICAL.length + 2] = lit(null).cast(DataTypes.StringType).as(REJECT_CODE);
    return interactions.select(columns);
  }

  /** The rows no step dropped, as canonical interactions. */
  static Dataset<Row> kept(Dataset<Row> tagged) {
    return tagged.where(alive()).select(canonicalColumns());
  }

  /**
   * The rows tagged {@link #REJECTED} as {@link Schema#REJECTS} (no file or line: they come from
   * data).
   */
  static Dataset<Row> rejects(Dataset<Row> tagged) {
    return tagged
        .where(col(DROP).equalTo(REJECTED))
        .select(
            col(SOURCE),
            lit(null).cast(DataTypes.StringType).as(REJECT_FILE),
            lit(null).cast(DataTypes.LongType).as(REJECT_LINE),
            renderRow().as(REJECT_RAW),
            col(REJECT_TEXT).as(REJECT_REASON),
            col(REJECT_CODE).as(REJECT_REASON_CODE));
  }

  static Dataset<Row> tagBadTimestamps(Dataset<Row> tagged, Instant minTs, Instant maxTs) {
    Column ts = col(TS);
    List<RejectReason.Check> checks =
        List.of(
            new RejectReason.Check(ts.isNull(), RejectReason.EMPTY_TIMESTAMP),
            new RejectReason.Check(
                ts.lt(lit(minTs)),
                RejectReason.TIMESTAMP_BEFORE_MIN,
                renderTs(ts),
                lit(minTs.toString())),
            new RejectReason.Check(
                ts.gt(lit(maxTs)),
                RejectReason.TIMESTAMP_AFTER_MAX,
                renderTs(ts),
                lit(maxTs.toString())));
    Column problem = RejectReason.firstMessage(checks);
    Column code = RejectReason.firstCode(checks);
    return tagged
        .withColumn(REJECT_CODE, when(alive(), code).otherwise(col(REJECT_CODE)))
        .withColumn(REJECT_TEXT, when(alive(), problem).otherwise(col(REJECT_TEXT)))
        .withColumn(
            DROP,
            when(alive().and(col(REJECT_TEXT).isNotNull()), lit(REJECTED)).otherwise(col(DROP)));
  }

  /**
   * One window over (user, item, event) ordered so the row to keep comes first: by ts (newest first
   * for KEEP_LATEST, oldest first for KEEP_FIRST), then higher rating, then source A-Z. That order
   * covers all six columns, so exact duplicates sit next to each other and a lag finds them in the
   * same pass: one shuffle for both kinds of duplicate. Dropped rows are partitioned apart so they
   * never shadow a kept one.
   */
  static Dataset<Row> tagDuplicates(
      Dataset<Row> tagged, boolean dropExactDuplicates, DuplicatePolicy policy) {
    if (!dropExactDuplicates && policy == DuplicatePolicy.KEEP_ALL) {
      return tagged;
    }
    Column byTs = policy == DuplicatePolicy.KEEP_FIRST ? col(TS).asc() : col(TS).desc();
    WindowSpec sameEvent =
        Window.partitionBy(col(USER_ID), col(ITEM_ID), col(EVENT), alive())
            .orderBy(byTs, col(RATING).desc_nulls_last(), col(SOURCE).asc());
    Column position = row_number().over(sameEvent);
    Column sameAsPrevious =
        position
            .gt(1)
            .and(lag(col(TS), 1).over(sameEvent).eqNullSafe(col(TS)))
            .and(lag(col(RATING), 1).over(sameEvent).eqNullSafe(col(RATING)))
            .and(lag(col(SOURCE), 1).over(sameEvent).eqNullSafe(col(SOURCE)));
    Column reason =
        when(lit(dropExactDuplicates).and(sameAsPrevious), lit(EXACT))
            .when(lit(policy != DuplicatePolicy.KEEP_ALL).and(position.gt(1)), lit(USER_ITEM));
    return tagged.withColumn(DROP, when(alive(), reason).otherwise(col(DROP)));
  }

  /** A rating without a value cannot reach the threshold, so it is dropped with the low ones. */
  static Dataset<Row> tagImplicit(Dataset<Row> tagged, Float positiveThreshold) {
    if (positiveThreshold == null) {
      return tagged;
    }
    Column rating = col(EVENT).equalTo(EVENT_RATING).and(alive());
    Column positive = coalesce(col(RATING).geq(lit(positiveThreshold)), lit(false));
    return tagged
        .withColumn(
            DROP, when(rating.and(not(positive)), lit(BELOW_THRESHOLD)).otherwise(col(DROP)))
        .withColumn(EVENT, when(rating.and(positive), lit(EVENT_LIKE)).otherwise(col(EVENT)));
  }

  /**
   * The earliest ts a row may have to stay: {@code since}, or {@code windowDays} before the newest
   * kept row, or the later of both; null when neither is set. The newest row is one aggregate over
   * the kept rows (after the earlier steps, the same answer as running the steps one by one).
   */
  static Instant windowCutoff(Dataset<Row> tagged, Instant since, Integer windowDays) {
    if (windowDays == null) {
      return since;
    }
    Row newest = tagged.where(alive()).agg(max(col(TS))).first();
    if (newest.isNullAt(0)) {
      return since;
    }
    Object value = newest.get(0);
    Instant newestTs = value instanceof Instant ? (Instant) value : ((Timestamp) value).toInstant();
    Instant fromNewest = newestTs.minus(Duration.ofDays(windowDays));
    return since == null || fromNewest.isAfter(since) ? fromNewest : since;
  }

  static Dataset<Row> tagWindow(Dataset<Row> tagged, Instant cutoff) {
    if (cutoff == null) {
      return tagged;
    }
    return tagged.withColumn(
        DROP, when(alive().and(col(TS).lt(lit(cutoff))), lit(WINDOW)).otherwise(col(DROP)));
  }

  /** The tagged rows after k-core, and how the rounds went. */
  record KCore(Dataset<Row> tagged, int iterations, boolean converged) {}

  private static final String KIND = "_kind";
  private static final String ID = "_id";
  private static final String POSITIVES = "_positives";
  private static final String IS_POSITIVE = "_positive";
  private static final String CORE_USER = "_core_user";
  private static final String CORE_ITEM = "_core_item";
  private static final int USER = 0;
  private static final int ITEM = 1;

  /**
   * Iterated k-core over the kept rows. Each round is one aggregate: the kept rows restricted to
   * the users and items that survived the last round, exploded into (user, id) and (item, id) keys
   * and summed to positive counts; the keys under their minimum are gone for the next round. Users
   * and items are few next to rows, so the survivors are persisted (small) and applied with
   * semi-joins Spark broadcasts by their cached size, rather than collected to the driver. The loop
   * stops when a round finds no one under the minimum (the next round would change nothing).
   * Removing users and items in the same round reaches the same fixed point as removing them one at
   * a time: the core is the unique largest subset meeting both minimums.
   *
   * <p>Persist rather than localCheckpoint for the survivor lists: a cached relation reports its
   * real size, which is what lets Spark choose the broadcast; the price is a logical plan that
   * nests one level per round, harmless for the handful of rounds real data needs.
   *
   * <p>At the end each kept row whose user or item is not among the survivors is tagged {@link
   * #K_CORE}; the row data is never copied, only the survivor lists.
   */
  static KCore tagKCore(Dataset<Row> tagged, int minUserInteractions, int minItemInteractions) {
    if (minUserInteractions <= 0 && minItemInteractions <= 0) {
      return new KCore(tagged, 0, true);
    }
    Dataset<Row> alive = tagged.where(alive()).select(col(USER_ID), col(ITEM_ID), col(EVENT));
    Column passes =
        when(col(KIND).equalTo(USER), col(POSITIVES).geq(minUserInteractions))
            .otherwise(col(POSITIVES).geq(minItemInteractions));
    Dataset<Row> previousCounts = null;
    Dataset<Row> survivors = null; // null: nobody removed yet
    int iterations = 0;
    boolean converged = false;
    while (!converged && iterations < K_CORE_MAX_ITERATIONS) {
      iterations++;
      Dataset<Row> edges = survivors == null ? alive : restrict(alive, survivors);
      Dataset<Row> counts = positivesPerUserAndItem(edges).persist(StorageLevel.MEMORY_AND_DISK());
      long below = counts.where(not(passes)).count();
      if (previousCounts != null) {
        previousCounts.unpersist(); // counts is materialised and no longer needs it
      }
      previousCounts = counts;
      survivors = counts.where(passes).select(col(KIND), col(ID));
      converged = below == 0;
    }
    if (!converged) {
      LOG.warn(
          "k-core ({} per user, {} per item) still removing users or items after {} rounds; stopping there, "
              + "so some users or items may be under the minimum",
          minUserInteractions,
          minItemInteractions,
          iterations);
    }
    Dataset<Row> coreUsers = idsOf(survivors, USER, CORE_USER);
    Dataset<Row> coreItems = idsOf(survivors, ITEM, CORE_ITEM);
    Dataset<Row> joined =
        tagged
            .join(coreUsers, col(USER_ID).equalTo(coreUsers.col(CORE_USER)), "left")
            .join(coreItems, col(ITEM_ID).equalTo(coreItems.col(CORE_ITEM)), "left");
    Column outsideCore = col(CORE_USER).isNull().or(col(CORE_ITEM).isNull());
    Dataset<Row> coreTagged =
        joined
            .withColumn(DROP, when(alive().and(outsideCore), lit(K_CORE)).otherwise(col(DROP)))
            .select(Arrays.stream(tagged.columns()).map(c -> col(c)).toArray(Column[]::new));
    return new KCore(coreTagged, iterations, converged);
  }

  private static Dataset<Row> positivesPerUserAndItem(Dataset<Row> edges) {
    Column positive = when(col(EVENT).isin(EVENT_RATING, EVENT_LIKE), 1).otherwise(0);
    Column keys =
        array(
            struct(lit(USER).as(KIND), col(USER_ID).as(ID), positive.as(IS_POSITIVE)),
            struct(lit(ITEM).as(KIND), col(ITEM_ID).as(ID), positive.as(IS_POSITIVE)));
    return edges
        .select(explode(keys).as("key"))
        .select(col("key.*"))
        .groupBy(col(KIND), col(ID))
        .agg(sum(col(IS_POSITIVE)).as(POSITIVES));
  }

  private static Dataset<Row> restrict(Dataset<Row> edges, Dataset<Row> survivors) {
    Dataset<Row> users = idsOf(survivors, USER, CORE_USER);
    Dataset<Row> items = idsOf(survivors, ITEM, CORE_ITEM);
    return edges
        .join(users, col(USER_ID).equalTo(users.col(CORE_USER)), "left_semi")
        .join(items, col(ITEM_ID).equalTo(items.col(CORE_ITEM)), "left_semi");
  }

  private static Dataset<Row> idsOf(Dataset<Row> survivors, int kind, String name) {
    return survivors.where(col(KIND).equalTo(kind)).select(col(ID).as(name));
  }

  // ---- small pieces
  // ---------------------------------------------------------------------------------------

  static Column alive() {
    return col(DROP).isNull();
  }

  private static Column[] canonicalColumns() {
    return Arrays.stream(CANONICAL).map(c -> col(c)).toArray(Column[]::new);
  }

  /**
   * ISO-8601 in UTC whatever the session time zone, like {@link Instant#toString()} for whole
   * seconds.
   */
  private static Column renderTs(Column ts) {
    return date_format(to_utc_timestamp(ts, current_timezone()), "yyyy-MM-dd'T'HH:mm:ss'Z'");
  }

  /** "user_id=1, item_id=2, rating=4.0, ts=1970-01-01T00:00:00Z, event=rating, source=ml-100k". */
  private static Column renderRow() {
    Column[] fields = new Column[CANONICAL.length];
    for (int i = 0; i < CANONICAL.length; i++) {
      StructField field = Schema.INTERACTIONS.fields()[i];
      Column value =
          field.name().equals(TS)
              ? renderTs(col(TS))
              : col(field.name()).cast(DataTypes.StringType);
      fields[i] = concat(lit(field.name() + "="), coalesce(value, lit("null")));
    }
    return concat_ws(", ", fields);
  }

  /**
   * Events the id maps and the k-core know; anything else would have been rejected by the readers.
   */
  static final String[] EVENTS = {EVENT_RATING, EVENT_LIKE, EVENT_IMPRESSION};
}
