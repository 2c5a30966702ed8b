package dev.recdata.splits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Tags each row of a partition sorted by group key with its split (or fold), reading the partition
 * once and holding one group's rows at a time. This single pass over sorted rows replaces window
 * functions, which scan and sort the table again per window and were 6x slower than DuckDB on 25M
 * rows.
 */
final class GroupCutter implements MapPartitionsFunction<Row, Row> {
  private final SplitOptions options;
  private final int groupIndex;
  private final int canonicalColumns;
  private final Comparator<Row> groupOrder;

  /**
   * @param groupIndex position of the group key (a bigint) in the input rows
   * @param canonicalColumns how many leading input columns are copied to the output (sort helpers
   *     are dropped)
   * @param groupOrder sorts each group's rows before cutting, for input that arrives clustered but
   *     not sorted by Spark; null when Spark already sorted the partition
   */
  GroupCutter(
      SplitOptions options, int groupIndex, int canonicalColumns, Comparator<Row> groupOrder) {
    this.options = options;
    this.groupIndex = groupIndex;
    this.canonicalColumns = canonicalColumns;
    this.groupOrder = groupOrder;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final List<Row> group = new ArrayList<>();
      private Row nextGroupFirst;
      private Object[] tags = new Object[0];
      private int position;
      private boolean started;
      private long previousKey;

      @Override
      public boolean hasNext() {
        return position < group.size() || readGroup();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = group.get(position);
        Object[] values = new Object[canonicalColumns + 1];
        for (int i = 0; i < canonicalColumns; i++) {
          values[i] = row.get(i);
        }
        values[canonicalColumns] = tags[position];
        position++;
        return RowFactory.create(values);
      }

      private boolean readGroup() {
        group.clear();
        position = 0;
        if (nextGroupFirst == null && !rows.hasNext()) {
          return false;
        }
        Row first = nextGroupFirst != null ? nextGroupFirst : rows.next();
        nextGroupFirst = null;
        long key = first.getLong(groupIndex);
        // Groups arrive in ascending key order (sorted, or clustered files written that way); a key
        // seen again means a group was cut in two, which would silently split one user twice.
        if (started && key <= previousKey) {
          throw new IllegalStateException(
              String.format(
                  "input rows are not clustered by group: key %d follows %d in one partition",
                  key, previousKey));
        }
        started = true;
        previousKey = key;
        group.add(first);
        while (rows.hasNext()) {
          Row row = rows.next();
          if (row.getLong(groupIndex) != key) {
            nextGroupFirst = row;
            break;
          }
          group.add(row);
        }
        if (groupOrder != null) {
          group.sort(groupOrder);
        }
        tags = tagsFor(key, group.size());
        return true;
      }
    };
  }

  /**
   * The split name (or fold number) of each of a group's {@code n} rows, in the group's sorted
   * order.
   */
  Object[] tagsFor(long groupKey, int n) {
    Object[] tags = new Object[n];
    if (options.strategy() == Strategy.KFOLD) {
      // A group with one event would leave one fold's train without it; such groups stay in train
      // everywhere.
      boolean inFolds = n >= Math.max(2, options.minInteractions());
      int offset = Math.floorMod(mix(options.seed(), groupKey), options.folds());
      for (int i = 0; i < n; i++) {
        tags[i] = inFolds ? (offset + i) % options.folds() : Splitter.NO_FOLD;
      }
      return tags;
    }
    int[] counts = Allocation.forGroup(n, options);
    for (int i = 0; i < n; i++) {
      tags[i] =
          i < counts[0]
              ? Splitter.TRAIN
              : i < counts[0] + counts[1] ? Splitter.VALIDATION : Splitter.TEST;
    }
    return tags;
  }

  /**
   * SplitMix64 of seed and key: a stable per-group offset so small groups do not all start at fold
   * 0.
   */
  static int mix(long seed, long key) {
    long z = seed * 0x9E3779B97F4A7C15L + key;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (int) (z ^ (z >>> 32));
  }
}
