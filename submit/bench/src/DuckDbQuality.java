import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark peer, not part of recdata: the checks and metrics {@code recdata quality} computes on a
 * user-ratio split (train/validation/test), as DuckDB SQL over the split's Parquet files, so the quality
 * stage has a DuckDB time to be compared with.
 *
 * <p>Usage: {@code DuckDbQuality SPLIT OUT THREADS}, SPLIT a folder written by {@code recdata split}
 * (train/, validation/, test/ and manifest.json, from which the ratios, min_interactions and the expected
 * row count come). OUT gets checks.csv (check, level, status, observed, threshold, detail), metrics.csv
 * (split, metric, value: the same names as report.json's metrics), user_fraction_histogram.csv and
 * charts.csv (interactions per user, ratings, events per day), the data of report.json.
 *
 * <p>The work, as in quality/src/main/java/dev/recdata/quality/{CheckSuite,Checks,Metrics,
 * MetricCollector}.java with QualityOptions.defaults(): the three parts are read into one temporary table
 * tagged with the part (recdata persists the same tagged rows), then
 *
 * <ul>
 *   <li>checks: row conservation against the manifest's counts.input - impressions_excluded; rows in two
 *       parts; pair leakage (evaluation rows whose (user, item) is in train); temporal leakage (evaluation
 *       rows earlier than their user's last train event); per-user ratio conformance (largest-remainder
 *       allocation with at least one train event, or every fraction within max(0.05, 1/n)) and the
 *       overall ratios; cold-start users and items; duplicates within a part; null ids; ids outside the
 *       train range;
 *   <li>metrics per part and for all parts together: rows, users, items, sparsity, interactions per user
 *       and per item (mean, median, p90, max), events per day (mean, max, days), rows per rating; the
 *       per-user conformance shares; temporal_leakage_share of test against train and against train +
 *       validation (mean share of training rows later than a test row, exact); the per-user fraction
 *       histogram (20 bins per part) and the chart tables (users per power-of-two interaction count, rows
 *       per rating, rows per day and part).
 * </ul>
 *
 * <p>Differences: medians and p90 are DuckDB's exact quantile_disc where recdata uses Spark's
 * percentile_approx (accuracy 10,000; the same value on these sizes, see PeerCheck); the output is CSV
 * rather than report.json + report.html (both small); the manifest counts recdata copies into its metrics
 * are not repeated; k-fold and global-time splits (cutoff leakage) are not covered, the harness runs a
 * user-ratio split.
 */
public final class DuckDbQuality {
  static final double TOLERANCE = 0.05;
  static final double MIN_USERS_WITHIN_TOLERANCE = 0.95;
  static final String ROW = "user_id, item_id, rating, ts, event, source";

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: DuckDbQuality SPLIT OUT THREADS");
      System.exit(2);
    }
    Path split = Path.of(args[0]).toAbsolutePath();
    Path out = Path.of(args[1]).toAbsolutePath();
    int threads = Integer.parseInt(args[2]);
    long start = System.nanoTime();
    DuckDbSplit.deleteRecursively(out);
    Files.createDirectories(out);
    List<String> parts = new ArrayList<>();
    for (String part : new String[] {"train", "validation", "test"}) {
      if (Files.isDirectory(split.resolve(part))) {
        parts.add(part);
      }
    }
    if (!parts.contains("train") || parts.size() < 2) {
      throw new IllegalArgumentException(split + " has parts " + parts + ": expected train and validation or test");
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads = " + threads);
      sql.execute("SET temp_directory = '" + out.getParent().resolve(out.getFileName() + ".duckdb-tmp") + "'");
      sql.execute("SET TimeZone = 'UTC'");
      String version = DuckDbEtl.scalarString(sql, "SELECT version()");

      // The manifest: ratios, min_interactions, expected rows.
      double[] ratios;
      int minInteractions;
      long expectedRows;
      String strategy;
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT strategy, ratios, min_interactions, counts.input - coalesce(counts.impressions_excluded, 0)"
                  + " FROM read_json('" + split.resolve("manifest.json") + "')")) {
        rs.next();
        strategy = rs.getString(1);
        Object[] r = (Object[]) rs.getArray(2).getArray();
        ratios = new double[r.length];
        for (int i = 0; i < r.length; i++) {
          ratios[i] = ((Number) r[i]).doubleValue();
        }
        minInteractions = rs.getInt(3);
        expectedRows = rs.getLong(4);
      }
      if (!"user-ratio".equals(strategy) || ratios.length != parts.size()) {
        throw new IllegalArgumentException(
            "this peer checks user-ratio splits with one ratio per part, not " + strategy + " with parts " + parts);
      }

      StringBuilder union = new StringBuilder();
      for (String part : parts) {
        union.append(union.length() == 0 ? "" : " UNION ALL ")
            .append("SELECT user_id::BIGINT AS user_id, item_id::BIGINT AS item_id, rating::FLOAT AS rating,")
            .append(" ts::TIMESTAMPTZ AS ts, event::VARCHAR AS event, source::VARCHAR AS source, '")
            .append(part)
            .append("' AS split FROM read_parquet('")
            .append(split.resolve(part))
            .append("/*.parquet')");
      }
      sql.execute("CREATE TEMP TABLE tagged AS " + union);
      sql.execute("CREATE TEMP TABLE checks (check_name VARCHAR, level VARCHAR, status VARCHAR, observed DOUBLE, threshold DOUBLE, detail VARCHAR)");
      sql.execute("CREATE TEMP TABLE metrics (split VARCHAR, metric VARCHAR, value DOUBLE)");
      sql.execute("CREATE TEMP TABLE charts (chart VARCHAR, series VARCHAR, x VARCHAR, y BIGINT)");
      Checks checks = new Checks(sql);

      // ---- checks --------------------------------------------------------------------------------------
      long rows = DuckDbEtl.scalarLong(sql, "SELECT count(*) FROM tagged");
      checks.atMost("row_conservation", "ERROR", Math.abs(rows - expectedRows), 0,
          rows + " rows in the parts, " + expectedRows + " expected");
      long shared = DuckDbEtl.scalarLong(sql,
          "SELECT count(*) FROM (SELECT 1 FROM tagged GROUP BY " + ROW + " HAVING count(DISTINCT split) > 1)");
      checks.atMost("rows_in_two_splits", "ERROR", shared, 0, shared + " distinct rows in more than one part");
      long[] leak = longs(sql,
          "SELECT (SELECT count(*) FROM tagged WHERE split <> 'train'),"
              + " (SELECT count(*) FROM (SELECT user_id, item_id FROM tagged WHERE split <> 'train') e"
              + " SEMI JOIN (SELECT DISTINCT user_id, item_id FROM tagged WHERE split = 'train') t"
              + " ON e.user_id = t.user_id AND e.item_id = t.item_id)");
      long evaluationRows = leak[0];
      checks.atMost("pair_leakage", "ERROR", share(leak[1], evaluationRows), 0,
          leak[1] + " of " + evaluationRows + " evaluation rows repeat a (user, item) pair of train");
      long[] temporal = longs(sql,
          "SELECT count(*), count(*) FILTER (WHERE e.ts < l.last_train_ts)"
              + " FROM (SELECT user_id, ts FROM tagged WHERE split <> 'train') e"
              + " LEFT JOIN (SELECT user_id, max(ts) AS last_train_ts FROM tagged WHERE split = 'train' GROUP BY user_id) l"
              + " USING (user_id)");
      checks.atMost("temporal_leakage", "ERROR", share(temporal[1], temporal[0]), 0,
          temporal[1] + " of " + temporal[0] + " evaluation rows earlier than their user's last train event");

      sql.execute("CREATE TEMP TABLE per_user AS " + userSplitCounts(parts, ratios, minInteractions));
      long[] conform = longs(sql,
          "SELECT count(*), count(*) FILTER (WHERE conforms), count(*) FILTER (WHERE exact_allocation)"
              + " FROM per_user WHERE eligible");
      checks.atLeast("ratio_per_user", "ERROR", conform[0] == 0 ? 1.0 : (double) conform[1] / conform[0],
          MIN_USERS_WITHIN_TOLERANCE,
          conform[1] + " of " + conform[0] + " eligible users on target (" + conform[2] + " exact)");
      StringBuilder perPart = new StringBuilder("SELECT count(*)");
      for (String part : parts) {
        perPart.append(", count(*) FILTER (WHERE split = '").append(part).append("')");
      }
      long[] partRows = longs(sql, perPart.append(" FROM tagged").toString());
      double worst = 0;
      for (int i = 0; i < parts.size(); i++) {
        worst = Math.max(worst, Math.abs(share(partRows[i + 1], partRows[0]) - ratios[i]));
      }
      checks.atMost("ratio_overall", "WARNING", worst, TOLERANCE, "largest deviation from the target ratios");
      for (String[] id : new String[][] {{"user_id", "cold_start_users"}, {"item_id", "cold_start_items"}}) {
        long[] cold = longs(sql,
            "WITH e AS (SELECT DISTINCT " + id[0] + " FROM tagged WHERE split <> 'train'),"
                + " t AS (SELECT DISTINCT " + id[0] + " FROM tagged WHERE split = 'train')"
                + " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM e ANTI JOIN t USING (" + id[0] + "))");
        checks.atMost(id[1], "WARNING", cold[1], 0, cold[1] + " of " + cold[0] + " evaluation ids not in train");
      }
      long extra = DuckDbEtl.scalarLong(sql,
          "SELECT coalesce(sum(copies - 1), 0) FROM (SELECT count(*) AS copies FROM tagged GROUP BY "
              + ROW + ", split HAVING count(*) > 1)");
      checks.atMost("duplicates", "ERROR", extra, 0, extra + " extra copies of identical rows within a part");
      long[] nulls = longs(sql,
          "SELECT count(*) FILTER (WHERE user_id IS NULL), count(*) FILTER (WHERE item_id IS NULL),"
              + " count(*) FILTER (WHERE ts IS NULL) FROM tagged");
      checks.atMost("null_ids", "ERROR", nulls[0] + nulls[1] + nulls[2], 0,
          "null user_id " + nulls[0] + ", item_id " + nulls[1] + ", ts " + nulls[2]);
      long outside = DuckDbEtl.scalarLong(sql,
          "WITH r AS (SELECT min(user_id) AS u0, max(user_id) AS u1, min(item_id) AS i0, max(item_id) AS i1"
              + " FROM tagged WHERE split = 'train')"
              + " SELECT count(*) FROM tagged, r WHERE split <> 'train' AND (r.u0 IS NULL"
              + " OR user_id NOT BETWEEN r.u0 AND r.u1 OR item_id NOT BETWEEN r.i0 AND r.i1)");
      checks.atMost("id_range", "WARNING", outside, 0, outside + " evaluation rows with an id outside the train range");

      // ---- metrics ---------------------------------------------------------------------------------------
      sql.execute("CREATE TEMP VIEW with_all AS SELECT * FROM tagged UNION ALL SELECT * REPLACE ('all' AS split) FROM tagged");
      sql.execute(
          "CREATE TEMP TABLE per_split_user AS SELECT split, user_id, count(*) AS n FROM with_all GROUP BY ALL");
      sql.execute(
          "INSERT INTO metrics SELECT split, metric, value FROM ("
              + " SELECT s.split, s.rows, s.users, s.items, 1.0 - s.rows / (s.users * s.items) AS sparsity,"
              + " u.* EXCLUDE (split), i.* EXCLUDE (split) FROM"
              + " (SELECT split, count(*)::DOUBLE AS rows, count(DISTINCT user_id)::DOUBLE AS users,"
              + " count(DISTINCT item_id)::DOUBLE AS items FROM with_all GROUP BY split) s"
              + " JOIN (" + perKey("per_split_user", "interactions_per_user") + ") u USING (split)"
              + " JOIN (" + perKey("(SELECT split, item_id, count(*) AS n FROM with_all GROUP BY ALL)", "interactions_per_item")
              + ") i USING (split)"
              + ") UNPIVOT (value FOR metric IN (COLUMNS(* EXCLUDE (split))))");
      sql.execute("CREATE TEMP TABLE per_day AS SELECT split, ts::DATE AS day, count(*) AS rows FROM with_all GROUP BY ALL");
      sql.execute(
          "INSERT INTO metrics SELECT split, metric, value FROM (SELECT split, avg(rows)::DOUBLE AS events_per_day_mean,"
              + " max(rows)::DOUBLE AS events_per_day_max, count(*)::DOUBLE AS days_with_events FROM per_day GROUP BY split)"
              + " UNPIVOT (value FOR metric IN (COLUMNS(* EXCLUDE (split))))");
      sql.execute("CREATE TEMP TABLE per_rating AS SELECT split, round(rating * 2) / 2 AS rating, count(*) AS rows FROM with_all GROUP BY ALL");
      sql.execute(
          "INSERT INTO metrics SELECT split, CASE WHEN rating IS NULL THEN 'rating=null'"
              + " ELSE printf('rating=%.1f', rating) END, rows FROM per_rating");
      sql.execute(
          "INSERT INTO metrics SELECT 'all', metric, value FROM (SELECT"
              + " avg(CASE WHEN exact_allocation THEN 1.0 ELSE 0.0 END) AS users_exact_allocation_share,"
              + " avg(CASE WHEN within_tolerance THEN 1.0 ELSE 0.0 END) AS users_within_tolerance_share,"
              + " avg(CASE WHEN conforms THEN 1.0 ELSE 0.0 END) AS users_on_target_share,"
              + " count(*)::DOUBLE AS users_eligible FROM per_user WHERE eligible)"
              + " UNPIVOT (value FOR metric IN (COLUMNS(*))) WHERE value IS NOT NULL");
      if (parts.contains("test")) {
        insertMetric(sql, "test", "temporal_leakage_share", temporalLeakageShare(sql, "'train'"));
        if (parts.contains("validation")) {
          insertMetric(sql, "test", "temporal_leakage_share_with_validation",
              temporalLeakageShare(sql, "'train', 'validation'"));
        }
      }

      // ---- histograms and charts -------------------------------------------------------------------------
      StringBuilder bins = new StringBuilder();
      for (String part : parts) {
        bins.append(bins.length() == 0 ? "" : " UNION ALL ")
            .append("SELECT '").append(part).append("' AS split, bin / 20 AS bin_lower, (bin + 1) / 20 AS bin_upper,")
            .append(" count(*) AS users FROM (SELECT least(floor(frac_").append(part)
            .append(" * 20), 19)::INTEGER AS bin FROM per_user WHERE eligible) GROUP BY bin");
      }
      sql.execute("CREATE TEMP TABLE fraction_bins AS " + bins);
      sql.execute(
          "INSERT INTO charts SELECT 'interactions_per_user', split,"
              + " CASE WHEN bin = 0 THEN '1' ELSE (2 ** bin)::BIGINT || '-' || ((2 ** (bin + 1))::BIGINT - 1) END, users"
              + " FROM (SELECT split, floor(log2(n) + 1e-9)::INTEGER AS bin, count(*) AS users FROM per_split_user GROUP BY ALL)"
              + " ORDER BY split, bin");
      sql.execute(
          "INSERT INTO charts SELECT 'ratings', split, coalesce(printf('%.1f', rating), 'none'), rows FROM per_rating"
              + " ORDER BY split, rating NULLS LAST");
      sql.execute("INSERT INTO charts SELECT 'events_per_day', split, day::VARCHAR, rows FROM per_day ORDER BY split, day");
      // every one of the 20 bins of every part that has users, as MetricCollector.fractionCharts
      sql.execute(
          "INSERT INTO charts SELECT 'user_fractions', p.split, printf('%.2f', b.bin / 20), coalesce(f.users, 0)"
              + " FROM (SELECT DISTINCT split FROM fraction_bins) p CROSS JOIN range(20) b(bin)"
              + " LEFT JOIN fraction_bins f ON f.split = p.split AND f.bin_lower = b.bin / 20"
              + " ORDER BY p.split, b.bin");

      for (String table : new String[] {"checks", "metrics", "charts", "fraction_bins"}) {
        String file = table.equals("fraction_bins") ? "user_fraction_histogram" : table;
        sql.execute("COPY (SELECT * FROM " + table + ") TO '" + out.resolve(file + ".csv") + "' (HEADER)");
      }
      long failed = DuckDbEtl.scalarLong(sql, "SELECT count(*) FROM checks WHERE status = 'fail'");
      System.out.printf(
          Locale.ROOT,
          "duckdb %s quality of %s -> %s: %d rows, %d checks (%d failed): pair_leakage %d of %d, temporal_leakage %d,"
              + " %d of %d users on target, %d metrics in %.1f s%n",
          version, split, out, rows, checks.count, failed, leak[1], evaluationRows, temporal[1], conform[1],
          conform[0], DuckDbEtl.scalarLong(sql, "SELECT count(*) FROM metrics"), (System.nanoTime() - start) / 1e9);
    }
  }

  /** Per part: mean, median, p90 and max of the rows per key (split, key, n). */
  static String perKey(String counts, String prefix) {
    return "SELECT split, avg(n)::DOUBLE AS " + prefix + "_mean, quantile_disc(n, 0.5)::DOUBLE AS " + prefix
        + "_median, quantile_disc(n, 0.9)::DOUBLE AS " + prefix + "_p90, max(n)::DOUBLE AS " + prefix
        + "_max FROM " + counts + " GROUP BY split";
  }

  /**
   * Checks.userSplitCounts: per user the events in each part and whether they match the largest-remainder
   * allocation (ties to the earlier part; train gets at least one event, taken from the last non-empty
   * part) or every fraction is within max(tolerance, 1/n) of its ratio.
   */
  static String userSplitCounts(List<String> parts, double[] ratios, int minInteractions) {
    int k = parts.size();
    StringBuilder counts = new StringBuilder("SELECT user_id, count(*) AS events");
    for (String part : parts) {
      counts.append(", count(*) FILTER (WHERE split = '").append(part).append("') AS n_").append(part);
    }
    counts.append(" FROM tagged GROUP BY user_id");
    String[] exact = new String[k];
    String[] base = new String[k];
    String[] remainder = new String[k];
    for (int i = 0; i < k; i++) {
      exact[i] = "round(events * " + ratios[i] + "::DOUBLE, 9)";
      base[i] = "floor(" + exact[i] + ")";
      remainder[i] = "(" + exact[i] + " - " + base[i] + ")";
    }
    String leftover = "(events - (" + String.join(" + ", base) + "))";
    String[] allocation = new String[k];
    for (int i = 0; i < k; i++) {
      StringBuilder rank = new StringBuilder("0");
      for (int j = 0; j < k; j++) {
        if (j != i) {
          rank.append(" + (CASE WHEN ").append(remainder[j]).append(j < i ? " >= " : " > ")
              .append(remainder[i]).append(" THEN 1 ELSE 0 END)");
        }
      }
      allocation[i] = "(" + base[i] + " + CASE WHEN (" + rank + ") < " + leftover + " THEN 1 ELSE 0 END)";
    }
    String trainEmpty = "(" + allocation[0] + " = 0 AND events > 0)";
    String[] adjusted = allocation.clone();
    adjusted[0] = "CASE WHEN " + trainEmpty + " THEN 1 ELSE " + allocation[0] + " END";
    String taken = trainEmpty;
    for (int i = k - 1; i >= 1; i--) {
      String takeHere = "(" + taken + " AND " + allocation[i] + " > 0)";
      adjusted[i] = "CASE WHEN " + takeHere + " THEN " + allocation[i] + " - 1 ELSE " + allocation[i] + " END";
      taken = "(" + taken + " AND " + allocation[i] + " = 0)";
    }
    StringBuilder select = new StringBuilder("SELECT user_id, events");
    List<String> exactAll = new ArrayList<>();
    List<String> withinAll = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String n = "n_" + parts.get(i);
      select.append(", ").append(n).append(", ").append(n).append(" / events AS frac_").append(parts.get(i));
      exactAll.add(n + " = " + adjusted[i]);
      withinAll.add("abs(" + n + " / events - " + ratios[i] + "::DOUBLE) <= greatest(" + TOLERANCE + "::DOUBLE, 1.0 / events) + 1e-9");
    }
    String exactAllocation = "(" + String.join(" AND ", exactAll) + ")";
    String within = "(" + String.join(" AND ", withinAll) + ")";
    select.append(", events >= ").append(minInteractions).append(" AS eligible, ")
        .append(exactAllocation).append(" AS exact_allocation, ")
        .append(within).append(" AS within_tolerance, ")
        .append(exactAllocation).append(" OR ").append(within).append(" AS conforms");
    return select + " FROM (" + counts + ")";
  }

  /**
   * TemporalLeakage.share: over the test rows, the mean share of training rows (the parts in
   * {@code trainParts}) strictly later; one group-by on ts and one running sum over the distinct
   * timestamps, exact in integers up to the final division. NaN when a side is empty.
   */
  static double temporalLeakageShare(Statement sql, String trainParts) throws SQLException {
    long[] r = longs(sql,
        "WITH per_ts AS (SELECT ts, count(*) FILTER (WHERE split IN (" + trainParts + ")) AS tr,"
            + " count(*) FILTER (WHERE split = 'test') AS te FROM tagged"
            + " WHERE split IN (" + trainParts + ", 'test') GROUP BY ts),"
            + " later AS (SELECT te, coalesce(sum(tr) OVER (ORDER BY ts DESC ROWS BETWEEN UNBOUNDED PRECEDING"
            + " AND 1 PRECEDING), 0) AS train_later FROM per_ts)"
            + " SELECT (SELECT sum(tr) FROM per_ts)::BIGINT, (SELECT sum(te) FROM per_ts)::BIGINT,"
            + " sum(te * train_later)::BIGINT FROM later");
    if (r[0] == 0 || r[1] == 0) {
      return Double.NaN;
    }
    return BigDecimal.valueOf(r[2])
        .divide(BigDecimal.valueOf(r[0]).multiply(BigDecimal.valueOf(r[1])), MathContext.DECIMAL128)
        .doubleValue();
  }

  static void insertMetric(Statement sql, String split, String metric, double value) throws SQLException {
    if (!Double.isNaN(value)) {
      sql.execute("INSERT INTO metrics VALUES ('" + split + "', '" + metric + "', " + value + ")");
    }
  }

  static long[] longs(Statement sql, String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      long[] values = new long[rs.getMetaData().getColumnCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = rs.getLong(i + 1);
      }
      return values;
    }
  }

  static double share(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }

  /** Collects check results into the checks table, with recdata's pass/warn/fail rule. */
  static final class Checks {
    final Statement sql;
    int count;

    Checks(Statement sql) {
      this.sql = sql;
    }

    void atMost(String check, String level, double observed, double threshold, String detail) throws SQLException {
      add(check, level, observed > threshold, observed, threshold, detail);
    }

    void atLeast(String check, String level, double observed, double threshold, String detail) throws SQLException {
      add(check, level, observed < threshold, observed, threshold, detail);
    }

    private void add(String check, String level, boolean violated, double observed, double threshold, String detail)
        throws SQLException {
      String status = !violated ? "pass" : level.equals("ERROR") ? "fail" : "warn";
      sql.execute(String.format(
          Locale.ROOT, "INSERT INTO checks VALUES ('%s', '%s', '%s', %s, %s, '%s')",
          check, level, status, observed, threshold, detail.replace("'", "''")));
      count++;
    }
  }
}
