package dev.recdata.export.serving;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link ServingExport#write} wrote, for the export manifest and the progress line.
 *
 * @param counts rows per output: {@code user_factors}, {@code item_factors}, {@code id_map_users},
 *     {@code id_map_items}, {@code recommendation_users}, {@code recommendations} (rows), {@code
 *     similar_items} (rows), {@code item_embeddings}
 */
public record ServingSummary(
    String modelVersion,
    String mode,
    int rank,
    double globalMean,
    Instant generatedAt,
    Map<String, Long> counts,
    Map<String, Double> seconds) {
  public ServingSummary {
    // In the order written (Map.copyOf iterates in an order that changes from JVM to JVM, and so
    // did the manifest).
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
  }
}
