package dev.recdata.cli.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every file under a folder, by relative path, as the SHA-256 of its bytes. Manifests and the model metadata are
 * compared as JSON without what legitimately differs between two runs of the same thing (run ids, wall-clock times,
 * seconds); every data file (Parquet, safetensors, npy, CSV) must match byte for byte. Hadoop's {@code .crc}
 * companions follow their file and are skipped; so is the HTML report (a rendering of report.json, which is kept).
 */
public final class OutputSnapshot {
  private static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
  private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
  private static final Pattern VOLATILE_KEY =
      Pattern.compile("(.*_)?(run_id|run_ids|created_at|started_at|finished_at|generated_at|computed_at|timestamp|seconds|uid|previous_run_id|base_run_id)");

  private OutputSnapshot() {}

  public static Map<String, String> of(Path root) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String relative = RUN_ID.matcher(root.relativize(file).toString()).replaceAll("<run>");
        String name = file.getFileName().toString();
        if (name.endsWith(".crc") || name.endsWith(".html") || name.equals(".pipeline.lock")) {
          continue;
        }
        files.put(relative, digest(normalised(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static byte[] normalised(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    boolean json = name.endsWith(".json") || file.getParent().getFileName().toString().equals("metadata");
    if (name.equals("latest") || name.startsWith(".latest")) {
      return RUN_ID.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("<run>").getBytes(StandardCharsets.UTF_8);
    }
    if (!json || bytes.length == 0) {
      // tensor headers and JSON lines name the upstream runs; data bytes never match these patterns
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      text = RUN_ID.matcher(text).replaceAll("<run>");
      text = INSTANT.matcher(text).replaceAll("<time>");
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
    JsonNode tree = Json.MAPPER.readTree(bytes);
    return RUN_ID.matcher(Json.MAPPER.writeValueAsString(strip(tree))).replaceAll("<run>").getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (VOLATILE_KEY.matcher(field.getKey()).matches()) {
          it.remove();
        } else {
          strip(field.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(OutputSnapshot::strip);
    }
    return node;
  }

  private static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Names of hidden staging/previous folders and temporary pointers anywhere under {@code root}: crash debris. */
  public static java.util.List<String> debris(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString())
          .filter(p -> p.matches("(.*/)?\\.[^/]*\\.(staging|previous)-[^/]*") || p.matches("(.*/)?\\.latest\\.[^/]*"))
          .filter(p -> !p.endsWith(".crc"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
