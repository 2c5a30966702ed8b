package dev.recdata.export.serve;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.SparkOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recdata simulate}: plays users of a split's train part against a running {@code recdata
 * serve}: asks for their recommendations and posts one like among the items shown, by a planted
 * seeded preference ({@link SimulatedUsers}), so a retrain on the feedback can be checked for
 * learning it.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Call a running serve's /recommend for users of a split's train part and post one like per call"
            + " by a planted, seeded preference; bounded by --events and/or --minutes.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:usage error or bad input (no users, serve unreachable)"
    })
public final class SimulateCommand implements Callable<Integer> {
  @Mixin SparkOptions spark;
  @Spec CommandSpec spec;

  @Option(
      names = "--serve",
      required = true,
      description = "Base URL of recdata serve, e.g. http://127.0.0.1:8080.")
  String serve;

  @Option(
      names = "--users",
      required = true,
      description =
          "Split folder (its splits/train or train part) or a Parquet folder of interactions to take users from.")
  String users;

  @Option(names = "--events", description = "Stop after this many feedback posts.")
  Long events;

  @Option(names = "--minutes", description = "Stop after this many minutes.")
  Double minutes;

  @Option(
      names = "--max-users",
      defaultValue = "1000",
      description = "Users taken from the split (default: ${DEFAULT-VALUE}).")
  int maxUsers;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of the user choice and the planted preference (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--favoured-items",
      split = ",",
      description = "Item ids every simulated user prefers (default: derived from --seed).")
  List<Long> favouredItems;

  @Option(
      names = "--favoured-percent",
      defaultValue = "10",
      description =
          "Without --favoured-items: share of item ids favoured, by a seeded hash (default: ${DEFAULT-VALUE}).")
  int favouredPercent;

  @Override
  public Integer call() throws InterruptedException {
    RecdataException.checkInput(
        events != null || minutes != null,
        "give --events N and/or --minutes M: simulate is bounded");
    RecdataException.checkInput(
        events == null || events >= 1, "--events %d must be at least 1", events);
    RecdataException.checkInput(
        minutes == null || minutes > 0, "--minutes %s must be more than 0", minutes);
    RecdataException.checkInput(maxUsers >= 1, "--max-users %d must be at least 1", maxUsers);
    SimulatedUsers taste =
        new SimulatedUsers(
            seed, favouredItems == null ? null : new HashSet<>(favouredItems), favouredPercent);
    long[] userIds = readUsers();
    PrintWriter out = spec.commandLine().getOut();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = serve.replaceAll("/+$", "");
    long deadline = minutes == null ? Long.MAX_VALUE : System.nanoTime() + (long) (minutes * 60e9);
    long limit = events == null ? Long.MAX_VALUE : events;
    long posted = 0;
    long favouredLikes = 0;
    long fromModel = 0;
    long errors = 0;
    Set<String> versions = new HashSet<>();
    long started = System.nanoTime();
    for (long step = 0; posted < limit && System.nanoTime() < deadline; step++) {
      long user = userIds[taste.pick(step, userIds.length)];
      JsonNode answer = call(http, base + "/recommend", "{\"user_ids\":[" + user + "]}");
      if (answer == null) {
        errors++;
        continue;
      }
      JsonNode row = answer.get(0);
      long[] shown = new long[row.path("items").size()];
      for (int i = 0; i < shown.length; i++) {
        shown[i] = row.path("items").get(i).asLong();
      }
      if (shown.length == 0) {
        continue;
      }
      versions.add(row.path("model_version").asText());
      fromModel += "model".equals(row.path("source").asText()) ? 1 : 0;
      long like = taste.like(shown);
      StringBuilder body =
          new StringBuilder("{\"user_id\":")
              .append(user)
              .append(",\"like_item\":")
              .append(like)
              .append(",\"other_items\":[");
      String separator = "";
      for (long item : shown) {
        if (item != like) {
          body.append(separator).append(item);
          separator = ",";
        }
      }
      body.append("]}");
      if (call(http, base + "/feedback", body.toString()) == null) {
        errors++;
        continue;
      }
      posted++;
      favouredLikes += taste.favoured(like) ? 1 : 0;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        Locale.ROOT,
        "simulate: %,d feedback rows posted in %.1f s (%.0f/s) for %,d users; %,d likes of favoured"
            + " items (%.1f%%); %,d recommendations from the model, the rest popular; %,d errors; model versions %s%n",
        posted,
        seconds,
        posted / Math.max(seconds, 1e-9),
        userIds.length,
        favouredLikes,
        posted == 0 ? 0.0 : 100.0 * favouredLikes / posted,
        fromModel,
        errors,
        versions);
    out.flush();
    RecdataException.checkInput(
        posted > 0 || errors == 0, "no feedback was accepted by %s (%d errors)", base, errors);
    return 0;
  }

  /** The answer's JSON, or null on a non-200 answer; an unreachable server is exit 2. */
  private JsonNode call(HttpClient http, String url, String body) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        spec.commandLine()
            .getErr()
            .printf("simulate: %s answered %d: %s%n", url, response.statusCode(), response.body());
        return null;
      }
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot reach recdata serve at %s: %s", url, e.toString());
    }
  }

  /**
   * Distinct user ids of the train part, the smallest {@code --max-users} (a bounded, deterministic
   * set).
   */
  private long[] readUsers() {
    SparkSession session = SparkSessions.getOrCreate("recdata simulate", spark.master);
    if (!spark.verbose) {
      session.sparkContext().setLogLevel("WARN");
    }
    String train = trainPart(session);
    List<Row> rows =
        session
            .read()
            .parquet(train)
            .select(col(Schema.USER_ID))
            .distinct()
            .orderBy(col(Schema.USER_ID))
            .limit(maxUsers)
            .collectAsList();
    RecdataException.checkInput(!rows.isEmpty(), "no users in %s", train);
    List<Long> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getLong(0)));
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private String trainPart(SparkSession session) {
    var conf = session.sparkContext().hadoopConfiguration();
    try {
      for (String candidate : List.of("splits/train", "train")) {
        Path path = new Path(users, candidate);
        if (path.getFileSystem(conf).exists(path)) {
          return path.toString();
        }
      }
      Path path = new Path(users);
      RecdataException.checkInput(
          path.getFileSystem(conf).exists(path), "--users %s does not exist", users);
      return users;
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot read --users %s: %s", users, e.getMessage());
    }
  }
}
