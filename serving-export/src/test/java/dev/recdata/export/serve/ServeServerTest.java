package dev.recdata.export.serve;

import static dev.recdata.export.serve.ServeFixtures.get;
import static dev.recdata.export.serve.ServeFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.export.serve.ServeFixtures.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve in-process on a free port over a hand-written export; no database (feedback answers 503).
 */
class ServeServerTest {
  @TempDir Path root;
  private ServeServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int start(long pollMillis, JdbcTarget jdbc) {
    server =
        ServeServer.start(
            new ServeOptions(root, "127.0.0.1", 0, 5, pollMillis, jdbc, "public.feedback", 2, 500));
    return server.port();
  }

  private static JsonNode json(Response response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> ids = new ArrayList<>();
    array.forEach(n -> ids.add(n.asLong()));
    return ids;
  }

  @Test
  void knownUsersGetTheModelsTopKAndUnknownUsersThePopularItems() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(0, null);

    Response response = post(port, "/recommend", "{\"user_ids\": [1, 999, 2]}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.modelVersion()).isEqualTo("als-a");
    JsonNode rows = json(response);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).path("user_id").asLong()).isEqualTo(1);
    assertThat(longs(rows.get(0).path("items"))).containsExactly(40L, 50L, 60L, 70L, 80L);
    assertThat(rows.get(0).path("source").asText()).isEqualTo("model");
    assertThat(rows.get(1).path("user_id").asLong()).isEqualTo(999);
    assertThat(longs(rows.get(1).path("items"))).containsExactly(30L, 20L, 10L, 40L, 50L);
    assertThat(rows.get(1).path("source").asText()).isEqualTo("popular");
    assertThat(longs(rows.get(2).path("items"))).containsExactly(10L, 20L, 30L, 40L, 50L);
    assertThat(rows.findValuesAsText("model_version")).containsOnly("als-a");
  }

  @Test
  void similarItemsComeFromTheExportAndAnUnknownItemIs404() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(0, null);

    Response known = get(port, "/similar?item_id=10");
    Response unknown = get(port, "/similar?item_id=12345");
    Response bad = get(port, "/similar?item_id=ten");

    assertThat(known.status()).isEqualTo(200);
    assertThat(longs(json(known).path("items"))).containsExactly(20L, 30L);
    assertThat(json(known).path("model_version").asText()).isEqualTo("als-a");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(json(unknown).path("error").asText()).contains("12345");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(json(bad).path("error").asText()).isEqualTo("item_id 'ten' is not a whole number");
  }

  @Test
  void malformedRecommendRequestsAre400WithAOneLineReason() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(0, null);

    assertThat(json(post(port, "/recommend", "{\"user_ids\": [1,")).path("error").asText())
        .startsWith("body is not valid JSON");
    assertThat(json(post(port, "/recommend", "{}")).path("error").asText())
        .isEqualTo("user_ids is missing: expected an array of whole numbers");
    assertThat(json(post(port, "/recommend", "{\"user_ids\": [1, \"2\"]}")).path("error").asText())
        .isEqualTo("user_ids[1] \"2\" is not a whole number");
    assertThat(json(post(port, "/recommend", "{\"user_ids\": []}")).path("error").asText())
        .isEqualTo("user_ids is empty: expected at least one user id");
    assertThat(post(port, "/recommend", "[1]").status()).isEqualTo(400);
  }

  @Test
  void aNewRunIsServedWholeOnceLatestMoves() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(20, null);
    assertThat(post(port, "/recommend", "{\"user_ids\": [1]}").modelVersion()).isEqualTo("als-a");

    ServeFixtures.publishRun(root, "20261208T000000Z-bbbbbbbb", "als-b", ServeFixtures.MODEL_B);
    long deadline = System.nanoTime() + 10_000_000_000L;
    Response response = post(port, "/recommend", "{\"user_ids\": [1, 2, 3]}");
    while (!"als-b".equals(response.modelVersion()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      response = post(port, "/recommend", "{\"user_ids\": [1, 2, 3]}");
    }

    JsonNode rows = json(response);
    assertThat(response.modelVersion()).isEqualTo("als-b");
    assertThat(rows.findValuesAsText("model_version")).containsOnly("als-b");
    assertThat(longs(rows.get(0).path("items"))).containsExactly(11L, 12L, 13L, 14L, 15L);
    assertThat(rows.get(1).path("source").asText())
        .isEqualTo("popular"); // model B never saw user 2
    assertThat(longs(rows.get(2).path("items"))).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(json(get(port, "/healthz")).path("model_version").asText()).isEqualTo("als-b");
  }

  @Test
  void aBrokenNewRunKeepsTheCurrentVersion() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(0, null);
    java.nio.file.Files.writeString(
        root.resolve("latest"), "20261208T000000Z-cccccccc\n"); // no such run

    assertThat(server.model().current().modelVersion()).isEqualTo("als-a");
    org.assertj.core.api.Assertions.assertThatThrownBy(server.model()::reloadIfChanged)
        .hasMessageContaining("cccccccc");
    assertThat(post(port, "/recommend", "{\"user_ids\": [1]}").modelVersion()).isEqualTo("als-a");
  }

  @Test
  void feedbackIs503WhenTheDatabaseIsUnreachable() throws Exception {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    int port =
        start(
            0,
            new JdbcTarget(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/test", "postgres", null));

    Response response =
        post(port, "/feedback", "{\"user_id\": 1, \"like_item\": 10, \"other_items\": [20, 30]}");

    assertThat(response.status()).isEqualTo(503);
    assertThat(json(response).path("error").asText()).contains("unavailable").doesNotContain("\n");
    assertThat(post(port, "/recommend", "{\"user_ids\": [1]}").status()).isEqualTo(200);
  }

  @Test
  void metricsCountRequestsErrorsAndTheModelServed() {
    ServeFixtures.publishRun(root, "20261201T000000Z-aaaaaaaa", "als-a", ServeFixtures.MODEL_A);
    int port = start(0, null);
    post(port, "/recommend", "{\"user_ids\": [1]}");
    post(port, "/recommend", "{\"user_ids\": [1]}");
    post(port, "/recommend", "not json");

    Response metrics = get(port, "/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("recdata_serve_requests_total{endpoint=\"recommend\"} 3.0")
        .contains("recdata_serve_errors_total{endpoint=\"recommend\",status=\"400\"} 1.0")
        .contains("recdata_serve_request_seconds_bucket{endpoint=\"recommend\"")
        .contains("recdata_serve_model_info{model_version=\"als-a\"} 1")
        .contains("recdata_serve_feedback_rows_total 0.0");
  }
}
