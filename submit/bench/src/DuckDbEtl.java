import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Benchmark peer, not part of recdata: the work of {@code recdata etl} with its default cleaning on a
 * MovieLens 20M/25M-layout folder, done in DuckDB SQL, so the etl stage has a DuckDB time to be compared
 * with.
 *
 * <p>Usage: {@code DuckDbEtl INPUT OUT THREADS [MAX_REJECT_RATIO]} with INPUT holding ratings.csv (userId,movieId,rating,
 * timestamp) and optionally movies.csv. OUT gets the layout recdata etl writes:
 *
 * <ul>
 *   <li>{@code interactions/}: user_id BIGINT, item_id BIGINT, rating FLOAT, ts TIMESTAMP WITH TIME ZONE
 *       (Parquet TIMESTAMP_MICROS, adjusted to UTC, as Spark writes it), event 'rating', source 'ml-csv';
 *       sorted by user_id, then ts, item_id, event, source, rating (nulls first): recdata's
 *       {@code Schema.USER_EVENT_ORDER} within each user, users ascending. Snappy Parquet.
 *   <li>{@code rejects/}: source, file, line, raw, reason, reason_code, one row per rejected line.
 *   <li>{@code id_maps/users} (user_id, user_idx INT) and {@code id_maps/items} (item_id, item_idx INT):
 *       dense 0-based indices in id order over the written interactions, read back from the written
 *       files as recdata does. The interactions themselves carry no idx columns (neither do recdata's).
 *   <li>{@code items/}: item_id, title, genres (list, split on '|', none for "(no genres listed)"), year
 *       (from a trailing "(YYYY)" of the title), from movies.csv.
 *   <li>{@code manifest.json}: the counts, with the SHA-256 and size of every input file.
 * </ul>
 *
 * <p>The cleaning is recdata's default ({@code CleaningOptions.defaults}): reject malformed lines (wrong
 * field count, unparsable or empty ids, rating, timestamp, negative ids, ratings off MovieLens' half-star
 * scale 0.5..5, epoch seconds outside 0..9999-12-31) and timestamps before 1990-01-01 or after now + 1 day;
 * then per (user, item, event) keep the latest row (ties: higher rating, then source A-Z) and count every
 * other row as an exact duplicate (same ts, rating and source as the row before it in that order) or a
 * user_item duplicate, with one window, as recdata's {@code Cleaning.tagDuplicates}. The tagged rows are
 * materialised once (a temporary table, as recdata persists its tagged rows), counted by reason, and the
 * books are checked: input = output + rejected + deduplicated; above MAX_REJECT_RATIO rejected rows
 * (recdata's --max-reject-ratio, default 0.01) the run fails.
 *
 * <p>Where the peer does less or more than recdata, none of it material on clean generated data:
 *
 * <ul>
 *   <li>Parsing is DuckDB's typed CSV reader with {@code store_rejects}: lines it cannot parse go to its
 *       rejects table with file and line, the rest are checked in SQL. DuckDB accepts a few spellings
 *       recdata's byte parser rejects (a leading '+', for instance), and rows rejected by the SQL checks
 *       (a negative id, a rating off the scale) carry no line number. The readable reasons are DuckDB's
 *       words, the codes recdata's.
 *   <li>recdata fingerprints every input file (SHA-256) into its manifest by default; so does this peer,
 *       in Java, before DuckDB runs (timed and printed apart).
 *   <li>recdata writes to a staging folder and renames it on success; this peer writes in place.
 *   <li>recdata range-partitions the interactions into files of about the advisory partition size; DuckDB
 *       writes one file per output folder (row groups of 122,880 rows).
 * </ul>
 */
public final class DuckDbEtl {
  static final String HEADER = "userId,movieId,rating,timestamp";
  static final long MAX_EPOCH_SECONDS = 253_402_300_799L;
  static final Instant MIN_TS = Instant.parse("1990-01-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: DuckDbEtl INPUT OUT THREADS [MAX_REJECT_RATIO, default 0.01]");
      System.exit(2);
    }
    Path input = Path.of(args[0]).toAbsolutePath();
    Path out = Path.of(args[1]).toAbsolutePath();
    int threads = Integer.parseInt(args[2]);
    double maxRejectRatio = args.length == 4 ? Double.parseDouble(args[3]) : 0.01;
    long start = System.nanoTime();
    Path ratings = input.resolve("ratings.csv");
    Path movies = input.resolve("movies.csv");
    boolean hasMovies = Files.isRegularFile(movies);
    String header;
    try (var lines = Files.lines(ratings, StandardCharsets.UTF_8)) {
      header = lines.findFirst().orElse("").trim();
    }
    if (!header.equals(HEADER)) {
      throw new IllegalArgumentException(
          "unexpected header in " + ratings + ": '" + header + "', expected '" + HEADER + "'");
    }
    Map<Path, String> sha256 = new LinkedHashMap<>();
    sha256.put(ratings, sha256(ratings));
    if (hasMovies) {
      sha256.put(movies, sha256(movies));
    }
    double checksumSeconds = (System.nanoTime() - start) / 1e9;

    DuckDbSplit.deleteRecursively(out);
    for (String dir : new String[] {"interactions", "rejects", "items", "id_maps/users", "id_maps/items"}) {
      Files.createDirectories(out.resolve(dir));
    }
    Instant maxTs = Instant.now().plus(Duration.ofDays(1));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads = " + threads);
      sql.execute("SET temp_directory = '" + out.getParent().resolve(out.getFileName() + ".duckdb-tmp") + "'");
      sql.execute("SET TimeZone = 'UTC'");
      String version = scalarString(sql, "SELECT version()");

      // 1. Parse and tag: one pass over the CSV, one window over (user, item, event), materialised once.
      String parsed =
          "SELECT userId AS user_id, movieId AS item_id, rating, \"timestamp\" AS seconds FROM read_csv('"
              + ratings
              + "', header = true, delim = ',', quote = '', escape = '', auto_detect = false,"
              + " columns = {'userId': 'BIGINT', 'movieId': 'BIGINT', 'rating': 'FLOAT', 'timestamp': 'BIGINT'},"
              + " store_rejects = true, rejects_table = 'csv_errors', rejects_scan = 'csv_scans')";
      // The first failed check names the code, in recdata's order (RatingLineParser, then
      // Cleaning.tagBadTimestamps).
      String code =
          "CASE WHEN user_id IS NULL THEN 'empty_user_id' WHEN user_id < 0 THEN 'bad_user_id'"
              + " WHEN item_id IS NULL THEN 'empty_item_id' WHEN item_id < 0 THEN 'bad_item_id'"
              + " WHEN rating IS NULL THEN 'empty_rating'"
              + " WHEN rating < 0 OR isnan(rating) THEN 'bad_rating'"
              + " WHEN rating < 0.5 OR rating > 5 THEN 'rating_out_of_range'"
              + " WHEN abs((rating - 0.5) / 0.5 - round((rating - 0.5) / 0.5)) > 1e-6 THEN 'rating_off_step'"
              + " WHEN seconds IS NULL THEN 'empty_timestamp'"
              + " WHEN seconds < 0 OR seconds > " + MAX_EPOCH_SECONDS + " THEN 'bad_timestamp'"
              + " WHEN seconds < " + MIN_TS.getEpochSecond() + " THEN 'timestamp_before_min'"
              + " WHEN seconds > " + maxTs.getEpochSecond() + " THEN 'timestamp_after_max' END";
      String checked =
          "SELECT user_id, item_id, rating, CASE WHEN code IS NULL THEN to_timestamp(seconds) END AS ts,"
              + " 'rating' AS event, 'ml-csv' AS source, seconds, code FROM (SELECT *, "
              + code
              + " AS code FROM ("
              + parsed
              + "))";
      // recdata's window: partition by (user, item, event, alive), latest first, then higher rating, then
      // source; position > 1 is a duplicate, exact when ts, rating and source equal the row before.
      String window =
          "(PARTITION BY user_id, item_id, event, code IS NULL ORDER BY ts DESC, rating DESC NULLS LAST, source ASC)";
      sql.execute(
          "CREATE TEMP TABLE tagged AS SELECT user_id, item_id, rating, ts, event, source, seconds, code,"
              + " CASE WHEN code IS NOT NULL THEN 'rejected'"
              + " WHEN pos > 1 AND prev_ts IS NOT DISTINCT FROM ts AND prev_rating IS NOT DISTINCT FROM rating"
              + " AND prev_source IS NOT DISTINCT FROM source THEN 'exact'"
              + " WHEN pos > 1 THEN 'user_item' END AS drop_reason"
              + " FROM (SELECT *, row_number() OVER w AS pos, lag(ts) OVER w AS prev_ts,"
              + " lag(rating) OVER w AS prev_rating, lag(source) OVER w AS prev_source FROM ("
              + checked
              + ") WINDOW w AS "
              + window
              + ")");
      double parseSeconds = (System.nanoTime() - start) / 1e9 - checksumSeconds;

      // 2. The kept rows, clustered by user and sorted within the user by recdata's event order.
      copy(
          sql,
          "SELECT user_id, item_id, rating, ts, event, source FROM tagged WHERE drop_reason IS NULL"
              + " ORDER BY user_id, ts, item_id, event, source, rating NULLS FIRST",
          out.resolve("interactions/part-00000.snappy.parquet"));

      // 3. Rejects: the lines the reader could not parse (one row per line, the first error) and the
      // rows a check rejected.
      String reasonOfError =
          "CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN 'wrong_field_count'"
              + " WHEN error_type = 'CAST' AND column_name = 'userId' THEN 'bad_user_id'"
              + " WHEN error_type = 'CAST' AND column_name = 'movieId' THEN 'bad_item_id'"
              + " WHEN error_type = 'CAST' AND column_name = 'rating' THEN 'bad_rating'"
              + " WHEN error_type = 'CAST' AND column_name = 'timestamp' THEN 'bad_timestamp'"
              + " ELSE lower(replace(error_type, ' ', '_')) END";
      copy(
          sql,
          "SELECT 'ml-csv' AS source, s.file_path AS file, e.line::BIGINT AS line, e.csv_line AS raw,"
              + " e.error_message AS reason, "
              + reasonOfError
              + " AS reason_code FROM (SELECT * FROM csv_errors"
              + " QUALIFY row_number() OVER (PARTITION BY scan_id, file_id, line ORDER BY column_idx) = 1) e"
              + " JOIN csv_scans s USING (scan_id, file_id)"
              + " UNION ALL SELECT source, NULL, NULL,"
              + " concat('user_id=', coalesce(user_id::VARCHAR, 'null'), ', item_id=', coalesce(item_id::VARCHAR, 'null'),"
              + " ', rating=', coalesce(rating::VARCHAR, 'null'), ', ts=', coalesce(seconds::VARCHAR, 'null'),"
              + " ', event=', event, ', source=', source), code, code"
              + " FROM tagged WHERE drop_reason = 'rejected'",
          out.resolve("rejects/part-00000.snappy.parquet"));

      // 4. The books, from the written files and one group-by over the tagged rows.
      Map<String, Long> byReason = new LinkedHashMap<>();
      try (ResultSet rs = sql.executeQuery("SELECT coalesce(drop_reason, 'kept'), count(*) FROM tagged GROUP BY ALL")) {
        while (rs.next()) {
          byReason.put(rs.getString(1), rs.getLong(2));
        }
      }
      long written = scalarLong(sql, "SELECT count(*) FROM read_parquet('" + out.resolve("interactions/*.parquet") + "')");
      long rejected = scalarLong(sql, "SELECT count(*) FROM read_parquet('" + out.resolve("rejects/*.parquet") + "')");
      long exact = byReason.getOrDefault("exact", 0L);
      long userItem = byReason.getOrDefault("user_item", 0L);
      long tagged = byReason.values().stream().mapToLong(Long::longValue).sum();
      long readerRejects = rejected - byReason.getOrDefault("rejected", 0L);
      long inputRows = tagged + readerRejects;
      if (inputRows != written + rejected + exact + userItem) {
        throw new IllegalStateException(
            String.format(
                "row accounting does not add up: input %d != output %d + rejected %d + deduplicated %d",
                inputRows, written, rejected, exact + userItem));
      }
      if (inputRows == 0 || (double) rejected / inputRows > maxRejectRatio) {
        throw new IllegalStateException(
            rejected + " of " + inputRows + " rows rejected, above the max reject ratio " + maxRejectRatio);
      }
      Map<String, Long> rejectCodes = new LinkedHashMap<>();
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT reason_code, count(*) AS n FROM read_parquet('"
                  + out.resolve("rejects/*.parquet")
                  + "') GROUP BY ALL ORDER BY n DESC, reason_code")) {
        while (rs.next()) {
          rejectCodes.put(rs.getString(1), rs.getLong(2));
        }
      }

      // 5. Items from movies.csv and the id maps over the written interactions.
      if (hasMovies) {
        copy(
            sql,
            "SELECT movieId AS item_id, trim(title) AS title,"
                + " CASE WHEN trim(genres) IN ('', '(no genres listed)') THEN []::VARCHAR[]"
                + " ELSE list_transform(list_filter(string_split(trim(genres), '|'), lambda g: trim(g) <> ''), lambda g: trim(g)) END"
                + " AS genres,"
                + " CASE WHEN regexp_matches(trim(title), '\\(\\d{4}\\)$')"
                + " THEN right(trim(title), 5)[1:4]::INTEGER END AS year"
                + " FROM read_csv('"
                + movies
                + "', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
                + " columns = {'movieId': 'BIGINT', 'title': 'VARCHAR', 'genres': 'VARCHAR'})",
            out.resolve("items/part-00000.snappy.parquet"));
      }
      String writtenRows = "read_parquet('" + out.resolve("interactions/*.parquet") + "')";
      for (String[] map : new String[][] {{"user_id", "user_idx", "users"}, {"item_id", "item_idx", "items"}}) {
        copy(
            sql,
            "SELECT "
                + map[0]
                + ", (row_number() OVER (ORDER BY "
                + map[0]
                + ") - 1)::INTEGER AS "
                + map[1]
                + " FROM (SELECT DISTINCT "
                + map[0]
                + " FROM "
                + writtenRows
                + " WHERE event IN ('rating', 'like', 'impression')) ORDER BY "
                + map[0],
            out.resolve("id_maps/" + map[2] + "/part-00000.snappy.parquet"));
      }
      long users = scalarLong(sql, "SELECT count(*) FROM read_parquet('" + out.resolve("id_maps/users/*.parquet") + "')");
      long items = scalarLong(sql, "SELECT count(*) FROM read_parquet('" + out.resolve("id_maps/items/*.parquet") + "')");

      StringBuilder files = new StringBuilder();
      for (Map.Entry<Path, String> f : sha256.entrySet()) {
        files.append(files.length() == 0 ? "" : ", ")
            .append(String.format(
                "{\"path\": \"%s\", \"bytes\": %d, \"sha256\": \"%s\"}",
                f.getKey(), Files.size(f.getKey()), f.getValue()));
      }
      StringBuilder codes = new StringBuilder();
      rejectCodes.forEach((k, v) -> codes.append(codes.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(v));
      Files.writeString(
          out.resolve("manifest.json"),
          String.format(
              "{\"stage\": \"duckdb-etl\", \"duckdb\": \"%s\", \"files\": [%s],%n \"counts\": {\"input\": %d, \"output\": %d,"
                  + " \"rejected\": %d, \"deduplicated\": {\"exact\": %d, \"user_item\": %d}, \"users\": %d, \"items\": %d,"
                  + " \"rejected_by_reason\": {%s}}}%n",
              version, files, inputRows, written, rejected, exact, userItem, users, items, codes));
      System.out.printf(
          "duckdb %s etl of %s -> %s: input %d, output %d, rejected %d, deduplicated exact %d, user_item %d;"
              + " %d users, %d items; checksums %.1f s, parse+tag %.1f s, total %.1f s%n",
          version, input, out, inputRows, written, rejected, exact, userItem, users, items,
          checksumSeconds, parseSeconds, (System.nanoTime() - start) / 1e9);
    }
  }

  static void copy(Statement sql, String query, Path file) throws SQLException {
    sql.execute("COPY (" + query + ") TO '" + file + "' (FORMAT parquet, COMPRESSION snappy)");
  }

  static long scalarLong(Statement sql, String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String scalarString(Statement sql, String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
