package dev.recdata.etl;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What etl run in memory for a one-off split made: the cleaned interactions, the rejected rows
 * (etl's reject schema, cached) and the counts that account for every row read: {@code input =
 * output + rejected + deduplicated + filtered}.
 */
public record InMemoryEtl(
    Dataset<Row> interactions,
    Dataset<Row> rejects,
    long input,
    long output,
    long rejected,
    long deduplicated,
    long filtered) {}
