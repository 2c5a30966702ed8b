package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeedbackSqlTest {
  private static final FeedbackOptions OPTIONS =
      FeedbackOptions.defaults(
              new JdbcTarget("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null),
              "app.feedback")
          .withLagSeconds(60);
  private static final Watermark PREVIOUS = new Watermark(Instant.parse("2026-11-20T10:00:00Z"), 3);
  private static final Watermark UPPER = new Watermark(Instant.parse("2026-11-20T11:00:00Z"), 9);

  @Test
  void upperBoundIsTheNewestRowAfterTheWatermarkThatIsAtLeastTheLagOld() {
    assertThat(new FeedbackSql(OPTIONS, true).upperBound(PREVIOUS))
        .isEqualTo(
            "SELECT created_at, id FROM app.feedback"
                + " WHERE (created_at, id) > ('2026-11-20T10:00:00Z'::timestamptz, 3::bigint)"
                + " AND created_at <= now() - 60 * interval '1 second'"
                + " ORDER BY created_at DESC, id DESC LIMIT 1");
  }

  @Test
  void sliceIsOpenBelowAndClosedAboveOnTheTimestampIdPair() {
    String slice = new FeedbackSql(OPTIONS, true).slice(PREVIOUS, UPPER);

    assertThat(slice)
        .startsWith("(SELECT id::bigint AS feedback_id, user_id::bigint AS feedback_user,")
        .contains(
            "WHERE (created_at, id) > ('2026-11-20T10:00:00Z'::timestamptz, 3::bigint)"
                + " AND (created_at, id) <= ('2026-11-20T11:00:00Z'::timestamptz, 9::bigint)")
        .endsWith(") AS feedback_slice");
  }

  @Test
  void firstSliceHasNoLowerBound() {
    assertThat(new FeedbackSql(OPTIONS, true).sliceStats(null, UPPER))
        .isEqualTo(
            "SELECT count(*), min(id), max(id) FROM app.feedback WHERE TRUE"
                + " AND (created_at, id) <= ('2026-11-20T11:00:00Z'::timestamptz, 9::bigint)");
  }

  @Test
  void timestampWithoutZoneIsReadAsUtc() {
    assertThat(new FeedbackSql(OPTIONS, false).ts()).isEqualTo("(created_at AT TIME ZONE 'UTC')");
  }
}
