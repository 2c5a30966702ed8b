package dev.recdata.etl.read;

/**
 * The input layouts the etl stage understands. {@link #AUTO} detects the layout from the files
 * present; the others force it (for a folder whose files are named differently, or to skip
 * detection).
 */
public enum InputFormat {
  /**
   * Detect: u.data, ratings.dat, ratings.csv, a .csv or .parquet file, or a folder of .parquet
   * files.
   */
  AUTO,
  /** MovieLens 100K: u.data (tab-separated), u.item, u.user. Source label "ml-100k". */
  ML_100K,
  /**
   * MovieLens 1M and 10M: ratings.dat, movies.dat, users.dat ("::"-separated). Source label "ml-1m"
   * when users.dat is present (integer ratings 1..5), else "ml-10m" (half-star ratings 0.5..5).
   */
  ML_DAT,
  /**
   * MovieLens 20M/25M/32M/latest: ratings.csv and movies.csv with headers. Source label "ml-csv".
   */
  ML_CSV,
  /**
   * Any delimited text file(s) of interactions, read through a {@link ColumnMapping}. Source label
   * "csv".
   */
  CSV,
  /**
   * Any Parquet file(s) of interactions, read through a {@link ColumnMapping}. Source label
   * "parquet".
   */
  PARQUET
}
