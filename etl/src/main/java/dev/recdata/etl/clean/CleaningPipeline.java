package dev.recdata.etl.clean;

import static dev.recdata.etl.clean.Cleaning.BELOW_THRESHOLD;
import static dev.recdata.etl.clean.Cleaning.DROP;
import static dev.recdata.etl.clean.Cleaning.EXACT;
import static dev.recdata.etl.clean.Cleaning.K_CORE;
import static dev.recdata.etl.clean.Cleaning.REJECTED;
import static dev.recdata.etl.clean.Cleaning.USER_ITEM;
import static dev.recdata.etl.clean.Cleaning.WINDOW;
import static org.apache.spark.sql.functions.col;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs the cleaning steps in order (timestamps, duplicates, implicit conversion, window, k-core,
 * sort) and counts what each removed.
 *
 * <p>Passes over the data, for 25M rows on 2 cores: the steps tag rows instead of filtering them
 * (see {@link Cleaning}), so the input is read once and shuffled once (the duplicate window) into a
 * MEMORY_AND_DISK cache of the tagged rows. Everything after reads that cache, touching only the
 * columns it needs: one aggregate for the newest ts when windowDays is set, one aggregate per
 * k-core round (their results are users and items, not rows), and one group-by-reason count at the
 * end that yields every number of the manifest at once, instead of a count() after each step.
 * Writing the outputs reads the cache again (plus the final sort).
 */
public final class CleaningPipeline {
  private CleaningPipeline() {}

  public static CleaningResult apply(Dataset<Row> interactions, CleaningOptions options) {
    Dataset<Row> tagged = Cleaning.startTagging(interactions);
    tagged = Cleaning.tagBadTimestamps(tagged, options.minTs(), options.maxTs());
    tagged = Cleaning.tagDuplicates(tagged, options.dropExactDuplicates(), options.duplicates());
    tagged = Cleaning.tagImplicit(tagged, options.positiveThreshold());
    if (options.positiveThreshold() != null) {
      // A rating just turned into a like may meet a like of the same pair (feedback): keep one, by
      // the same policy.
      tagged = Cleaning.tagDuplicates(tagged, false, options.duplicates());
    }
    tagged = tagged.persist(StorageLevel.MEMORY_AND_DISK());

    Instant cutoff = Cleaning.windowCutoff(tagged, options.since(), options.windowDays());
    Dataset<Row> windowed = Cleaning.tagWindow(tagged, cutoff);
    Cleaning.KCore core =
        Cleaning.tagKCore(windowed, options.minUserInteractions(), options.minItemInteractions());
    Dataset<Row> finalTagged = core.tagged();

    Map<String, Long> byReason = countByReason(finalTagged);
    long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> deduplicated = new LinkedHashMap<>();
    deduplicated.put(EXACT, byReason.getOrDefault(EXACT, 0L));
    deduplicated.put(USER_ITEM, byReason.getOrDefault(USER_ITEM, 0L));
    Map<String, Long> filtered = new LinkedHashMap<>();
    filtered.put(BELOW_THRESHOLD, byReason.getOrDefault(BELOW_THRESHOLD, 0L));
    filtered.put(WINDOW, byReason.getOrDefault(WINDOW, 0L));
    filtered.put(K_CORE, byReason.getOrDefault(K_CORE, 0L));

    return new CleaningResult(
        Cleaning.clusterByUser(Cleaning.kept(finalTagged)),
        // Rejection happens before the k-core join, so read it from the cache directly.
        Cleaning.rejects(tagged),
        rowsIn,
        byReason.getOrDefault(REJECTED, 0L),
        deduplicated,
        filtered,
        byReason.getOrDefault(null, 0L),
        core.iterations(),
        core.converged());
  }

  private static final Set<String> REASONS =
      Set.of(REJECTED, EXACT, USER_ITEM, BELOW_THRESHOLD, WINDOW, K_CORE);

  /** Rows per drop reason (null: kept); at most seven rows reach the driver. */
  private static Map<String, Long> countByReason(Dataset<Row> tagged) {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : tagged.groupBy(col(DROP)).count().collectAsList()) {
      String reason = row.isNullAt(0) ? null : row.getString(0);
      if (reason != null && !REASONS.contains(reason)) {
        throw new IllegalStateException("unknown drop reason " + reason);
      }
      counts.put(reason, row.getLong(1));
    }
    return counts;
  }
}
