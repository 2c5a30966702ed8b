package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Json;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.quality.DashboardSql;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's dashboard questions ({@link DashboardSql}) against what three pipeline runs write to
 * the real PostgreSQL: a holdout, a k-fold and a global-time split of one etl output read from a
 * feedback table. ALS is kept to one small fit per fold; the point is the tables, not the model.
 */
class DashboardQueriesIT {
  private static final int USERS = 20;
  private static final int ROUNDS = 10;

  /** A lean ALS: one small fit per fold, nothing refit, no second protocol. */
  private static final List<String> LEAN_ALS =
      List.of(
          "--tune",
          "off",
          "--rank",
          "2",
          "--max-iter",
          "2",
          "--no-refit-on-all",
          "--no-global-time-check");

  private String schema;

  @BeforeEach
  void createFeedbackTable() {
    schema = Postgres.createSchema("dashboard_it");
    Postgres.execute(
        "CREATE TABLE "
            + schema
            + ".feedback (id bigserial PRIMARY KEY, user_id bigint NOT NULL, like_item bigint,"
            + " other_items bigint[], created_at timestamptz NOT NULL)");
    // 20 users, 10 likes each with two impressions passed over, two hours apart from a Monday noon:
    // 400 hours, three calendar weeks in any session time zone. Pairs never repeat (see
    // PipelineFeedbackIT), so nothing is
    // deduplicated.
    StringBuilder values = new StringBuilder();
    Instant start = Instant.parse("2026-01-05T12:00:00Z");
    int n = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (int user = 1; user <= USERS; user++) {
        long liked = (user * 7L + round * 3L) % 40;
        values.append(
            String.format(
                "%s(%d, %d, '{%d,%d}', '%s')",
                n == 0 ? "" : ",",
                user,
                liked,
                (liked + 5) % 40,
                (liked + 35) % 40,
                start.plus(2L * n++, ChronoUnit.HOURS)));
      }
    }
    // The planted reject: an impression list with a hole in it.
    values.append(String.format(",(1, 3, '{4,NULL}', '%s')", start.plus(1, ChronoUnit.HOURS)));
    Postgres.execute(
        "INSERT INTO "
            + schema
            + ".feedback (user_id, like_item, other_items, created_at) VALUES "
            + values);
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  @Test
  void everyQuestionAnswersForHoldoutKfoldAndGlobalTimeRunsAndTheTablesJoinAcrossStages(
      @TempDir Path tmp) throws Exception {
    String out = tmp.resolve("runs-root").toString();
    Map<String, String> questions = DashboardSql.forSchema(schema, schema + ".feedback");

    String holdout =
        pipeline(out, "--feedback-table", schema + ".feedback", "--strategy", "user-ratio");
    assertThat(rows(questions.get("user_fractions_latest_run")))
        .hasSize(3 * 20)
        .contains("null|train|0.7|0.75|20");
    String kfold =
        pipeline(
            out, "--from", "split", "--base-run", holdout, "--strategy", "kfold", "--folds", "2");
    assertThat(rows(questions.get("user_fractions_latest_run")))
        .hasSize(2 * 2 * 20)
        .anySatisfy(r -> assertThat(r).startsWith("1|test|"));
    String globalTime =
        pipeline(
            out,
            "--from",
            "split",
            "--base-run",
            holdout,
            "--strategy",
            "global-time",
            "--ratios",
            "0.8,0.1,0.1");
    // Version 1 stored no bins for a global-time run: every bin of every part now, zeros included.
    assertThat(rows(questions.get("user_fractions_latest_run")))
        .hasSize(3 * 20)
        .contains("null|validation|0.95|1|0");

    // One quality run per split, each filed under its pipeline run and the etl input's name.
    assertThat(
            rows(
                "SELECT concat_ws(' ', pipeline_run_id, strategy, dataset, folds, train_ratio,"
                    + " run_id = split_run_id) FROM "
                    + schema
                    + ".quality_runs ORDER BY finished_at"))
        .containsExactly(
            holdout + " user-ratio feedback 0.7 t",
            kfold + " kfold feedback 2 t",
            globalTime + " global-time feedback 0.8 t");

    for (String run : List.of(holdout, kfold, globalTime)) {
      double ndcg =
          Json.read(
                  SharedSpark.session().sparkContext().hadoopConfiguration(),
                  out + "/runs/" + run + "/als/metrics.json")
              .get("test")
              .get("als")
              .get("ndcg@10")
              .asDouble();
      // The stages of one pipeline run join on its id: the split's gate beside the model it let
      // through.
      assertThat(
              rows(
                  "SELECT q.status, m.value FROM "
                      + schema
                      + ".quality_runs q JOIN "
                      + schema
                      + ".model_metrics m ON m.pipeline_run_id = q.pipeline_run_id"
                      + " WHERE q.pipeline_run_id = '"
                      + run
                      + "' AND m.model = 'als' AND m.split = 'test'"
                      + " AND m.statistic IN ('value', 'mean') AND m.metric = 'ndcg@10'"))
          .as(run)
          .singleElement()
          .satisfies(r -> assertThat(Double.parseDouble(r.split("\\|")[1])).isEqualTo(ndcg));
      assertThat(rows(questions.get("als_vs_baselines")))
          .filteredOn(r -> r.contains("|" + run + "|"))
          .hasSize(4)
          .anySatisfy(
              r -> {
                assertThat(r).contains("|feedback|").contains("|als|ndcg@10|");
                assertThat(Double.parseDouble(r.substring(r.lastIndexOf('|') + 1))).isEqualTo(ndcg);
              })
          .anySatisfy(r -> assertThat(r).contains("|most_popular|ndcg@10|"));
    }

    assertThat(rows(questions.get("leakage_over_time")))
        .anySatisfy(r -> assertThat(r).contains("|feedback|user-ratio|null|pair_leakage|pass|0|0"))
        .anySatisfy(r -> assertThat(r).contains("|feedback|kfold|1|pair_leakage|pass|0|0"))
        .anySatisfy(
            r -> assertThat(r).contains("|feedback|global-time|null|cutoff_leakage|pass|0"));
    assertThat(rows(questions.get("users_on_target")))
        .hasSize(1 + 2 + 1)
        .anySatisfy(r -> assertThat(r).contains("|user-ratio|0.7|0.2|0.1|1|0.95|pass"))
        .anySatisfy(r -> assertThat(r).contains("|global-time|0.8|0.1|0.1|null|null|skip"));
    assertThat(rows(questions.get("mean_interactions_per_user")))
        .anySatisfy(r -> assertThat(r).endsWith("|user-ratio|null|all|10"))
        .anySatisfy(r -> assertThat(r).contains("|kfold|0|train|"))
        .anySatisfy(r -> assertThat(r).contains("|global-time|null|test|"));
    // One etl output under all three splits: its rejects once, the planted one by its code.
    assertThat(rows(questions.get("rejects_by_reason")))
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).endsWith("|all|1"))
        .anySatisfy(r -> assertThat(r).endsWith("|null_feedback_shown_item|1"));
    List<String> weeks = rows(questions.get("feedback_per_week"));
    assertThat(weeks).hasSize(3);
    assertThat(weeks.stream().mapToLong(r -> Long.parseLong(r.split("\\|")[1])).sum())
        .isEqualTo(USERS * ROUNDS + 1);

    // quality on its own, on the holdout split again and without --run-id: the split's run is
    // replaced, under the same dataset name, not counted twice.
    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            new String[] {
              "quality",
              "--input",
              out + "/runs/" + holdout + "/splits",
              "--out",
              tmp.resolve("quality-again").toString(),
              "--jdbc-url",
              Postgres.URL,
              "--jdbc-schema",
              schema
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    assertThat(
            rows(
                "SELECT concat_ws(' ', strategy, dataset, coalesce(pipeline_run_id, 'none')) FROM "
                    + schema
                    + ".quality_runs ORDER BY finished_at"))
        .containsExactly(
            "kfold feedback " + kfold,
            "global-time feedback " + globalTime,
            "user-ratio feedback none");
  }

  /** Runs the pipeline through als with the tables in this test's schema; returns its run id. */
  private String pipeline(String out, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "pipeline",
                "--out",
                out,
                "--to",
                "als",
                "--jdbc-url",
                Postgres.URL,
                "--jdbc-schema",
                schema));
    args.addAll(List.of(options));
    args.addAll(LEAN_ALS);
    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            args.toArray(String[]::new),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return Files.readString(Path.of(out, "latest")).strip();
  }

  /** Every row of a query as its columns joined by '|'. */
  private static List<String> rows(String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(rs.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }
}
