package dev.recdata.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.DatasetNames;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunContext;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  void runIsWrittenInVersionTwoReplacedOnRewriteAndAnswersTheQualityQuestions() throws Exception {
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
            schema,
            new RunContext("20240101T000000Z-pipe0001", "ml-100k"));

    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(count(QualityTableWriter.CHECKS)).isEqualTo(report.checks().size());
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(report.metrics().size());
    // Every bin of every part, zeros included.
    assertThat(count(QualityTableWriter.USER_FRACTIONS)).isEqualTo(3 * Metrics.FRACTION_BINS);
    assertThat(
            queryOne(
                "SELECT concat_ws(' ', run_id, pipeline_run_id, dataset, split_run_id, etl_run_id,"
                    + " strategy, train_ratio, validation_ratio, test_ratio, coalesce(folds, -1),"
                    + " status, gate_failed, input_path = '"
                    + split
                    + "') FROM "
                    + schema
                    + ".quality_runs"))
        .isEqualTo(
            "20240101T000000Z-split001 20240101T000000Z-pipe0001 ml-100k 20240101T000000Z-split001"
                + " 20240101T000000Z-etl00001 user-ratio 0.7 0.2 0.1 -1 pass f t");
    // One pipeline run id, from the RunContext: the table's column, report.json and report.html.
    Path out = tmp.resolve("out");
    assertThat(
            Json.MAPPER
                .readTree(out.resolve(QualityOutput.REPORT_JSON).toFile())
                .path("pipeline_run_id")
                .asText())
        .isEqualTo("20240101T000000Z-pipe0001");
    assertThat(Files.readString(out.resolve(QualityOutput.REPORT_HTML)))
        .contains("pipeline run <b>20240101T000000Z-pipe0001</b>");
    assertThat(
            queryOne(
                "SELECT observed FROM "
                    + schema
                    + ".quality_checks WHERE check_name = 'ratio_per_user' AND fold IS NULL"))
        .isEqualTo("1");
    assertThat(
            queryOne(
                "SELECT value FROM "
                    + schema
                    + ".quality_metrics WHERE split = 'train' AND metric = 'interactions_per_user_mean'"))
        .isEqualTo("7");
    assertThat(
            queryOne(
                "SELECT users FROM "
                    + schema
                    + ".quality_user_fractions WHERE split = 'train' AND bin_lower = 0.7"))
        .isEqualTo("10");
    assertThat(
            queryOne(
                "SELECT users FROM "
                    + schema
                    + ".quality_user_fractions WHERE split = 'train' AND bin_lower = 0"))
        .isEqualTo("0");
    assertThat(
            queryOne(
                "SELECT count(DISTINCT pipeline_run_id || dataset) FROM "
                    + schema
                    + ".quality_metrics"))
        .as("every row carries the pipeline run and the dataset")
        .isEqualTo("1");
    assertThat(
            queryOne(
                "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY column_name) FROM"
                    + " information_schema.columns WHERE table_schema = '"
                    + schema
                    + "' AND table_name = 'quality_metrics'"))
        .isEqualTo(
            "computed_at:timestamp with time zone,dataset:text,fold:integer,metric:text,"
                + "pipeline_run_id:text,run_id:text,split:text,value:double precision");
    assertThat(
            queryOne("SELECT version FROM " + schema + ".schema_version WHERE tables = 'quality'"))
        .isEqualTo("2");

    QualityTableWriter.write(target, schema, report);
    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(count(QualityTableWriter.CHECKS)).isEqualTo(report.checks().size());
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(report.metrics().size());

    QualityReport leaky = withChecks(report, "later-run", leakedCheck(report));
    QualityTableWriter.write(target, schema, leaky);
    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(2);

    Map<String, String> questions = DashboardSql.forSchema(schema);
    assertThat(rows(questions.get("leakage_over_time")))
        .hasSize(4)
        .anySatisfy(r -> assertThat(r).contains("|pair_leakage|fail|0.25|0"));
    assertThat(rows(questions.get("users_on_target")))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r).contains("|ml-100k|user-ratio|0.7|0.2|0.1|1|0.95|pass"));
    assertThat(rows(questions.get("user_fractions_latest_run")))
        .hasSize(3 * Metrics.FRACTION_BINS)
        .contains("null|train|0.7|0.75|10", "null|train|0|0.05|0");
    assertThat(rows(questions.get("mean_interactions_per_user")))
        .hasSize(8)
        .anySatisfy(r -> assertThat(r).endsWith("|null|train|7"))
        .anySatisfy(r -> assertThat(r).endsWith("|null|all|10"));
  }

  @Test
  void kfoldRunKeepsTheFoldInItsOwnColumn() throws Exception {
    Path split = tmp.resolve("kfold");
    Map<String, List<Row>> fold = new LinkedHashMap<>();
    fold.put(
        Schema.Layout.TRAIN,
        List.of(Fixtures.row(1, 1, 1, 4f), Fixtures.row(1, 2, 2, 4f), Fixtures.row(2, 1, 1, 3f)));
    fold.put(Schema.Layout.TEST, List.of(Fixtures.row(2, 2, 2, 5f)));
    Fixtures.writeSplit(split, "fold=0", fold, null);
    Fixtures.writeSplit(split, "fold=1", fold, Fixtures.splitManifest("kfold", 4, fold));

    // Version 1 failed here: each fold's "all" part was the same key (quality_metrics_pkey).
    QualityReport report =
        QualityJob.run(
            Fixtures.spark(),
            split.toString(),
            tmp.resolve("out").toString(),
            QualityOptions.defaults(),
            target,
            schema);

    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(report.metrics().size());
    assertThat(
            rows(
                "SELECT fold || ' ' || value FROM "
                    + schema
                    + ".quality_metrics WHERE split = 'all' AND metric = 'rows' ORDER BY fold"))
        .containsExactly("0 4", "1 4");
    assertThat(
            rows(
                "SELECT fold || ' ' || status FROM "
                    + schema
                    + ".quality_checks WHERE check_name = 'pair_leakage' ORDER BY fold"))
        .containsExactly("0 pass", "1 pass");
    assertThat(queryOne("SELECT folds || ' ' || dataset FROM " + schema + ".quality_runs"))
        .isEqualTo("2 kfold");
  }

  /** The shape version 1 of the writer created, and one run in it of each kind. */
  private static final List<String> VERSION_1 =
      List.of(
          "CREATE SCHEMA %1$s",
          "CREATE TABLE %1$s.quality_runs (run_id text PRIMARY KEY, dataset text NOT NULL, kind text NOT NULL,"
              + " split_run_id text, strategy text, status text NOT NULL, fail_on text NOT NULL,"
              + " gate_failed boolean NOT NULL, checks_failed integer NOT NULL, checks_warned integer NOT NULL,"
              + " started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)",
          "CREATE TABLE %1$s.quality_checks (run_id text NOT NULL REFERENCES %1$s.quality_runs (run_id)"
              + " ON DELETE CASCADE, dataset text NOT NULL, check_name text NOT NULL, level text NOT NULL,"
              + " status text NOT NULL, observed double precision, threshold double precision,"
              + " message text NOT NULL, computed_at timestamptz NOT NULL, PRIMARY KEY (run_id, check_name))",
          "CREATE TABLE %1$s.quality_metrics (run_id text NOT NULL REFERENCES %1$s.quality_runs (run_id)"
              + " ON DELETE CASCADE, dataset text NOT NULL, split text NOT NULL, metric text NOT NULL,"
              + " value double precision, computed_at timestamptz NOT NULL, PRIMARY KEY (run_id, split, metric))",
          "CREATE TABLE %1$s.quality_user_fractions (run_id text NOT NULL REFERENCES %1$s.quality_runs"
              + " (run_id) ON DELETE CASCADE, dataset text NOT NULL, split text NOT NULL,"
              + " bin_lower double precision NOT NULL, bin_upper double precision NOT NULL,"
              + " users bigint NOT NULL, computed_at timestamptz NOT NULL, PRIMARY KEY (run_id, split, bin_lower))",
          "INSERT INTO %1$s.quality_runs VALUES ('split-a.q1', '/data/ml-1m-split', 'split', 'split-a',"
              + " 'kfold', 'pass', 'fail', false, 0, 0, '2023-01-01T00:00:00Z', '2023-01-01T00:01:00Z'),"
              + " ('etl-e.q2', '/data/etl', 'etl', 'etl-e', null, 'pass', 'fail', false, 0, 0,"
              + " '2023-01-02T00:00:00Z', '2023-01-02T00:01:00Z'),"
              + " ('split-b.q3', '/data/b', 'split', 'split-b', 'user-ratio', 'pass', 'fail', false, 0, 0,"
              + " '2023-01-03T00:00:00Z', '2023-01-03T00:01:00Z')",
          "INSERT INTO %1$s.quality_checks VALUES ('split-a.q1', '/data/ml-1m-split',"
              + " 'pair_leakage[fold=1]', 'ERROR', 'pass', 0, 0, 'none', '2023-01-01T00:01:00Z')",
          "INSERT INTO %1$s.quality_metrics VALUES ('split-a.q1', '/data/ml-1m-split', 'fold=1/train',"
              + " 'rows', 90, '2023-01-01T00:01:00Z'), ('split-a.q1', '/data/ml-1m-split', 'split_manifest',"
              + " 'train', 180, '2023-01-01T00:01:00Z')",
          "INSERT INTO %1$s.quality_user_fractions VALUES ('split-a.q1', '/data/ml-1m-split',"
              + " 'fold=1/train', 0.8, 0.85, 12, '2023-01-01T00:01:00Z')");

  @Test
  void versionOneTablesAreMigratedInPlaceAndTheirRowsKept() throws Exception {
    VERSION_1.forEach(sql -> Postgres.execute(String.format(sql, schema)));

    // split-b checked again: its version 1 run (an automatic id) is replaced, the others stay.
    QualityTableWriter.write(target, schema, sample("split-b", "split-b"));

    assertThat(
            queryOne("SELECT version FROM " + schema + ".schema_version WHERE tables = 'quality'"))
        .isEqualTo("2");
    assertThat(rows("SELECT run_id FROM " + schema + ".quality_runs ORDER BY run_id"))
        .containsExactly("etl-e.q2", "split-a.q1", "split-b");
    assertThat(
            queryOne(
                "SELECT concat_ws(' ', dataset, input_path, split_run_id, strategy,"
                    + " coalesce(pipeline_run_id, 'none')) FROM "
                    + schema
                    + ".quality_runs WHERE run_id = 'split-a.q1'"))
        .isEqualTo(
            DatasetNames.fromPath("/data/ml-1m-split") + " /data/ml-1m-split split-a kfold none");
    assertThat(
            queryOne(
                "SELECT coalesce(split_run_id, 'none') || ' ' || etl_run_id FROM "
                    + schema
                    + ".quality_runs WHERE run_id = 'etl-e.q2'"))
        .isEqualTo("none etl-e");
    assertThat(
            queryOne(
                "SELECT concat_ws(' ', fold, check_name, dataset) FROM "
                    + schema
                    + ".quality_checks WHERE run_id = 'split-a.q1'"))
        .isEqualTo("1 pair_leakage ml-1m-split");
    assertThat(
            rows(
                "SELECT concat_ws(' ', coalesce(fold, -1), split, value) FROM "
                    + schema
                    + ".quality_metrics WHERE run_id = 'split-a.q1' ORDER BY split"))
        .containsExactly("-1 split_manifest 180", "1 train 90");
    assertThat(
            queryOne(
                "SELECT concat_ws(' ', fold, split, bin_lower, users) FROM "
                    + schema
                    + ".quality_user_fractions WHERE run_id = 'split-a.q1'"))
        .isEqualTo("1 train 0.8 12");

    // The migrated tables take version 2 rows and answer the questions.
    Map<String, String> questions = DashboardSql.forSchema(schema);
    assertThat(rows(questions.get("leakage_over_time")))
        .singleElement()
        .asString()
        .contains("|ml-1m-split|kfold|1|pair_leakage|pass");
    assertThat(rows(questions.get("mean_interactions_per_user"))).isEmpty();
    assertThat(rows(questions.get("rejects_by_reason"))).isEmpty();
  }

  @Test
  void tablesOfANewerVersionAreRefusedAndLeftAsTheyAre() throws Exception {
    QualityTableWriter.write(target, schema, sample("ok-run", "split-1"));
    Postgres.execute("UPDATE " + schema + ".schema_version SET version = 3");

    assertThatThrownBy(() -> QualityTableWriter.write(target, schema, sample("next", "split-2")))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("version 3, newer than the version 2")
        .satisfies(e -> assertThat(((RecdataException) e).exitCode()).isEqualTo(2));
    assertThat(rows("SELECT run_id FROM " + schema + ".quality_runs")).containsExactly("ok-run");
  }

  @Test
  void aFailedWriteLeavesNothingBehind() throws Exception {
    QualityReport ok = withChecks(sample("ok-run", "split-run"), "ok-run", List.of());
    QualityTableWriter.write(target, schema, ok);
    CheckResult check = CheckResult.atMost("pair_leakage", Level.ERROR, 0, 0, "none");
    // Two checks of the same name break the unique key half way through the run.
    QualityReport broken =
        withChecks(sample("broken-run", "split-run"), "broken-run", List.of(check, check));

    assertThatThrownBy(() -> QualityTableWriter.write(target, schema, broken))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("cannot write quality run broken-run");

    assertThat(count(QualityTableWriter.RUNS)).isEqualTo(1);
    assertThat(queryOne("SELECT run_id FROM " + schema + ".quality_runs")).isEqualTo("ok-run");
    assertThat(count(QualityTableWriter.METRICS)).isEqualTo(1);
  }

  private static QualityReport sample(String runId, String splitRunId) {
    return new QualityReport(
        runId,
        null,
        "sample",
        new QualityReport.CheckedInput(
            "/data/split", QualityInput.SPLIT, splitRunId, null, "user-ratio", null, null),
        "pass",
        FailOn.FAIL,
        Instant.parse("2024-01-01T00:00:00Z"),
        Instant.parse("2024-01-01T00:01:00Z"),
        List.of(),
        List.of(new MetricValue("sample", "all", "rows", 10)),
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
        r.pipelineRunId(),
        r.dataset(),
        r.input(),
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
