package dev.recdata.splits;

import dev.recdata.common.SplitMix64;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * Tags each row of a partition sorted by group key with its split (or fold), reading the partition
 * once and holding one group's rows at a time. This single pass over sorted rows replaces window
 * functions, which scan and sort the table again per window and were 6x slower than DuckDB on 25M
 * rows.
 *
 * <p>It works on Spark's internal rows and writes its output as unsafe rows: converting every row
 * to a {@code Row} and back cost a third of the split's CPU time at 25M rows (JFR profile in
 * docs/BENCHMARKS.md).
 */
final class GroupCutter implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;

  private final SplitOptions options;
  private final int groupIndex;
  private final DataType[] copied;
  private final Comparator<InternalRow> groupOrder;
  private final Counts counts;

  /**
   * How many groups the cutter saw, and how many were below --min-interactions: counted while
   * cutting, in the write's own tasks, instead of in an aggregate over the input first. The write
   * is the job's only stage when the input is clustered and its result stage otherwise, and Spark
   * merges a result task's accumulator updates once per partition, so retried or speculative tasks
   * do not count twice.
   */
  record Counts(LongAccumulator groups, LongAccumulator groupsBelowMin)
      implements java.io.Serializable {
    static Counts register(SparkSession spark) {
      return new Counts(
          spark.sparkContext().longAccumulator("split groups"),
          spark.sparkContext().longAccumulator("split groups below min"));
    }
  }

  /**
   * @param groupIndex position of the group key (a bigint) in the input rows
   * @param canonical the leading input columns copied to the output (sort helpers after them are
   *     dropped); bigint, timestamp, float, int and string columns
   * @param groupOrder sorts each group's rows before cutting, for input that arrives clustered but
   *     not sorted by Spark; null when Spark already sorted the partition
   * @param counts where to count groups, or null
   */
  GroupCutter(
      SplitOptions options,
      int groupIndex,
      StructType canonical,
      Comparator<InternalRow> groupOrder,
      Counts counts) {
    this.options = options;
    this.groupIndex = groupIndex;
    this.copied = new DataType[canonical.size()];
    for (int i = 0; i < copied.length; i++) {
      copied[i] = canonical.fields()[i].dataType();
    }
    this.groupOrder = groupOrder;
    this.counts = counts;
  }

  /** The tagged rows: the canonical columns plus the split name (or fold number). */
  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    return cut(rows, true);
  }

  /**
   * Rows cut into groups in the group's sorted order. With {@code appendTag} each output row is the
   * canonical columns plus the tag column; without, just the canonical columns (the input row
   * itself when it has no sort helpers), and {@link CutIterator#tag} tells the tag of the row last
   * returned.
   */
  CutIterator cut(Iterator<InternalRow> rows, boolean appendTag) {
    return new CutIterator(rows, appendTag);
  }

  /** Rows in, tagged rows out; one group buffered at a time. */
  final class CutIterator implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final boolean appendTag;
    private final boolean folds = options.strategy() == Strategy.KFOLD;
    private final UTF8String[] splitNames = {
      UTF8String.fromString(Splitter.TRAIN),
      UTF8String.fromString(Splitter.VALIDATION),
      UTF8String.fromString(Splitter.TEST)
    };
    private final UnsafeRowWriter writer;
    private final List<InternalRow> group = new ArrayList<>();
    private InternalRow nextGroupFirst;
    private int[] tags = new int[0];
    private int position;
    private int tag;
    private boolean started;
    private long previousKey;

    private CutIterator(Iterator<InternalRow> rows, boolean appendTag) {
      this.rows = rows;
      this.appendTag = appendTag;
      this.writer = new UnsafeRowWriter(copied.length + (appendTag ? 1 : 0), 64);
    }

    /**
     * The split (0 train, 1 validation, 2 test) or fold of the row last returned by {@link #next}.
     */
    int tag() {
      return tag;
    }

    @Override
    public boolean hasNext() {
      return position < group.size() || readGroup();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow row = group.get(position);
      tag = tags[position];
      position++;
      if (!appendTag && row.numFields() == copied.length) {
        return row;
      }
      // One reused output row, as Spark's own operators do: the consumer takes it before the next.
      writer.reset();
      writer.zeroOutNullBytes();
      for (int i = 0; i < copied.length; i++) {
        copy(row, i);
      }
      if (appendTag) {
        if (folds) {
          writer.write(copied.length, tag);
        } else {
          writer.write(copied.length, splitNames[tag]);
        }
      }
      return writer.getRow();
    }

    private void copy(InternalRow row, int i) {
      if (row.isNullAt(i)) {
        writer.setNullAt(i);
        return;
      }
      DataType type = copied[i];
      if (type == DataTypes.LongType || type == DataTypes.TimestampType) {
        writer.write(i, row.getLong(i));
      } else if (type == DataTypes.FloatType) {
        writer.write(i, row.getFloat(i));
      } else if (type == DataTypes.IntegerType) {
        writer.write(i, row.getInt(i));
      } else if (type == DataTypes.StringType) {
        writer.write(i, row.getUTF8String(i));
      } else {
        throw new IllegalStateException(
            "the split copies no column of type " + type.simpleString());
      }
    }

    private boolean readGroup() {
      group.clear();
      position = 0;
      if (nextGroupFirst == null && !rows.hasNext()) {
        return false;
      }
      // Scans reuse their row object: a row kept beyond the next call to next() is copied.
      InternalRow first = nextGroupFirst != null ? nextGroupFirst : rows.next().copy();
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
        InternalRow row = rows.next();
        if (row.getLong(groupIndex) != key) {
          nextGroupFirst = row.copy();
          break;
        }
        group.add(row.copy());
      }
      if (groupOrder != null) {
        group.sort(groupOrder);
      }
      tags = tagsFor(key, group.size());
      if (counts != null) {
        counts.groups().add(1);
        if (group.size() < options.minInteractions()) {
          counts.groupsBelowMin().add(1);
        }
      }
      return true;
    }
  }

  /**
   * The split (0 train, 1 validation, 2 test) or fold number of each of a group's {@code n} rows,
   * in the group's sorted order.
   */
  int[] tagsFor(long groupKey, int n) {
    int[] tags = new int[n];
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
      tags[i] = i < counts[0] ? 0 : i < counts[0] + counts[1] ? 1 : 2;
    }
    return tags;
  }

  /**
   * A stable per-group offset (common's SplitMix64 of seed and key) so small groups do not all
   * start at fold 0.
   */
  static int mix(long seed, long key) {
    long z = SplitMix64.mix(seed * SplitMix64.GOLDEN_GAMMA + key);
    return (int) (z ^ (z >>> 32));
  }
}
