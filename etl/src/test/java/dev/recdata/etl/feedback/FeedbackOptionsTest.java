package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import org.junit.jupiter.api.Test;

class FeedbackOptionsTest {
  private static final JdbcTarget TARGET =
      new JdbcTarget("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);

  @Test
  void defaultsMatchTheServingApiTable() {
    FeedbackOptions options = FeedbackOptions.defaults(TARGET, "app.feedback");

    assertThat(options.table()).isEqualTo("app.feedback");
    assertThat(options.idCol()).isEqualTo("id");
    assertThat(options.userCol()).isEqualTo("user_id");
    assertThat(options.likeCol()).isEqualTo("like_item");
    assertThat(options.othersCol()).isEqualTo("other_items");
    assertThat(options.tsCol()).isEqualTo("created_at");
    assertThat(options.lagSeconds()).isZero();
  }

  @Test
  void tableNameThatIsNotAnIdentifierIsRefusedBeforeItReachesSql() {
    RecdataException e =
        catchThrowableOfType(
            RecdataException.class,
            () -> FeedbackOptions.defaults(TARGET, "feedback; DROP TABLE users"));

    assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(e.getMessage()).contains("feedback; DROP TABLE users", "SCHEMA.TABLE");
  }

  @Test
  void columnPartitionsAndLagAreValidated() {
    FeedbackOptions options = FeedbackOptions.defaults(TARGET, "feedback");

    assertThat(
            catchThrowableOfType(
                    RecdataException.class,
                    () ->
                        new FeedbackOptions(
                            TARGET,
                            "feedback",
                            "id",
                            "user id",
                            "like_item",
                            "other_items",
                            "created_at",
                            1,
                            0))
                .getMessage())
        .contains("user column user id");
    assertThat(
            catchThrowableOfType(RecdataException.class, () -> options.withPartitions(0))
                .getMessage())
        .contains("partitions is 0");
    assertThat(
            catchThrowableOfType(RecdataException.class, () -> options.withLagSeconds(-1))
                .getMessage())
        .contains("lag is -1 seconds");
  }
}
