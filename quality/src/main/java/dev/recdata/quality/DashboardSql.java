package dev.recdata.quality;

import dev.recdata.common.RecdataException;
import dev.recdata.etl.feedback.FeedbackOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SQL of the Metabase dashboard questions, over the tables {@link QualityTableWriter} and the
 * als stage write and the feedback table etl reads. The README shows exactly {@link #readme} and a
 * test runs every question against PostgreSQL. Each statement names the schema through {@code %1$s}
 * and the feedback table through {@code %2$s}; {@link #forSchema} fills them in.
 */
public final class DashboardSql {
  private DashboardSql() {}

  /**
   * One dashboard question.
   *
   * @param name the key of {@link #forSchema}
   * @param title what the README's comment line says it answers
   */
  public record Question(String name, String title, String sql) {}

  /** Leakage over time: every leakage check of every run (and fold), by the time it finished. */
  public static final Question LEAKAGE_OVER_TIME =
      new Question(
          "leakage_over_time",
          "leakage over time",
          "SELECT r.finished_at, r.dataset, r.strategy, c.fold, c.check_name, c.status,"
              + " c.observed AS leaked, c.threshold\n"
              + "FROM %1$s.quality_checks c JOIN %1$s.quality_runs r ON r.run_id = c.run_id\n"
              + "WHERE c.check_name IN ('pair_leakage', 'temporal_leakage', 'cutoff_leakage')\n"
              + "ORDER BY r.finished_at, c.check_name, c.fold");

  /**
   * Share of users within the 70/20/10 (or whatever) target, per run; skipped (null) for strategies
   * without per-user ratios.
   */
  public static final Question USERS_ON_TARGET =
      new Question(
          "users_on_target",
          "share of users within 70/20/10 (skip: the strategy has no per-user ratios)",
          "SELECT r.finished_at, r.dataset, r.strategy, r.train_ratio, r.validation_ratio,"
              + " r.test_ratio,\n"
              + "       c.observed AS share_users_on_target, c.threshold, c.status\n"
              + "FROM %1$s.quality_checks c JOIN %1$s.quality_runs r ON r.run_id = c.run_id\n"
              + "WHERE c.check_name = 'ratio_per_user'\n"
              + "ORDER BY r.finished_at, c.fold");

  /** The per-user fraction histogram of the latest split checked: all 20 bins of every part. */
  public static final Question USER_FRACTIONS_LATEST_RUN =
      new Question(
          "user_fractions_latest_run",
          "per-user fraction histogram of the latest split checked",
          "SELECT f.fold, f.split, f.bin_lower, f.bin_upper, f.users\n"
              + "FROM %1$s.quality_user_fractions f\n"
              + "WHERE f.run_id = (SELECT run_id FROM %1$s.quality_runs WHERE kind = 'split'"
              + " ORDER BY finished_at DESC LIMIT 1)\n"
              + "ORDER BY f.fold, f.split, f.bin_lower");

  /** Average interactions per user in each part, per run. */
  public static final Question MEAN_INTERACTIONS_PER_USER =
      new Question(
          "mean_interactions_per_user",
          "average interactions per user",
          "SELECT r.finished_at, m.dataset, r.strategy, m.fold, m.split,"
              + " m.value AS mean_interactions_per_user\n"
              + "FROM %1$s.quality_metrics m JOIN %1$s.quality_runs r ON r.run_id = m.run_id\n"
              + "WHERE m.metric = 'interactions_per_user_mean'\n"
              + "ORDER BY r.finished_at, m.fold, m.split");

  /**
   * Test NDCG@K of ALS and every baseline, per ALS run (the mean over the folds of a k-fold split).
   */
  public static final Question ALS_VS_BASELINES =
      new Question(
          "als_vs_baselines",
          "ALS against the baselines over runs: test NDCG@K",
          "SELECT r.created_at, r.dataset, r.strategy, r.pipeline_run_id, m.model, m.metric,"
              + " m.value AS ndcg\n"
              + "FROM %1$s.model_metrics m JOIN %1$s.model_runs r ON r.run_id = m.run_id\n"
              + "WHERE m.split = 'test' AND m.statistic IN ('value', 'mean')"
              + " AND m.metric = 'ndcg@' || r.k\n"
              + "ORDER BY r.created_at, m.model");

  /**
   * Rows etl rejected, in all and by reason code, once per etl run: every quality run of a split
   * records the counts of the etl output the split was cut from.
   */
  public static final Question REJECTS_BY_REASON =
      new Question(
          "rejects_by_reason",
          "rows etl rejected, by reason, over etl runs",
          "SELECT min(r.finished_at) AS first_checked_at, r.dataset,"
              + " coalesce(r.etl_run_id, r.run_id) AS etl_run,\n"
              + "       CASE m.metric WHEN 'rejected' THEN 'all' ELSE substr(m.metric, 20) END"
              + " AS reason, max(m.value) AS rejected_rows\n"
              + "FROM %1$s.quality_metrics m JOIN %1$s.quality_runs r ON r.run_id = m.run_id\n"
              + "WHERE m.split = 'etl_manifest'"
              + " AND (m.metric = 'rejected' OR m.metric LIKE 'rejected_by_reason.%%')\n"
              + "GROUP BY 2, 3, 4\n"
              + "ORDER BY 1, 4");

  /**
   * Feedback the serving API collected, per week: the table the pipeline's etl reads (columns of
   * the serving API's layout).
   */
  public static final Question FEEDBACK_PER_WEEK =
      new Question(
          "feedback_per_week",
          "feedback volume per week (the table given to --feedback-table)",
          "SELECT date_trunc('week', f.created_at) AS week, count(*) AS events,"
              + " count(f.like_item) AS likes,\n"
              + "       sum(coalesce(cardinality(f.other_items), 0)) AS impressions,"
              + " count(DISTINCT f.user_id) AS users\n"
              + "FROM %2$s f\n"
              + "GROUP BY 1\n"
              + "ORDER BY 1");

  /** Every question, in the README's order. */
  public static final List<Question> QUESTIONS =
      List.of(
          LEAKAGE_OVER_TIME,
          USERS_ON_TARGET,
          USER_FRACTIONS_LATEST_RUN,
          MEAN_INTERACTIONS_PER_USER,
          ALS_VS_BASELINES,
          REJECTS_BY_REASON,
          FEEDBACK_PER_WEEK);

  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  /** The questions by name for schema {@code schema} and etl's default feedback table. */
  public static Map<String, String> forSchema(String schema) {
    return forSchema(schema, FeedbackOptions.DEFAULT_TABLE);
  }

  /** The questions by name with the schema and the feedback table filled in. */
  public static Map<String, String> forSchema(String schema, String feedbackTable) {
    String s = QualityTableWriter.checkSchema(schema);
    RecdataException.checkInput(
        feedbackTable != null && TABLE.matcher(feedbackTable).matches(),
        "feedback table %s is not a valid name: expected TABLE or SCHEMA.TABLE",
        feedbackTable);
    Map<String, String> questions = new LinkedHashMap<>();
    for (Question q : QUESTIONS) {
      questions.put(q.name(), String.format(q.sql(), s, feedbackTable));
    }
    return questions;
  }

  /**
   * The README's block: each question under a {@code --} comment with its title, for schema {@code
   * recdata} and the feedback table {@code feedback}.
   */
  public static String readme() {
    Map<String, String> questions = forSchema(QualityTableWriter.DEFAULT_SCHEMA);
    StringBuilder block = new StringBuilder();
    for (Question q : QUESTIONS) {
      block.append("-- ").append(q.title()).append('\n');
      block.append(questions.get(q.name())).append(";\n");
    }
    return block.toString();
  }
}
