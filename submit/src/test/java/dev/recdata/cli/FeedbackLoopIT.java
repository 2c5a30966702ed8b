package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.cli.cluster.ChildProcess;
import dev.recdata.common.Json;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.RowCounts;
import dev.recdata.common.testing.TestData;
import dev.recdata.export.serve.SimulatedUsers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on MovieLens 100K, run the way the README runs it by hand, each command a {@code
 * bin/recdata} process against the real PostgreSQL: a first pipeline publishes a model; {@code
 * serve} serves it and takes feedback; {@code simulate} posts likes by a planted preference for 400
 * users; the weekly pipeline (only {@code --feedback-table}, no {@code --input}) retrains on
 * MovieLens plus the feedback; serve swaps in the new version by itself; and once more with new
 * feedback. Tuning is off: the loop is the subject, and three tuned pipelines would cost CI ten
 * minutes.
 */
class FeedbackLoopIT {
  private static final Path RECDATA = Path.of("bin", "recdata").toAbsolutePath();
  private static final long ML100K_USERS = 943;
  private static final long ML100K_ITEMS = 1682;
  private static final SimulatedUsers TASTE = new SimulatedUsers(42, null, 10);

  @TempDir Path tmp;
  private String schema;
  private String jdbcUrl;
  private ChildProcess serve;
  private int processes;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void createSchema() {
    Postgres.connect(); // skips (or fails in CI) when no server answers
    schema = Postgres.createSchema("loop");
    jdbcUrl = Postgres.URL;
  }

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.close();
    }
    Postgres.dropSchema(schema);
  }

  private String run(String... args) {
    List<String> command = new ArrayList<>(List.of(RECDATA.toString()));
    command.addAll(List.of(args));
    try (ChildProcess child =
        ChildProcess.start(
            args[0],
            command,
            Map.of("RECDATA_JAVA_OPTS", "-Xmx2g"),
            tmp.resolve("logs/" + (processes++) + "-" + args[0] + ".log"))) {
      int code = child.awaitExit(Duration.ofMinutes(15));
      assertThat(code).as("%s%n%s", String.join(" ", args), child.output()).isZero();
      return child.output();
    }
  }

  /** The README's weekly command: the feedback table and nothing else to read. */
  private String weekly(Path out) {
    return run(
        "pipeline",
        "--out",
        out.toString(),
        "--jdbc-url",
        jdbcUrl,
        "--jdbc-schema",
        schema,
        "--feedback-table",
        schema + ".feedback",
        "--tune",
        "off");
  }

  private JsonNode json(Path file) throws IOException {
    return Json.MAPPER.readTree(Files.readString(file));
  }

  private Path latest(Path out) throws IOException {
    return out.resolve("runs").resolve(Files.readString(out.resolve("latest")).strip());
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
  }

  /** Polls /healthz until serve reports {@code version} (bounded: serve polls every second). */
  private void awaitServed(int port, String version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      JsonNode health = serve.process().isAlive() ? getQuietly(port) : null;
      seen = health == null ? null : health.path("model_version").asText(null);
      if (version.equals(seen)) {
        return;
      }
      assertThat(serve.process().isAlive()).as(serve.output()).isTrue();
      Thread.sleep(250);
    }
    throw new AssertionError("serve still answers " + seen + ", not " + version);
  }

  private JsonNode getQuietly(int port) {
    try {
      return get(port, "/healthz");
    } catch (Exception notUpYet) {
      return null;
    }
  }

  private long sql(String query) throws Exception {
    try (Connection c = Postgres.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  private Set<Long> feedbackUsers() throws Exception {
    Set<Long> users = new HashSet<>();
    try (Connection c = Postgres.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT user_id FROM " + schema + ".feedback")) {
      while (rs.next()) {
        users.add(rs.getLong(1));
      }
    }
    return users;
  }

  /**
   * The share of favoured items among the exported top-5 of the users {@code inFeedback} selects
   * (users with feedback, or the others).
   */
  private double favouredShare(Path run, Set<Long> feedbackUsers, boolean inFeedback)
      throws IOException {
    long slots = 0;
    long favoured = 0;
    for (String line : Files.readAllLines(run.resolve("export/serving/recommendations.jsonl"))) {
      JsonNode user = Json.MAPPER.readTree(line);
      if (feedbackUsers.contains(user.get("user_id").asLong()) != inFeedback) {
        continue;
      }
      for (int i = 0; i < 5 && i < user.get("items").size(); i++) {
        slots++;
        favoured += TASTE.favoured(user.get("items").get(i).asLong()) ? 1 : 0;
      }
    }
    assertThat(slots).isPositive();
    return (double) favoured / slots;
  }

  @Test
  void theWeeklyRetrainKeepsMovieLensLearnsFromFeedbackAndServeSwapsToIt() throws Exception {
    Path out = tmp.resolve("recdata-out");
    run(
        "pipeline",
        "--out",
        out.toString(),
        "--input",
        TestData.ml100k().toString(),
        "--jdbc-url",
        jdbcUrl,
        "--jdbc-schema",
        schema,
        "--tune",
        "off");
    Path first = latest(out);
    String firstModel = json(first.resolve("als/params.json")).get("run_id").asText();

    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    serve =
        ChildProcess.start(
            "serve",
            List.of(
                RECDATA.toString(),
                "serve",
                "--run",
                out.toString(),
                "--port",
                Integer.toString(port),
                "--jdbc-url",
                jdbcUrl,
                "--feedback-table",
                schema + ".feedback",
                "--poll-seconds",
                "1"),
            Map.of(),
            tmp.resolve("logs/serve.log"));
    awaitServed(port, firstModel);

    String simulated =
        run(
            "simulate",
            "--serve",
            "http://127.0.0.1:" + port,
            "--users",
            first.resolve("splits").toString(),
            "--events",
            "3000",
            "--max-users",
            "400");
    assertThat(simulated).contains("3,000 feedback rows posted").contains("0 errors");
    assertThat(sql("SELECT count(*) FROM " + schema + ".feedback")).isEqualTo(3000);
    Set<Long> feedbackUsers = feedbackUsers();
    assertThat(feedbackUsers).hasSize(400);

    // the weekly retrain: MovieLens (the inputs the first run read) plus the feedback
    String log = weekly(out);
    Path second = latest(out);
    assertThat(second).isNotEqualTo(first);
    assertThat(log).contains("continuing with run " + first.getFileName() + "'s inputs");
    JsonNode pipeline = json(second.resolve("pipeline.json"));
    assertThat(pipeline.get("inputs_from_run").asText()).isEqualTo(first.getFileName().toString());
    assertThat(pipeline.get("previous_run_id").asText()).isEqualTo(first.getFileName().toString());
    JsonNode etl = json(second.resolve("etl/manifest.json"));
    assertThat(etl.get("feedback").get("table_rows_read").asLong())
        .as("every posted row read once")
        .isEqualTo(3000);
    assertThat(etl.get("feedback").get("history_events").asLong())
        .as("a like and 4 impressions per row")
        .isEqualTo(15000);
    JsonNode counts = etl.get("counts");
    assertThat(counts.get("input").asLong()).isEqualTo(100_000 + 15_000);
    RowCounts.assertNothingLost(counts);
    assertThat(counts.get("users").asLong()).isEqualTo(ML100K_USERS);
    assertThat(counts.get("items").asLong()).isEqualTo(ML100K_ITEMS);

    // serve swaps to the new version by itself, and what it serves is what PostgreSQL has
    String secondModel = json(second.resolve("als/params.json")).get("run_id").asText();
    assertThat(secondModel).isNotEqualTo(firstModel);
    awaitServed(port, secondModel);
    assertThat(
            sql(
                "SELECT count(DISTINCT user_id) FROM "
                    + schema
                    + ".recommendations WHERE model_version = '"
                    + secondModel
                    + "'"))
        .isEqualTo(ML100K_USERS);
    assertThat(
            sql(
                "SELECT count(*) FROM "
                    + schema
                    + ".recommendations WHERE model_version <> '"
                    + secondModel
                    + "'"))
        .isZero();

    // the model learned the planted taste: users who posted nothing get more favoured items (those
    // who posted have their liked items excluded as seen, so their share is not the measure)
    double before = favouredShare(first, feedbackUsers, false);
    double after = favouredShare(second, feedbackUsers, false);
    assertThat(after)
        .as("favoured share for users without feedback, was %.4f", before)
        .isGreaterThan(before * 1.1);

    // a second week: only the new rows are read, the history keeps the first week's
    run(
        "simulate",
        "--serve",
        "http://127.0.0.1:" + port,
        "--users",
        second.resolve("splits").toString(),
        "--events",
        "1000",
        "--max-users",
        "400",
        "--seed",
        "43");
    assertThat(sql("SELECT count(*) FROM " + schema + ".feedback")).isEqualTo(4000);
    weekly(out);
    Path third = latest(out);
    JsonNode thirdEtl = json(third.resolve("etl/manifest.json"));
    assertThat(thirdEtl.get("feedback").get("table_rows_read").asLong()).isEqualTo(1000);
    assertThat(thirdEtl.get("feedback").get("history_events").asLong()).isEqualTo(20000);
    assertThat(thirdEtl.get("counts").get("input").asLong()).isEqualTo(100_000 + 20_000);
    assertThat(thirdEtl.get("counts").get("users").asLong()).isEqualTo(ML100K_USERS);
    assertThat(thirdEtl.get("counts").get("items").asLong()).isEqualTo(ML100K_ITEMS);
    assertThat(json(third.resolve("pipeline.json")).get("inputs_from_run").asText())
        .isEqualTo(second.getFileName().toString());
    awaitServed(port, json(third.resolve("als/params.json")).get("run_id").asText());
  }
}
