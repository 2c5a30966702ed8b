package dev.recdata.export.serve;

import static dev.recdata.export.serve.ServeFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.etl.feedback.FeedbackExtract;
import dev.recdata.etl.feedback.FeedbackExtractor;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.export.serve.ServeFixtures.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's /feedback against the real PostgreSQL, read back with etl's feedback reader. */
class ServeFeedbackIT {
  @TempDir Path root;
  private String schema;
  private String table;
  private ServeServer server;
  private int port;

  @BeforeEach
  void start() throws SQLException {
    Postgres.connect().close(); // skips (or fails in CI) when no server answers
    schema = Postgres.createSchema("serve_it");
    table = schema + ".feedback";
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    server =
        ServeServer.start(
            new ServeOptions(
                root,
                "127.0.0.1",
                0,
                5,
                0,
                new JdbcTarget(Postgres.URL, Postgres.USER, null),
                table,
                2,
                2000));
    port = server.port();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    Postgres.dropSchema(schema);
  }

  private long rows() throws SQLException {
    try (Connection c = Postgres.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void feedbackWritesOneRowThatEtlsFeedbackReaderTurnsIntoALikeAndImpressions() throws Exception {
    Response response =
        post(
            port,
            "/feedback",
            "{\"user_id\": 22434, \"like_item\": 28783, \"other_items\": [14546, 209745, 29747, 32649]}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(response.body()).path("msg").asText())
        .isEqualTo("Feedback Sent");
    assertThat(rows()).isEqualTo(1);
    FeedbackExtract extract =
        FeedbackExtractor.extract(
            SharedSpark.session(),
            FeedbackOptions.defaults(new JdbcTarget(Postgres.URL, Postgres.USER, null), table)
                .withPartitions(1),
            null);
    List<String> events =
        extract.interactions().collectAsList().stream()
            .map(r -> r.getAs("user_id") + " " + r.getAs("item_id") + " " + r.getAs("event"))
            .sorted()
            .collect(Collectors.toList());
    assertThat(events)
        .containsExactly(
            "22434 14546 impression",
            "22434 209745 impression",
            "22434 28783 like",
            "22434 29747 impression",
            "22434 32649 impression");
    assertThat(extract.rejects().count()).isZero();
    assertThat(extract.tableRowsRead()).isEqualTo(1);
    extract.release();
  }

  @Test
  void invalidFeedbackIs400WithAOneLineReasonAndWritesNothing() throws Exception {
    assertThat(
            post(port, "/feedback", "{\"user_id\": 1, \"like_item\": 10, \"other_items\": [20]}")
                .status())
        .isEqualTo(200);
    String hundredOthers =
        LongStream.rangeClosed(1, 100).mapToObj(Long::toString).collect(Collectors.joining(","));

    List<Response> refused =
        List.of(
            post(port, "/feedback", "{\"user_id\": 1, \"like_item\": 10,"),
            post(port, "/feedback", "{\"like_item\": 10, \"other_items\": [20]}"),
            post(
                port,
                "/feedback",
                "{\"user_id\": 1, \"like_item\": \"10\", \"other_items\": [20]}"),
            post(port, "/feedback", "{\"user_id\": 1.5, \"like_item\": 10, \"other_items\": [20]}"),
            post(
                port,
                "/feedback",
                "{\"user_id\": 1, \"like_item\": 10, \"other_items\": [20, 10]}"),
            post(
                port,
                "/feedback",
                "{\"user_id\": 1, \"like_item\": 1000, \"other_items\": [" + hundredOthers + "]}"));

    assertThat(refused).extracting(Response::status).containsOnly(400);
    assertThat(refused)
        .extracting(r -> Json.MAPPER.readTree(r.body()).path("error").asText())
        .allSatisfy(reason -> assertThat(reason).isNotBlank().doesNotContain("\n"))
        .contains(
            "user_id is missing: expected a whole number",
            "like_item \"10\" is not a whole number",
            "like_item 10 is also listed in other_items: the liked item is not a passed-over one",
            "feedback lists 101 items (like_item and 100 other_items): at most 100");
    assertThat(rows()).isEqualTo(1);
  }
}
