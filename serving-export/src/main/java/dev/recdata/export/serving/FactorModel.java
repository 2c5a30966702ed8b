package dev.recdata.export.serving;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A trained ALS model in the shape serving reads: factors and biases keyed by both the dense index
 * and the raw id. {@code score(u, i) = globalMean + u.bias + i.bias + u.factors . i.factors}; for
 * implicit models (and explicit models not centred on biases) the biases and the global mean are 0.
 *
 * @param users {@code user_idx bigint, user_id bigint, factors array<float>, bias float}
 * @param items {@code item_idx bigint, item_id bigint, factors array<float>, bias float}
 * @param mode {@code explicit} or {@code implicit}
 * @param modelVersion the ALS run id (or the version the user asked for)
 * @param idMapVersion the id-map version of the etl output whose id maps give the indexes (its
 *     content fingerprint: {@code EtlOutput#idMapVersion}), the same value the training tensors
 *     carry
 * @param etlRunId the run id of that etl output
 */
public record FactorModel(
    Dataset<Row> users,
    Dataset<Row> items,
    int rank,
    double globalMean,
    String mode,
    String modelVersion,
    long seed,
    String idMapVersion,
    String etlRunId,
    String recommendationsFrom,
    int recentDays) {
  public static final String FACTORS = "factors";
  public static final String BIAS = "bias";
}
