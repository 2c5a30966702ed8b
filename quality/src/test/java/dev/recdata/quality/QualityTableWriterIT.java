package dev.recdata.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.Postgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityTableWriterIT {
  @TempDir Path tmp;

  private String schema;
  private final JdbcTarget target = new JdbcTarget(Postgres.URL, Postgres.USER, null);

  @BeforeEach
  void createSchema() {
    Postgres.connect();
    schema = Postgres.createSchema("quality_it");
    // The writer creates the schema itself; start from none to prove it.
    Postgres.dropSchema(schema);
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  @Test
  void runIsWrittenReadBackReplacedOnRewriteAndAnswersTheDashboardQuestions() throws Exception {
    Map<String, List<Row>> parts = Fixtures.cleanSplit();
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(
        split, null, parts, Fixtures.splitManifest("user-ratio", 100, parts, 0.7, 0.2, 0.1));

    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            tmp.resolve("out").toString(),
            QualityOptions.defaults(),
            target,
            schema);

    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(count(QualityTableWriter.CHECKS)).isEqualTo(report.checks().size());
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(report.metrics().size());
    assertThat(count(QualityTableWriter.USER_FRACTIONS))
        .isEqualTo(report.fractionBins().size())
        .isPositive();
    assertThat(
            queryOne(
                "SELECT split_run_id || ' ' || strategy || ' ' || status || ' ' || gate_failed FROM "
                    + schema
                    + ".quality_runs WHERE run_id = '"
                    + report.runId()
                    + "'"))
        .isEqualTo("20240101T000000Z-split001 user-ratio pass false");
    assertThat(
            queryOne(
                "SELECT observed FROM "
                    + schema
                    + ".quality_checks WHERE check_name = 'ratio_per_user'"))
        .isEqualTo("1");
    assertThat(
            queryOne(
                "SELECT value FROM "
                    + schema
                    + ".quality_metrics WHERE split = 'train' AND metric = 'interactions_per_user_mean'"))
        .isEqualTo("7");
    assertThat(
            queryOne(
                "SELECT value FROM "
                    + schema
                    + ".quality_metrics WHERE split = 'test' AND metric = '"
                    + Metrics.TEMPORAL_LEAKAGE_SHARE
                    + "'"))
        .isEqualTo("0");
    assertThat(
            queryOne(
                "SELECT users FROM "
                    + schema
                    + ".quality_user_fractions WHERE split = 'train' AND bin_lower = 0.7"))
        .isEqualTo("10");
    assertThat(
            queryOne(
                "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_name) FROM"
                    + " information_schema.columns WHERE table_schema = '"
                    + schema
                    + "' AND table_name = 'quality_metrics'"))
        .isEqualTo(
            "computed_at:timestamp with time zone,dataset:text,metric:text,run_id:text,"
                + "split:text,value:double precision");

    QualityTableWriter.write(target, schema, report);
    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(count(QualityTableWriter.CHECKS)).isEqualTo(report.checks().size());
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(report.metrics().size());

    QualityReport leaky = withChecks(report, "later-run", leakedCheck(report));
    QualityTableWriter.write(target, schema, leaky);
    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(2);

    Map<String, String> questions = DashboardSql.forSchema(schema);
    assertThat(rows(questions.get("leakage_over_time"))).hasSize(4);
    assertThat(rows(questions.get("users_on_target")))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r).contains("user-ratio"));
    assertThat(rows(questions.get("user_fractions_latest_run"))).isNotEmpty();
    assertThat(rows(questions.get("mean_interactions_per_user")))
        .hasSize(8)
        .anySatisfy(r -> assertThat(r).endsWith("|train|7"))
        .anySatisfy(r -> assertThat(r).endsWith("|all|10"));
  }

  @Test
  void aFailedWriteLeavesNothingBehind() throws Exception {
    QualityReport ok = withChecks(sample("ok-run"), "ok-run", List.of());
    QualityTableWriter.write(target, schema, ok);
    CheckResult check = CheckResult.atMost("pair_leakage", Level.ERROR, 0, 0, "none");
    // Two checks of the same name break the primary key half way through the run.
    QualityReport broken = withChecks(sample("broken-run"), "broken-run", List.of(check, check));

    assertThatThrownBy(() -> QualityTableWriter.write(target, schema, broken))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("cannot write quality run broken-run");

    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(queryOne("SELECT run_id FROM " + schema + ".quality_runs")).isEqualTo("ok-run");
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(1);
  }

  private static QualityReport sample(String runId) {
    return new QualityReport(
        runId,
        "split-run",
        null,
        "/data/split",
        QualityInput.SPLIT,
        "user-ratio",
        "pass",
        FailOn.FAIL,
        java.time.Instant.parse("2024-01-01T00:00:00Z"),
        java.time.Instant.parse("2024-01-01T00:01:00Z"),
        List.of(),
        List.of(new MetricValue("/data/split", "all", "rows", 10)),
        List.of(),
        List.of());
  }

  private static List<CheckResult> leakedCheck(QualityReport report) {
    List<CheckResult> checks = new ArrayList<>(report.checks());
    checks.replaceAll(
        c ->
            c.check().equals(Checks.PAIR_LEAKAGE)
                ? CheckResult.atMost(Checks.PAIR_LEAKAGE, Level.ERROR, 0.25, 0, "planted")
                : c);
    return checks;
  }

  private static QualityReport withChecks(QualityReport r, String runId, List<CheckResult> checks) {
    return new QualityReport(
        runId,
        r.upstreamRunId(),
        r.pipelineRunId(),
        r.dataset(),
        r.kind(),
        r.strategy(),
        QualityReport.statusOf(checks),
        r.failOn(),
        r.startedAt(),
        r.finishedAt().plusSeconds(60),
        checks,
        r.metrics(),
        r.fractionBins(),
        r.chartPoints());
  }

  private long count(String table) throws SQLException {
    return Long.parseLong(queryOne("SELECT count(*) FROM " + schema + "." + table));
  }

  private static String queryOne(String sql) throws SQLException {
    List<String> rows = rows(sql);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  /** Every row of a query as its columns joined by '|'. */
  private static List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
