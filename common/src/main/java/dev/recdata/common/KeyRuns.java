package dev.recdata.common;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.sql.Row;

/**
 * A walk over the runs of rows that share their first column (a user), in a partition sorted or
 * clustered by it: each run's rows go to {@link Walk#add} one by one, then {@link Walk#finish}
 * gives that key's output row. Only one key's state is held at a time, so memory is bounded by the
 * largest run, and one shuffle by key replaces an aggregate per question. Keys compare with {@link
 * Objects#equals}, so a null key is a run of its own.
 */
public final class KeyRuns {
  private KeyRuns() {}

  /** What is done with one key's rows. */
  public interface Walk {
    void add(Row row);

    /** The output row of the key whose rows were just added; the walk starts over after it. */
    Row finish(Object key);
  }

  /** One output row per run of equal keys (column 0) in {@code sortedByKey}. */
  public static Iterator<Row> perKey(Iterator<Row> sortedByKey, Walk walk) {
    return new Iterator<>() {
      private Row pending = sortedByKey.hasNext() ? sortedByKey.next() : null;

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public Row next() {
        if (pending == null) {
          throw new NoSuchElementException();
        }
        Object key = pending.get(0);
        while (pending != null && Objects.equals(pending.get(0), key)) {
          walk.add(pending);
          pending = sortedByKey.hasNext() ? sortedByKey.next() : null;
        }
        return walk.finish(key);
      }
    };
  }
}
