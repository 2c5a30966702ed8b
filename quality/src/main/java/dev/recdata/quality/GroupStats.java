package dev.recdata.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.KeyRuns;
import dev.recdata.common.Schema;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One group's rows reduced, in two passes, to what every check and most metrics need. Leakage,
 * duplicates, rows in two parts, ratio conformance and cold-start users are all questions about one
 * user's rows, so one shuffle by user answers them together ({@link #perUser}); cold-start items
 * and the per-item distribution come from one map-side-combined count per item and part ({@link
 * #perItem}). Each check is then arithmetic on two rows of totals ({@link #users}, {@link #items})
 * the driver fetches once, instead of a shuffle of every row per check, which made quality cost
 * more than the split it checks.
 *
 * <p>The definitions are those of the checks' documentation: rows equal in every column are the
 * same row; an evaluation row leaks a pair when the same user has the item in train, is early when
 * its timestamp is before the user's last training timestamp; a null id or timestamp matches
 * nothing, as in a join.
 */
final class GroupStats implements AutoCloseable {
  // perUser columns beside user_id, events and n_PART
  static final String SHARED_ROWS = "shared_rows";
  static final String EXTRA_COPIES = "extra_copies";
  static final String EVAL_ROWS = "eval_rows";
  static final String LEAKED_PAIRS = "leaked_pairs";
  static final String EARLY_ROWS = "early_rows";
  static final String NULL_ITEMS = "null_items";
  static final String NULL_TS = "null_ts";

  /** The per-user counts, in {@link #perUser}'s column order; each is summed in {@link #users}. */
  private static final String[] PER_USER_COUNTS = {
    SHARED_ROWS, EXTRA_COPIES, EVAL_ROWS, LEAKED_PAIRS, EARLY_ROWS, NULL_ITEMS, NULL_TS
  };

  final List<String> parts;

  /** user_id, events, n_PART per part, and the per-user counts above; cached. */
  final Dataset<Row> perUser;

  /** item_id, events, n_PART per part; cached. */
  final Dataset<Row> perItem;

  /** Sums and ranges over {@link #perUser}, see {@link #userTotals}. */
  final Row users;

  /** Counts and ranges over {@link #perItem}, see {@link #itemTotals}. */
  final Row items;

  private GroupStats(List<String> parts, Dataset<Row> perUser, Dataset<Row> perItem) {
    this.parts = List.copyOf(parts);
    this.perUser = perUser;
    this.perItem = perItem;
    this.users = aggregate(perUser, userTotals(parts));
    this.items = aggregate(perItem, itemTotals(parts));
  }

  /**
   * @param tagged every row of the group with its part in {@link Metrics#SPLIT}
   * @param parts the group's parts, train first
   */
  static GroupStats of(Dataset<Row> tagged, List<String> parts) {
    Dataset<Row> rows =
        tagged.select(
            col(Schema.USER_ID),
            col(Schema.ITEM_ID),
            col(Schema.RATING),
            col(Schema.TS),
            col(Schema.EVENT),
            col(Schema.SOURCE),
            col(Metrics.SPLIT));
    Dataset<Row> perUser =
        rows.repartition(col(Schema.USER_ID))
            .sortWithinPartitions(col(Schema.USER_ID))
            .mapPartitions(new PerUser(parts), Encoders.row(perUserSchema(parts)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Column> perPart = new ArrayList<>();
    for (String part : parts) {
      perPart.add(sum(when(col(Metrics.SPLIT).equalTo(part), 1L).otherwise(0L)).as(nColumn(part)));
    }
    Dataset<Row> perItem =
        rows.groupBy(col(Schema.ITEM_ID))
            .agg(count(lit(1)).as(Checks.EVENTS), perPart.toArray(Column[]::new))
            .persist(StorageLevel.MEMORY_AND_DISK());
    return new GroupStats(parts, perUser, perItem);
  }

  static String nColumn(String part) {
    return "n_" + part;
  }

  long user(String total) {
    Long value = bound(users, total);
    return value == null ? 0 : value;
  }

  long item(String total) {
    Long value = bound(items, total);
    return value == null ? 0 : value;
  }

  /**
   * A total of {@link #users} or {@link #items}; null when no row had one (a range of no train).
   */
  static Long bound(Row totals, String name) {
    int i = totals.fieldIndex(name);
    return totals.isNullAt(i) ? null : totals.getLong(i);
  }

  /** One aggregate of {@code columns} over {@code rows}, fetched to the driver as one row. */
  static Row aggregate(Dataset<Row> rows, Column[] columns) {
    return rows.agg(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length)).first();
  }

  @Override
  public void close() {
    perUser.unpersist();
    perItem.unpersist();
  }

  // users' totals
  static final String ROWS = "rows";
  static final String EVAL_USERS = "eval_users";
  static final String COLD_USERS = "cold_users";
  static final String NULL_USER_ROWS = "null_user_rows";
  static final String TRAIN_USER_MIN = "train_user_min";
  static final String TRAIN_USER_MAX = "train_user_max";
  // items' totals
  static final String EVAL_ITEMS = "eval_items";
  static final String COLD_ITEMS = "cold_items";
  static final String TRAIN_ITEM_MIN = "train_item_min";
  static final String TRAIN_ITEM_MAX = "train_item_max";

  private static Column[] userTotals(List<String> parts) {
    Column train = trainRows(parts);
    Column evaluation = col(EVAL_ROWS).gt(0);
    Column userNull = col(Schema.USER_ID).isNull();
    List<Column> totals = new ArrayList<>();
    totals.add(sum(col(Checks.EVENTS)).as(ROWS));
    for (String part : parts) {
      totals.add(sum(col(nColumn(part))).as(nColumn(part)));
    }
    for (String name : PER_USER_COUNTS) {
      totals.add(sum(col(name)).as(name));
    }
    totals.add(count(when(evaluation, 1)).as(EVAL_USERS));
    // a null user id matches no training row in a join: its evaluation rows are cold
    totals.add(count(when(evaluation.and(train.equalTo(0).or(userNull)), 1)).as(COLD_USERS));
    totals.add(sum(when(userNull, col(Checks.EVENTS)).otherwise(0L)).as(NULL_USER_ROWS));
    totals.add(min(when(train.gt(0), col(Schema.USER_ID))).as(TRAIN_USER_MIN));
    totals.add(max(when(train.gt(0), col(Schema.USER_ID))).as(TRAIN_USER_MAX));
    return totals.toArray(Column[]::new);
  }

  private static Column[] itemTotals(List<String> parts) {
    Column train = trainRows(parts);
    Column evaluation = col(Checks.EVENTS).gt(train);
    Column itemNull = col(Schema.ITEM_ID).isNull();
    return new Column[] {
      count(when(evaluation, 1)).as(EVAL_ITEMS),
      count(when(evaluation.and(train.equalTo(0).or(itemNull)), 1)).as(COLD_ITEMS),
      min(when(train.gt(0), col(Schema.ITEM_ID))).as(TRAIN_ITEM_MIN),
      max(when(train.gt(0), col(Schema.ITEM_ID))).as(TRAIN_ITEM_MAX)
    };
  }

  /** The train count of a per-user or per-item row; 0 when the group has no train part. */
  private static Column trainRows(List<String> parts) {
    return parts.contains(Schema.Layout.TRAIN) ? col(nColumn(Schema.Layout.TRAIN)) : lit(0L);
  }

  static StructType perUserSchema(List<String> parts) {
    StructType schema =
        new StructType()
            .add(Schema.USER_ID, DataTypes.LongType, true)
            .add(Checks.EVENTS, DataTypes.LongType, false);
    for (String part : parts) {
      schema = schema.add(nColumn(part), DataTypes.LongType, false);
    }
    for (String name : PER_USER_COUNTS) {
      schema = schema.add(name, DataTypes.LongType, false);
    }
    return schema;
  }

  /**
   * Walks rows sorted by user and emits one row per user. Only one user's rows are held at a time
   * (their distinct rows and training items), so memory is bounded by the largest user's history.
   */
  private static final class PerUser implements MapPartitionsFunction<Row, Row>, Serializable {
    private final List<String> parts;

    PerUser(List<String> parts) {
      this.parts = List.copyOf(parts);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> sortedByUser) {
      return KeyRuns.perKey(
          sortedByUser,
          new KeyRuns.Walk() {
            private List<Row> rows = new ArrayList<>();

            @Override
            public void add(Row row) {
              rows.add(row);
            }

            @Override
            public Row finish(Object user) {
              Row summary = summarise(user, rows);
              rows = new ArrayList<>();
              return summary;
            }
          });
    }

    private Row summarise(Object user, List<Row> rows) {
      int k = parts.size();
      long[] perPart = new long[k];
      Map<List<Object>, long[]> distinct = new HashMap<>();
      Set<Object> trainItems = new HashSet<>();
      Timestamp lastTrain = null;
      long nullItems = 0;
      long nullTs = 0;
      for (Row row : rows) {
        int part = parts.indexOf(row.getString(6));
        if (part >= 0) {
          perPart[part]++;
        }
        if (row.isNullAt(1)) {
          nullItems++;
        }
        if (row.isNullAt(3)) {
          nullTs++;
        }
        // keyed by the split name, so a part outside `parts` still counts as a part of its own
        List<Object> key =
            java.util.Arrays.asList(row.get(1), row.get(2), row.get(3), row.get(4), row.get(5));
        distinct.computeIfAbsent(key, x -> new long[k + 1])[part >= 0 ? part : k]++;
        if (Schema.Layout.TRAIN.equals(row.getString(6))) {
          if (!row.isNullAt(1)) {
            trainItems.add(row.get(1));
          }
          if (!row.isNullAt(3) && (lastTrain == null || row.getTimestamp(3).after(lastTrain))) {
            lastTrain = row.getTimestamp(3);
          }
        }
      }
      long shared = 0;
      long extra = 0;
      for (long[] copies : distinct.values()) {
        int inParts = 0;
        for (long c : copies) {
          if (c > 0) {
            inParts++;
            extra += c - 1;
          }
        }
        if (inParts > 1) {
          shared++;
        }
      }
      long evalRows = 0;
      long leaked = 0;
      long early = 0;
      for (Row row : rows) {
        if (Schema.Layout.TRAIN.equals(row.getString(6))) {
          continue;
        }
        evalRows++;
        if (user != null && !row.isNullAt(1) && trainItems.contains(row.get(1))) {
          leaked++;
        }
        if (user != null
            && lastTrain != null
            && !row.isNullAt(3)
            && row.getTimestamp(3).before(lastTrain)) {
          early++;
        }
      }
      Object[] values = new Object[2 + k + 7];
      values[0] = user;
      values[1] = (long) rows.size();
      for (int i = 0; i < k; i++) {
        values[2 + i] = perPart[i];
      }
      values[2 + k] = shared;
      values[3 + k] = extra;
      values[4 + k] = evalRows;
      values[5 + k] = leaked;
      values[6 + k] = early;
      values[7 + k] = nullItems;
      values[8 + k] = nullTs;
      return RowFactory.create(values);
    }
  }
}
