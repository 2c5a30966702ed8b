package dev.recdata.quality;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Example SQL for the Metabase dashboard questions, over the tables {@link QualityTableWriter}
 * writes. Each statement names the schema through {@code %1$s}; {@link #forSchema} fills it in.
 */
public final class DashboardSql {
  private DashboardSql() {}

  /** Leakage over time: every leakage check of every run, by the time the run finished. */
  public static final String LEAKAGE_OVER_TIME =
      "SELECT r.finished_at, r.dataset, r.strategy, c.check_name, c.status, c.observed AS leaked, c.threshold\n"
          + "FROM %1$s.quality_checks c JOIN %1$s.quality_runs r ON r.run_id = c.run_id\n"
          + "WHERE c.check_name LIKE 'pair_leakage%%' OR c.check_name LIKE 'temporal_leakage%%'\n"
          + "   OR c.check_name LIKE 'cutoff_leakage%%'\n"
          + "ORDER BY r.finished_at, c.check_name";

  /** Share of users within the 70/20/10 (or whatever) target, per run. */
  public static final String USERS_ON_TARGET =
      "SELECT r.finished_at, r.dataset, r.strategy, c.observed AS share_users_on_target, c.threshold, c.status\n"
          + "FROM %1$s.quality_checks c JOIN %1$s.quality_runs r ON r.run_id = c.run_id\n"
          + "WHERE c.check_name = 'ratio_per_user'\n"
          + "ORDER BY r.finished_at";

  /** The per-user fraction histogram of the latest run: how far users are from 70/20/10. */
  public static final String USER_FRACTIONS_LATEST_RUN =
      "SELECT f.split, f.bin_lower, f.bin_upper, f.users\n"
          + "FROM %1$s.quality_user_fractions f\n"
          + "WHERE f.run_id = (SELECT run_id FROM %1$s.quality_runs ORDER BY finished_at DESC LIMIT 1)\n"
          + "ORDER BY f.split, f.bin_lower";

  /** Average interactions per user in each part, per run. */
  public static final String MEAN_INTERACTIONS_PER_USER =
      "SELECT r.finished_at, m.dataset, m.split, m.value AS mean_interactions_per_user\n"
          + "FROM %1$s.quality_metrics m JOIN %1$s.quality_runs r ON r.run_id = m.run_id\n"
          + "WHERE m.metric = 'interactions_per_user_mean'\n"
          + "ORDER BY r.finished_at, m.split";

  /** The questions by name with the schema filled in. */
  public static Map<String, String> forSchema(String schema) {
    String s = QualityTableWriter.checkSchema(schema);
    Map<String, String> questions = new LinkedHashMap<>();
    questions.put("leakage_over_time", String.format(LEAKAGE_OVER_TIME, s));
    questions.put("users_on_target", String.format(USERS_ON_TARGET, s));
    questions.put("user_fractions_latest_run", String.format(USER_FRACTIONS_LATEST_RUN, s));
    questions.put("mean_interactions_per_user", String.format(MEAN_INTERACTIONS_PER_USER, s));
    return questions;
  }
}
