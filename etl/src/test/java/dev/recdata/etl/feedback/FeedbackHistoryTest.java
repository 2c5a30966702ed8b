package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import org.junit.jupiter.api.Test;

/** Which earlier history a run continues: the same table, however its source was recorded. */
class FeedbackHistoryTest {
  private static final String URL = "jdbc:postgresql://db:5432/app?user=bob&password=hunter2";

  @Test
  void aSourceRecordedBeforeUserWasMaskedStillNamesTheSameTable() {
    String source =
        FeedbackHistory.source(
            FeedbackOptions.defaults(new JdbcTarget(URL, "bob", null), "app.feedback"));
    // what an etl manifest written before user= was masked holds
    String recordedEarlier = "jdbc:postgresql://db:5432/app?user=bob&password=***#app.feedback";

    assertThat(source)
        .isEqualTo("jdbc:postgresql://db:5432/app?user=***&password=***#app.feedback");
    assertThat(FeedbackHistory.sameSource(source, source)).isTrue();
    assertThat(FeedbackHistory.sameSource(source, recordedEarlier)).isTrue();
    assertThat(
            FeedbackHistory.sameSource(
                source, recordedEarlier.replace("app.feedback", "app.other")))
        .isFalse();
    assertThat(FeedbackHistory.sameSource(source, null)).isFalse();
  }
}
