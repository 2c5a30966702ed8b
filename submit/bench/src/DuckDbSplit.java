import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Benchmark peer, not part of recdata: the same per-user 70/20/10 temporal split done in DuckDB with window
 * functions, writing train/validation/test as Parquet (one COPY partitioned by split).
 *
 * <p>Usage: {@code DuckDbSplit csv|parquet INPUT OUT THREADS}. {@code csv}: INPUT is a MovieLens 20M/25M-layout
 * folder (ratings.csv with userId,movieId,rating,timestamp); {@code parquet}: INPUT is recdata's canonical
 * interactions folder (etl's {@code interactions/}). Rows are cut per user after sorting by (ts, item_id):
 * the first ceil(0.7 n) are train, up to ceil(0.9 n) validation, the rest test. recdata's exact
 * largest-remainder rule can differ from this by one row per user; the work (one sort per user, counts, one
 * write) is the same.
 */
public final class DuckDbSplit {
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: DuckDbSplit csv|parquet INPUT OUT THREADS");
      System.exit(2);
    }
    String mode = args[0];
    Path input = Path.of(args[1]).toAbsolutePath();
    Path out = Path.of(args[2]).toAbsolutePath();
    int threads = Integer.parseInt(args[3]);
    deleteRecursively(out);
    String source =
        switch (mode) {
          case "csv" ->
              "SELECT userId AS user_id, movieId AS item_id, rating, make_timestamp(\"timestamp\" * 1000000) AS ts,"
                  + " 'rating' AS event, 'ml-csv' AS source FROM read_csv('"
                  + input.resolve("ratings.csv")
                  + "', header = true, columns = {'userId': 'BIGINT', 'movieId': 'BIGINT', 'rating': 'FLOAT',"
                  + " 'timestamp': 'BIGINT'})";
          case "parquet" -> "SELECT * FROM read_parquet('" + input + "/*.parquet')";
          default -> throw new IllegalArgumentException("mode must be csv or parquet, not " + mode);
        };
    String split =
        "COPY (SELECT user_id, item_id, rating, ts, event, source,"
            + " CASE WHEN rn <= ceil(0.7 * n) THEN 'train' WHEN rn <= ceil(0.9 * n) THEN 'validation'"
            + " ELSE 'test' END AS split"
            + " FROM (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY ts, item_id) AS rn,"
            + " count(*) OVER (PARTITION BY user_id) AS n FROM ("
            + source
            + ")))"
            + " TO '"
            + out
            + "' (FORMAT parquet, PARTITION_BY (split))";
    long start = System.nanoTime();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads = " + threads);
      sql.execute("SET temp_directory = '" + out.getParent().resolve(out.getFileName() + ".duckdb-tmp") + "'");
      String version;
      try (ResultSet rs = sql.executeQuery("SELECT version()")) {
        rs.next();
        version = rs.getString(1);
      }
      sql.execute(split);
      System.out.printf(
          "duckdb %s: %s split of %s -> %s in %.1f s%n",
          version, mode, input, out, (System.nanoTime() - start) / 1e9);
    }
  }

  static void deleteRecursively(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
