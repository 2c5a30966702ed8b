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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weekly retraining: two whole pipeline runs (etl, split, gate, ALS, export, publish) over a
 * growing feedback table in the real PostgreSQL.
 */
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

  private static final int USERS = 20;
  private static final int ITEMS = 40;

  /**
   * {@code perUser} feedback rows for each of 20 users, one hour apart from {@code start}: a like
   * of one of 40 items (so items recur across users and ALS has something to learn) and two
   * impressions passed over. The offsets 3 per round and 5, 35 for the impressions never repeat a
   * (user, item) pair within 10 rounds, so no row is deduplicated and the counts below are exact.
   */
  private void insertFeedback(int perUser, Instant start, int itemOffset) {
    StringBuilder values = new StringBuilder();
    int n = 0;
    for (int round = 0; round < perUser; round++) {
      for (int user = 1; user <= USERS; user++) {
        long liked = itemOffset + (user * 7L + round * 3L) % ITEMS;
        long shownA = itemOffset + (user * 7L + round * 3L + 5) % ITEMS;
        long shownB = itemOffset + (user * 7L + round * 3L + 35) % ITEMS;
        values
            .append(n++ == 0 ? "" : ",")
            .append(
                String.format(
                    "(%d, %d, '{%d,%d}', '%s')",
                    user, liked, shownA, shownB, start.plus(n, ChronoUnit.HOURS)));
      }
    }
    Postgres.execute(
        "INSERT INTO "
            + schema
            + ".feedback (user_id, like_item, other_items, created_at) VALUES "
            + values);
  }

  private void pipeline(String out) {
    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            new String[] {
              "pipeline",
              "--out",
              out,
              "--window-days",
              "30",
              "--als-mode",
              "implicit",
              "--jdbc-url",
              URL_WITH_CREDENTIALS,
              "--jdbc-schema",
              schema,
              "--feedback-table",
              schema + ".feedback"
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
  }

  /** The test database trusts every login; the password is there to be kept out of every file. */
  private static final String URL_WITH_CREDENTIALS =
      Postgres.URL + "?user=" + Postgres.USER + "&password=hunter2";

  private JsonNode json(String out, String runId, String file) {
    return Json.read(
        spark.sparkContext().hadoopConfiguration(), out + "/runs/" + runId + "/" + file);
  }

  /** (distinct model versions, rows) of the published recommendations table. */
  private List<String> publishedVersions() throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = Postgres.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT DISTINCT model_version FROM " + schema + ".recommendations")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  @Test
  void secondRunAddsExactlyTheNewFeedbackRetrainsAndPublishesWhileTheFirstStaysReadable(
      @TempDir Path tmp) throws Exception {
    String out = tmp.resolve("runs-root").toString();
    insertFeedback(10, Instant.parse("2026-01-01T00:00:00Z"), 100);
    pipeline(out);
    String firstRun = Files.readString(Path.of(out, "latest")).strip();
    assertThat(json(out, firstRun, "etl/manifest.json").get("counts").get("output").asLong())
        .isEqualTo(600);
    String firstModel = json(out, firstRun, "als/params.json").get("run_id").asText();
    assertThat(publishedVersions()).containsExactly(firstModel);

    // A week of new feedback, two months later: 5 rows per user, new items.
    insertFeedback(5, Instant.parse("2026-03-10T00:00:00Z"), 500);
    pipeline(out);
    String secondRun = Files.readString(Path.of(out, "latest")).strip();

    assertThat(secondRun).isNotEqualTo(firstRun);
    String pipelineJson = Files.readString(Path.of(out, "runs", secondRun, "pipeline.json"));
    JsonNode recorded = Json.MAPPER.readTree(pipelineJson);
    assertThat(pipelineJson).doesNotContain("hunter2");
    assertThat(recorded.at("/options/jdbc/url").asText())
        .isEqualTo(Postgres.URL + "?user=***&password=***");
    assertThat(recorded.at("/options/etl/feedback/target"))
        .isEqualTo(recorded.at("/options/jdbc/url"));
    assertThat(recorded.get("previous_run_id").asText()).isEqualTo(firstRun);
    JsonNode second = json(out, secondRun, "etl/manifest.json");
    assertThat(second.get("feedback").get("table_rows_read").asLong())
        .as("exactly the new rows")
        .isEqualTo(100);
    assertThat(second.get("feedback").get("history_events").asLong())
        .as("none lost, none twice")
        .isEqualTo(900);
    assertThat(second.get("counts").get("filtered").get("window").asLong())
        .as("January fell out")
        .isEqualTo(600);
    assertThat(second.get("counts").get("output").asLong()).isEqualTo(300);
    long newLikes =
        spark
            .read()
            .parquet(out + "/runs/" + secondRun + "/etl/interactions")
            .where(Schema.EVENT + " = 'like' AND " + Schema.ITEM_ID + " >= 500")
            .count();
    assertThat(newLikes).isEqualTo(100);

    // The second model's recommendations are what serving reads now; only new-window items can be
    // recommended.
    String secondModel = json(out, secondRun, "als/params.json").get("run_id").asText();
    assertThat(secondModel).isNotEqualTo(firstModel);
    assertThat(publishedVersions()).containsExactly(secondModel);
    try (Connection c = Postgres.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(DISTINCT user_id), min(item_id) FROM "
                    + schema
                    + ".recommendations")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(USERS);
      assertThat(rs.getLong(2)).isGreaterThanOrEqualTo(500);
    }

    // The first version stays readable for rollback: its data and its exported recommendations.
    assertThat(spark.read().parquet(out + "/runs/" + firstRun + "/etl/interactions").count())
        .isEqualTo(600);
    List<String> firstRecommendations =
        Files.readAllLines(Path.of(out, "runs", firstRun, "export/serving/recommendations.jsonl"));
    assertThat(firstRecommendations)
        .hasSize(USERS)
        .allSatisfy(line -> assertThat(line).contains("\"user_id\""));
  }

  /**
   * A weekly run continues from the last run's inputs; when one of them was deleted since, it stops
   * before any work with exit 2 naming the run and the path, rather than training on the feedback
   * alone.
   */
  @Test
  void aRetrainWhoseInheritedInputIsGoneIsExitTwoNamingIt(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("runs-root");
    String previous = "20261201T000000Z-aaaaaaaa";
    Path previousRun = out.resolve("runs").resolve(previous);
    Path gone = tmp.resolve("ratings-deleted-since");
    Files.createDirectories(previousRun.resolve("etl"));
    Files.writeString(
        previousRun.resolve("pipeline.json"),
        "{\"format_version\": 2, \"run_id\": \""
            + previous
            + "\", \"status\": \"complete\", \"to\": \"export\"}");
    Files.writeString(
        previousRun.resolve("etl/manifest.json"),
        "{\"stage\": \"etl\", \"format_version\": 2, \"run_id\": \"e\", \"inputs\":"
            + " [{\"path\": \""
            + gone
            + "\", \"source\": \"ml-100k\", \"files\": []}]}");
    Files.writeString(out.resolve("latest"), previous + "\n");
    insertFeedback(1, Instant.parse("2026-01-01T00:00:00Z"), 100);

    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            new String[] {
              "pipeline",
              "--out",
              out.toString(),
              "--jdbc-url",
              Postgres.URL,
              "--jdbc-schema",
              schema,
              "--feedback-table",
              schema + ".feedback"
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .contains("continues from the inputs of run " + previous)
        .contains(gone + " is gone")
        .contains("pass --input");
    assertThat(Files.readString(out.resolve("latest")).strip()).isEqualTo(previous);
  }
}
