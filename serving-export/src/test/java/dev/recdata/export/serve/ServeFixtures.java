package dev.recdata.export.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tiny export folders in the layout {@code recdata export} writes (LAYOUT.md; only the files serve
 * reads), inside a pipeline root with {@code runs/RUN_ID/export} and {@code latest}, and a small
 * HTTP client.
 */
final class ServeFixtures {
  private ServeFixtures() {}

  /**
   * Users 1 and 2 are known to model A; item popularity in training: 30 > 20 > 10 > 40 > 50 > 60.
   */
  static final Map<Long, long[]> MODEL_A =
      new TreeMap<>(
          Map.of(
              1L, new long[] {40, 50, 60, 70, 80},
              2L, new long[] {10, 20, 30, 40, 50}));

  /** Model B knows user 3 only, and says other things about user 1. */
  static final Map<Long, long[]> MODEL_B =
      new TreeMap<>(
          Map.of(
              1L, new long[] {11, 12, 13, 14, 15},
              3L, new long[] {21, 22, 23, 24, 25}));

  static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Writes {@code root/runs/RUN_ID/export} for model {@code alsRunId} and points {@code
   * root/latest} at it.
   */
  static Path publishRun(
      Path root, String runId, String alsRunId, Map<Long, long[]> recommendations) {
    Path export = root.resolve("runs").resolve(runId).resolve("export");
    writeExport(export, alsRunId, recommendations);
    try {
      Path tmp = root.resolve(".latest." + runId);
      Files.writeString(tmp, runId + "\n");
      Files.move(
          tmp,
          root.resolve("latest"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return export;
  }

  static void writeExport(Path export, String alsRunId, Map<Long, long[]> recommendations) {
    try {
      Files.createDirectories(export.resolve("serving/id_maps"));
      Files.createDirectories(export.resolve("training"));
      List<String> lines = new ArrayList<>();
      recommendations.forEach(
          (user, items) ->
              lines.add(
                  "{\"user_id\":"
                      + user
                      + ",\"items\":"
                      + list(items)
                      + ",\"scores\":[0.9,0.8,0.7,0.6,0.5]}"));
      Files.write(export.resolve("serving/recommendations.jsonl"), lines, StandardCharsets.UTF_8);
      Files.write(
          export.resolve("serving/similar_items.jsonl"),
          List.of(
              "{\"item_id\":10,\"items\":[20,30],\"scores\":[0.5,0.25]}",
              "{\"item_id\":20,\"items\":[10,30],\"scores\":[0.5,0.125]}"),
          StandardCharsets.UTF_8);
      // item_idx 0..5 are items 10, 20, 30, 40, 50, 60
      List<String> idMap = new ArrayList<>();
      for (int idx = 0; idx < 6; idx++) {
        idMap.add("{\"item_id\":" + (idx + 1) * 10 + ",\"item_idx\":" + idx + "}");
      }
      Files.write(export.resolve("serving/id_maps/items.jsonl"), idMap, StandardCharsets.UTF_8);
      List<String> sequences = new ArrayList<>();
      int[] counts = {5, 6, 7, 4, 3, 2}; // per item_idx
      for (int idx = 0; idx < counts.length; idx++) {
        for (int n = 0; n < counts[idx]; n++) {
          sequences.add(n + " " + idx);
        }
      }
      Files.write(export.resolve("training/sequences.txt"), sequences, StandardCharsets.UTF_8);
      Files.writeString(
          export.resolve("manifest.json"),
          "{\"stage\":\"export\",\"run_id\":\"export-"
              + alsRunId
              + "\",\"lineage\":{\"als\":{\"run_id\":\""
              + alsRunId
              + "\"}}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String list(long[] items) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < items.length; i++) {
      s.append(i == 0 ? "" : ",").append(items[i]);
    }
    return s.append(']').toString();
  }

  record Response(int status, String body, String modelVersion) {}

  static Response post(int port, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static Response get(int port, String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.body(),
          response.headers().firstValue(ServeServer.VERSION_HEADER).orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
