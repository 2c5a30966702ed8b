import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Not measured: checks that a DuckDB peer did the same work as the recdata stage it is timed against, by
 * comparing their outputs in DuckDB. Prints one line per comparison ("ok ..." or "MISMATCH ...") and a last
 * summary line; exits 1 on a mismatch.
 *
 * <ul>
 *   <li>{@code PeerCheck etl RECDATA_ETL DUCKDB_ETL}: the interactions (every row as a multiset: the sums of
 *       row hashes, and when they differ the rows in one output only),
 *       both in user, ts, item order within their files; the id maps, items and the counts (output,
 *       rejected, deduplicated exact / user_item, users, items) of the two manifests.
 *   <li>{@code PeerCheck quality RECDATA_QUALITY DUCKDB_QUALITY}: every check's status and observed value,
 *       every metric (medians and p90 are percentile_approx against quantile_disc, reported apart), the
 *       per-user fraction histogram and the chart points of report.json against the peer's CSVs.
 * </ul>
 */
public final class PeerCheck {
  private final Statement sql;
  private final List<String> mismatches = new ArrayList<>();
  private int checks;

  private PeerCheck(Statement sql) {
    this.sql = sql;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !(args[0].equals("etl") || args[0].equals("quality"))) {
      System.err.println("usage: PeerCheck etl|quality RECDATA_OUT DUCKDB_OUT");
      System.exit(2);
    }
    Path recdata = Path.of(args[1]).toAbsolutePath();
    Path duck = Path.of(args[2]).toAbsolutePath();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads = 2");
      sql.execute("SET temp_directory = '" + duck.getParent().resolve(duck.getFileName() + ".duckdb-tmp") + "'");
      sql.execute("SET TimeZone = 'UTC'");
      PeerCheck check = new PeerCheck(sql);
      if (args[0].equals("etl")) {
        check.etl(recdata, duck);
      } else {
        check.quality(recdata, duck);
      }
      if (check.mismatches.isEmpty()) {
        System.out.printf("PEER-CHECK %s: ok, %d comparisons agree%n", args[0], check.checks);
      } else {
        System.out.printf(
            "PEER-CHECK %s: %d of %d comparisons differ: %s%n",
            args[0],
            check.mismatches.size(),
            check.checks,
            String.join("; ", check.mismatches.subList(0, Math.min(5, check.mismatches.size())))
                + (check.mismatches.size() > 5 ? "; ..." : ""));
        System.exit(1);
      }
    }
  }

  private void etl(Path recdata, Path duck) throws SQLException {
    String r = parquet(recdata.resolve("interactions"));
    String d = parquet(duck.resolve("interactions"));
    equal("interactions rows", count(r), count(d));
    // The rows as a multiset: the sum of 64-bit row hashes (128-bit sum) is cheap at 25M rows; only when it
    // differs are the rows set against each other, to say how many differ.
    String fingerprint = "SELECT sum(hash(user_id, item_id, rating, ts, event, source)::HUGEINT)::VARCHAR FROM ";
    String rf = scalarString(fingerprint + r);
    String df = scalarString(fingerprint + d);
    checks++;
    if (rf != null && rf.equals(df)) {
      System.out.println("ok interactions rows as a multiset: the sums of row hashes agree (" + rf + ")");
    } else {
      equal("interactions rows in recdata only", 0, count("(SELECT * FROM " + r + " EXCEPT ALL SELECT * FROM " + d + ")"));
      equal("interactions rows in DuckDB only", 0, count("(SELECT * FROM " + d + " EXCEPT ALL SELECT * FROM " + r + ")"));
      mismatches.add("interactions row hash sums differ: recdata " + rf + ", DuckDB " + df);
    }
    for (String[] side : new String[][] {{"recdata", recdata.toString()}, {"DuckDB", duck.toString()}}) {
      equal(
          side[0] + " rows out of (user, ts, item) order",
          0,
          scalar(
              "SELECT count(*) FROM (SELECT user_id, ts, item_id, lag(user_id) OVER w AS pu, lag(ts) OVER w AS pt,"
                  + " lag(item_id) OVER w AS pi FROM read_parquet('"
                  + Path.of(side[1]).resolve("interactions/*.parquet")
                  + "', filename = true, file_row_number = true) WINDOW w AS (ORDER BY filename, file_row_number))"
                  + " WHERE pu IS NOT NULL AND (pu, pt, pi) > (user_id, ts, item_id)"));
    }
    for (String table : new String[] {"id_maps/users", "id_maps/items", "items"}) {
      String a = parquet(recdata.resolve(table));
      String b = parquet(duck.resolve(table));
      equal(table + " rows", count(a), count(b));
      equal(table + " rows in one only",
          0,
          count("((SELECT * FROM " + a + " EXCEPT ALL SELECT * FROM " + b + ") UNION ALL (SELECT * FROM " + b
              + " EXCEPT ALL SELECT * FROM " + a + "))"));
    }
    String rm = "read_json('" + recdata.resolve("manifest.json") + "')";
    String dm = "read_json('" + duck.resolve("manifest.json") + "')";
    for (String field :
        new String[] {"input", "output", "rejected", "deduplicated.exact", "deduplicated.user_item", "users", "items"}) {
      equal("manifest counts." + field,
          scalar("SELECT counts." + field + " FROM " + rm),
          scalar("SELECT counts." + field + " FROM " + dm));
    }
    System.out.printf(
        "etl: recdata %d rows out, DuckDB %d rows out%n",
        scalar("SELECT counts.output FROM " + rm),
        scalar("SELECT counts.output FROM " + dm));
  }

  private void quality(Path recdata, Path duck) throws SQLException {
    String report = "read_json('" + recdata.resolve("report.json") + "', maximum_object_size = 1000000000)";
    sql.execute("CREATE TEMP TABLE r_checks AS SELECT unnest(checks, recursive := true) FROM " + report);
    sql.execute("CREATE TEMP TABLE r_metrics AS SELECT unnest(metrics, recursive := true) FROM " + report);
    sql.execute("CREATE TEMP TABLE r_bins AS SELECT unnest(user_fraction_histogram, recursive := true) FROM " + report);
    sql.execute("CREATE TEMP TABLE r_charts AS SELECT unnest(charts, recursive := true) FROM " + report);
    sql.execute("CREATE TEMP TABLE d_checks AS FROM read_csv('" + duck.resolve("checks.csv") + "')");
    sql.execute("CREATE TEMP TABLE d_metrics AS FROM read_csv('" + duck.resolve("metrics.csv") + "')");
    sql.execute("CREATE TEMP TABLE d_bins AS FROM read_csv('" + duck.resolve("user_fraction_histogram.csv") + "')");
    sql.execute("CREATE TEMP TABLE d_charts AS FROM read_csv('" + duck.resolve("charts.csv")
        + "', types = {'x': 'VARCHAR', 'series': 'VARCHAR'})");

    try (ResultSet rs =
        sql.executeQuery(
            "SELECT r.\"check\", r.status, d.status, r.observed, d.observed FROM r_checks r"
                + " FULL JOIN d_checks d ON r.\"check\" = d.check_name ORDER BY 1")) {
      while (rs.next()) {
        String name = rs.getString(1);
        checks++;
        boolean same =
            rs.getString(2) != null
                && rs.getString(2).equals(rs.getString(3))
                && Math.abs(rs.getDouble(4) - rs.getDouble(5)) <= 1e-9 * Math.max(1, Math.abs(rs.getDouble(4)));
        String line = String.format(
            "check %s: recdata %s %s, DuckDB %s %s", name, rs.getString(2), rs.getString(4), rs.getString(3),
            rs.getString(5));
        System.out.println((same ? "ok " : "MISMATCH ") + line);
        if (!same) {
          mismatches.add(line);
        }
      }
    }
    // The manifest counts recdata copies into its metrics are not the peer's work.
    String metrics =
        "SELECT coalesce(r.split, d.split) AS split, coalesce(r.metric, d.metric) AS metric, r.value AS rv, d.value AS dv"
            + " FROM (SELECT * FROM r_metrics WHERE split NOT LIKE '%_manifest') r"
            + " FULL JOIN d_metrics d ON r.split = d.split AND r.metric = d.metric";
    long metricCount = scalar("SELECT count(*) FROM (" + metrics + ")");
    long quantiles = 0;
    long quantilesDiffer = 0;
    try (ResultSet rs =
        sql.executeQuery(
            "SELECT * FROM (" + metrics + ") WHERE rv IS NULL OR dv IS NULL"
                + " OR abs(rv - dv) > 1e-9 * greatest(1, abs(rv)) OR metric LIKE '%_median' OR metric LIKE '%_p90'"
                + " ORDER BY ALL")) {
      while (rs.next()) {
        String metric = rs.getString(2);
        boolean quantile = metric.endsWith("_median") || metric.endsWith("_p90");
        boolean same = rs.getObject(3) != null && rs.getObject(4) != null
            && Math.abs(rs.getDouble(3) - rs.getDouble(4)) <= 1e-9 * Math.max(1, Math.abs(rs.getDouble(3)));
        if (quantile) {
          quantiles++;
          if (!same) {
            quantilesDiffer++;
            System.out.printf(
                "note %s %s: recdata percentile_approx %s, DuckDB quantile_disc %s%n",
                rs.getString(1), metric, rs.getString(3), rs.getString(4));
          }
          continue;
        }
        String line = String.format(
            "metric %s %s: recdata %s, DuckDB %s", rs.getString(1), metric, rs.getString(3), rs.getString(4));
        System.out.println("MISMATCH " + line);
        mismatches.add(line);
      }
    }
    checks += (int) (metricCount - quantiles);
    System.out.printf(
        "metrics: %d compared, %d medians/p90 of which %d differ (approximate against exact)%n",
        metricCount, quantiles, quantilesDiffer);
    equal("user fraction histogram rows in one only",
        0,
        scalar("SELECT count(*) FROM ((SELECT split, bin_lower, bin_upper, users FROM r_bins WHERE users > 0 EXCEPT ALL"
            + " SELECT split, bin_lower, bin_upper, users FROM d_bins WHERE users > 0) UNION ALL (SELECT split, bin_lower, bin_upper,"
            + " users FROM d_bins WHERE users > 0 EXCEPT ALL SELECT split, bin_lower, bin_upper, users FROM r_bins WHERE users > 0))"));
    equal("chart points", scalar("SELECT count(*) FROM r_charts"), scalar("SELECT count(*) FROM d_charts"));
    equal("chart points in one only",
        0,
        scalar("SELECT count(*) FROM ((SELECT chart, series, x, y::BIGINT FROM r_charts EXCEPT ALL"
            + " SELECT chart, series, x, y FROM d_charts) UNION ALL (SELECT chart, series, x, y FROM d_charts"
            + " EXCEPT ALL SELECT chart, series, x, y::BIGINT FROM r_charts))"));
    System.out.printf(
        "quality: pair_leakage observed recdata %s, DuckDB %s%n",
        scalarString("SELECT observed FROM r_checks WHERE \"check\" = 'pair_leakage'"),
        scalarString("SELECT observed FROM d_checks WHERE check_name = 'pair_leakage'"));
  }

  private void equal(String what, long expected, long actual) {
    checks++;
    boolean same = expected == actual;
    String line = String.format("%s: recdata %d, DuckDB %d", what, expected, actual);
    if (what.endsWith("only") || what.endsWith("order")) {
      line = String.format("%s: %d (expected %d)", what, actual, expected);
    }
    System.out.println((same ? "ok " : "MISMATCH ") + line);
    if (!same) {
      mismatches.add(line);
    }
  }

  private static String parquet(Path dir) {
    return "read_parquet('" + dir.resolve("*.parquet") + "')";
  }

  private long count(String relation) throws SQLException {
    return scalar("SELECT count(*) FROM " + relation);
  }

  private long scalar(String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String scalarString(String query) throws SQLException {
    try (ResultSet rs = sql.executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
