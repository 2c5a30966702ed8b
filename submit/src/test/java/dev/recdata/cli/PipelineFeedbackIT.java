package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weekly retraining: two pipeline runs over a growing feedback table in the real PostgreSQL. */
class PipelineFeedbackIT {
  private static final SparkSession spark = SharedSpark.session();
  private String schema;

  @BeforeEach
  void createTable() {
    schema = Postgres.createSchema("pipeline_fb");
    Postgres.execute(
        "CREATE TABLE "
            + schema
            + ".feedback (id bigserial PRIMARY KEY, user_id bigint NOT NULL, like_item bigint, other_items bigint[],"
            + " created_at timestamptz NOT NULL)");
  }

  @AfterEach
  void dropSchema() {
    Postgres.dropSchema(schema);
  }

  /** {@code rows} feedback rows from 5 users, each a like and two impressions, one hour apart from {@code start}. */
  private void insertFeedback(int rows, Instant start, int itemOffset) {
    for (int i = 0; i < rows; i++) {
      long item = itemOffset + i;
      Postgres.execute(
          String.format(
              "INSERT INTO %s.feedback (user_id, like_item, other_items, created_at) VALUES (%d, %d, '{%d,%d}', '%s')",
              schema, 1 + i % 5, item, item + 1000, item + 2000, start.plus(i, ChronoUnit.HOURS)));
    }
  }

  private int pipeline(String out) {
    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            new String[] {
              "pipeline", "--out", out, "--to", "split", "--window-days", "30",
              "--jdbc-url", Postgres.URL, "--feedback-table", schema + ".feedback"
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    return code;
  }

  private JsonNode etlManifest(String out, String runId) {
    return Json.read(spark.sparkContext().hadoopConfiguration(), out + "/runs/" + runId + "/etl/manifest.json");
  }

  @Test
  void secondRunAddsExactlyTheNewFeedbackAndOldEventsFallOutOfTheWindow(@TempDir Path tmp) throws Exception {
    String out = tmp.resolve("runs-root").toString();
    insertFeedback(10, Instant.parse("2026-01-01T00:00:00Z"), 100);
    pipeline(out);
    String firstRun = Files.readString(Path.of(out, "latest")).strip();
    assertThat(etlManifest(out, firstRun).get("counts").get("output").asLong()).isEqualTo(30);

    // A week of new feedback, two months later.
    insertFeedback(5, Instant.parse("2026-03-10T00:00:00Z"), 500);
    pipeline(out);
    String secondRun = Files.readString(Path.of(out, "latest")).strip();

    assertThat(secondRun).isNotEqualTo(firstRun);
    JsonNode second = etlManifest(out, secondRun);
    assertThat(second.get("feedback").get("table_rows_read").asLong()).isEqualTo(5);
    assertThat(second.get("feedback").get("history_events").asLong()).isEqualTo(45);
    assertThat(second.get("counts").get("filtered").get("window").asLong()).isEqualTo(30);
    assertThat(second.get("counts").get("output").asLong()).isEqualTo(15);
    long newLikes =
        spark.read()
            .parquet(out + "/runs/" + secondRun + "/etl/interactions")
            .where(Schema.EVENT + " = 'like' AND " + Schema.ITEM_ID + " >= 500")
            .count();
    assertThat(newLikes).isEqualTo(5);
    // The first version stays readable for rollback.
    assertThat(spark.read().parquet(out + "/runs/" + firstRun + "/etl/interactions").count()).isEqualTo(30);
    assertThat(Path.of(out, "runs", secondRun, "splits", "splits", "train")).isDirectory();
  }
}
