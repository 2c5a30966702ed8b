package dev.recdata.etl.read;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a reader produced from one input, lazily: nothing is computed until an action runs.
 *
 * @param source the layout label every row carries: "ml-100k", "ml-1m", "ml-10m", "ml-csv", "csv",
 *     "parquet"
 * @param interactions valid rows in {@code Schema.INTERACTIONS}
 * @param rejects malformed lines in {@code Schema.REJECTS} (ratings, items and users files alike),
 *     with the 1-based line number (null for Parquet, which has no lines; raw is then the row as
 *     JSON)
 * @param items {@code Schema.ITEMS}, or null when the layout has no items file
 * @param users {@code Schema.USERS}, or null when the layout has no users file
 * @param files the data files read (qualified paths), for the manifest's fingerprints
 */
public record SourceData(
    String source,
    Dataset<Row> interactions,
    Dataset<Row> rejects,
    Dataset<Row> items,
    Dataset<Row> users,
    List<String> files) {

  public SourceData {
    files = List.copyOf(files);
  }
}
