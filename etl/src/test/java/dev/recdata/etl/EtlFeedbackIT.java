package dev.recdata.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.InputFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etl reading application feedback from the real PostgreSQL, twice, incrementally. */
class EtlFeedbackIT {
  private static final SparkSession spark = SharedSpark.session();
  private String schema;

  @BeforeEach
  void createTable() {
    schema = Postgres.createSchema("etl_fb");
    Postgres.execute(
        "CREATE TABLE "
            + schema
            + ".feedback (id bigserial PRIMARY KEY, user_id bigint, like_item bigint, other_items bigint[],"
            + " created_at timestamptz NOT NULL DEFAULT now())");
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  private EtlOptions options(String out) {
    FeedbackOptions feedback =
        FeedbackOptions.defaults(
            new JdbcTarget(Postgres.URL, Postgres.USER, null), schema + ".feedback");
    return new EtlOptions(
        List.of(),
        InputFormat.AUTO,
        ColumnMapping.defaults(),
        feedback,
        CleaningOptions.defaults(Instant.parse("2030-01-01T00:00:00Z")),
        0.5,
        true,
        out);
  }

  private void insert(long user, long like, String others, String createdAt) {
    Postgres.execute(
        String.format(
            "INSERT INTO %s.feedback (user_id, like_item, other_items, created_at) VALUES (%d, %d, '%s', '%s')",
            schema, user, like, others, createdAt));
  }

  @Test
  void secondRunAddsExactlyTheNewFeedbackRows(@TempDir Path tmp) {
    String out = tmp.resolve("etl").toString();
    insert(22434, 28783, "{14546,209745,29747,32649}", "2026-03-01T10:00:00Z");
    insert(7, 1, "{2,3}", "2026-03-01T11:00:00Z");

    EtlSummary first = EtlJob.run(spark, options(out));
    assertThat(first.output()).isEqualTo(2 + 4 + 2);
    assertThat(first.manifest().get("feedback").get("table_rows_read").asLong()).isEqualTo(2);
    assertThat(
            spark
                .read()
                .parquet(out + "/" + Layout.INTERACTIONS)
                .where(Schema.EVENT + " = 'like'")
                .count())
        .isEqualTo(2);

    // A row at the same instant as the last one read, and a later one: both are new.
    insert(7, 4, "{5}", "2026-03-01T11:00:00Z");
    insert(8, 1, "{}", "2026-03-02T09:00:00Z");
    EtlSummary second = EtlJob.run(spark, options(out));

    assertThat(second.manifest().get("feedback").get("table_rows_read").asLong()).isEqualTo(2);
    assertThat(second.output()).isEqualTo(8 + 2 + 1);
    assertThat(spark.read().parquet(out + "/" + EtlOutput.FEEDBACK_HISTORY).count()).isEqualTo(11);

    EtlSummary third = EtlJob.run(spark, options(out));
    assertThat(third.manifest().get("feedback").get("table_rows_read").asLong()).isZero();
    assertThat(third.output()).isEqualTo(11);
  }
}
