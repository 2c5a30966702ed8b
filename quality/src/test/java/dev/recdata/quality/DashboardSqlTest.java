package dev.recdata.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's dashboard questions are DashboardSql's, which the PostgreSQL tests run. */
class DashboardSqlTest {
  @Test
  void readmeShowsExactlyTheQuestionsTheTestsRun() throws Exception {
    // Surefire runs in the module folder; the README is the project's.
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(readme).contains("```sql\n" + DashboardSql.readme() + "```\n");
  }

  @Test
  void questionsNameTheSchemaAndFeedbackTableGiven() {
    var questions = DashboardSql.forSchema("dash", "app.feedback");

    assertThat(questions.keySet())
        .containsExactly(
            "leakage_over_time",
            "users_on_target",
            "user_fractions_latest_run",
            "mean_interactions_per_user",
            "als_vs_baselines",
            "rejects_by_reason",
            "feedback_per_week");
    assertThat(questions.get("als_vs_baselines")).contains("FROM dash.model_metrics m");
    assertThat(questions.get("feedback_per_week")).contains("FROM app.feedback f");
    assertThat(questions.values()).noneMatch(sql -> sql.contains("%1$s") || sql.contains("%2$s"));
    assertThatThrownBy(() -> DashboardSql.forSchema("dash", "feedback; DROP TABLE x"))
        .isInstanceOf(RecdataException.class);
  }
}
