package dev.recdata.export.serving;

import dev.recdata.common.RecdataException;
import dev.recdata.export.tensor.Format;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the serving half of {@code export} writes.
 *
 * @param topK recommendations per user (items the user rated or liked anywhere in etl are never
 *     recommended)
 * @param similarK similar items per item (cosine over item factors, the item itself excluded)
 * @param formats the formats of the factor tensor sets ({@code user_factors}, {@code
 *     item_factors}); JSON lines and Parquet of recommendations and similar items are always
 *     written, they are the serving contract
 * @param modelVersion the version stamped on every output row; null = the ALS run id from {@code
 *     als/params.json}
 * @param opensearchIndex the {@code _index} of the OpenSearch bulk body
 */
public record ServingOptions(
    int topK, int similarK, Set<Format> formats, String modelVersion, String opensearchIndex) {
  public static final int DEFAULT_TOP_K = 5;
  public static final int DEFAULT_SIMILAR_K = 10;
  public static final String DEFAULT_OPENSEARCH_INDEX = "recdata-items";

  /**
   * OpenSearch index names: lowercase, no spaces or {@code \/*?"<>|,#:}, not starting with - _ +.
   */
  private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,254}");

  public ServingOptions {
    RecdataException.checkInput(topK >= 1, "--top-k %d must be at least 1", topK);
    RecdataException.checkInput(similarK >= 1, "--similar-k %d must be at least 1", similarK);
    RecdataException.checkInput(
        formats != null && !formats.isEmpty(),
        "--formats must name at least one of %s",
        Set.of(Format.values()));
    formats = Set.copyOf(formats);
    RecdataException.checkInput(
        modelVersion == null || !modelVersion.isBlank(),
        "--model-version must not be blank (omit it to use the ALS run id)");
    opensearchIndex = opensearchIndex == null ? DEFAULT_OPENSEARCH_INDEX : opensearchIndex;
    RecdataException.checkInput(
        INDEX_NAME.matcher(opensearchIndex).matches(),
        "--opensearch-index %s is not a valid OpenSearch index name: expected lowercase letters, digits, '.', '_', '-'",
        opensearchIndex);
  }

  /**
   * Top 5, 10 similar items, all three tensor formats, the ALS run id as version, index {@code
   * recdata-items}.
   */
  public static ServingOptions defaults() {
    return new ServingOptions(
        DEFAULT_TOP_K,
        DEFAULT_SIMILAR_K,
        EnumSet.allOf(Format.class),
        null,
        DEFAULT_OPENSEARCH_INDEX);
  }

  public ServingOptions withModelVersion(String version) {
    return new ServingOptions(topK, similarK, formats, version, opensearchIndex);
  }
}
