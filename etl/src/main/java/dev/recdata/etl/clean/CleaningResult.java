package dev.recdata.etl.clean;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link CleaningPipeline} produced and the exact counts for the manifest: {@code rowsIn ==
 * rowsOut + rejected + sum(deduplicated) + sum(filtered)}. The datasets are lazy views over what
 * the pipeline persisted (the tagged rows, MEMORY_AND_DISK, and the small k-core survivor lists),
 * so writing them does not re-read or re-shuffle the input; the caches live as long as the session,
 * which for a job is the run.
 *
 * @param interactions the cleaned interactions, canonical schema, clustered by user (see {@link
 *     Cleaning#clusterByUser})
 * @param rejects rows with a bad timestamp, {@code Schema.REJECTS}
 * @param deduplicated removed duplicates by kind: "exact", "user_item" (always both keys)
 * @param filtered removed rows by step: "below_threshold", "window", "k_core" (always all keys)
 * @param kCoreIterations rounds the k-core step ran (0 when it was off)
 * @param kCoreConverged false only when the k-core step stopped at {@link
 *     Cleaning#K_CORE_MAX_ITERATIONS}
 */
public record CleaningResult(
    Dataset<Row> interactions,
    Dataset<Row> rejects,
    long rowsIn,
    long rejected,
    Map<String, Long> deduplicated,
    Map<String, Long> filtered,
    long rowsOut,
    int kCoreIterations,
    boolean kCoreConverged) {

  public CleaningResult {
    // Insertion order kept: the manifest lists the steps in pipeline order.
    deduplicated = Collections.unmodifiableMap(new LinkedHashMap<>(deduplicated));
    filtered = Collections.unmodifiableMap(new LinkedHashMap<>(filtered));
  }

  /** Without k-core details (step off). */
  public CleaningResult(
      Dataset<Row> interactions,
      Dataset<Row> rejects,
      long rowsIn,
      long rejected,
      Map<String, Long> deduplicated,
      Map<String, Long> filtered,
      long rowsOut) {
    this(interactions, rejects, rowsIn, rejected, deduplicated, filtered, rowsOut, 0, true);
  }

  /** Every input row is accounted for exactly once. */
  public boolean balanced() {
    long removed =
        rejected
            + deduplicated.values().stream().mapToLong(Long::longValue).sum()
            + filtered.values().stream().mapToLong(Long::longValue).sum();
    return rowsIn == rowsOut + removed;
  }
}
