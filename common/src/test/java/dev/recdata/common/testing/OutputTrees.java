package dev.recdata.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.recdata.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compares two output folders of the same stage run twice on the same input, options and seed: the same files
 * (hidden ones included) with the same bytes. JSON documents (manifests, MLlib's model metadata) may differ in
 * what identifies a run: run ids, start and end timestamps, seconds, and the output folder itself.
 */
public final class OutputTrees {
  private OutputTrees() {}

  /** Keys whose values differ from run to run by design. */
  private static boolean volatileKey(String key) {
    return key.equals("run_id")
        || key.endsWith("_run_id")
        || key.endsWith("_at")
        || key.equals("timestamp")
        || key.equals("seconds")
        || key.endsWith("_seconds");
  }

  /** Every file under {@code a} and {@code b} has the same relative path and the same bytes. */
  public static void assertSameBytes(Path a, Path b) {
    List<String> files = relativeFiles(a);
    assertThat(relativeFiles(b)).as("files under %s and %s", a, b).isEqualTo(files);
    for (String file : files) {
      assertThat(bytes(b.resolve(file))).as("bytes of %s", file).isEqualTo(bytes(a.resolve(file)));
    }
  }

  /**
   * Like {@link #assertSameBytes}, except that JSON files are compared after dropping run ids, timestamps and
   * seconds and writing both output folders as {@code <out>} (with the checksum files of such JSON files).
   */
  public static void assertSameOutput(Path a, Path b) {
    List<String> files = relativeFiles(a);
    assertThat(relativeFiles(b)).as("files under %s and %s", a, b).isEqualTo(files);
    Set<String> jsonDiffers = new HashSet<>();
    for (String file : files) {
      byte[] left = bytes(a.resolve(file));
      byte[] right = bytes(b.resolve(file));
      if (Arrays.equals(left, right)) {
        continue;
      }
      JsonNode leftJson = json(left);
      JsonNode rightJson = json(right);
      if (leftJson == null || rightJson == null) {
        if (!isChecksumOf(file, jsonDiffers)) {
          assertThat(right).as("bytes of %s (not JSON)", file).isEqualTo(left);
        }
        continue;
      }
      jsonDiffers.add(file);
      assertThat(stable(rightJson, b).toPrettyString())
          .as("JSON %s without run ids, timestamps and seconds", file)
          .isEqualTo(stable(leftJson, a).toPrettyString());
    }
  }

  private static boolean isChecksumOf(String file, Set<String> jsonDiffers) {
    Path path = Path.of(file);
    String name = path.getFileName().toString();
    if (!name.startsWith(".") || !name.endsWith(".crc")) {
      return false;
    }
    String data = name.substring(1, name.length() - ".crc".length());
    Path sibling = path.getParent() == null ? Path.of(data) : path.getParent().resolve(data);
    return jsonDiffers.contains(sibling.toString());
  }

  private static JsonNode stable(JsonNode node, Path root) {
    JsonNode copy = node.deepCopy();
    strip(copy, List.of(root.toString(), root.toUri().toString(), root.toUri().getPath()));
    return copy;
  }

  private static void strip(JsonNode node, List<String> roots) {
    if (node instanceof ObjectNode object) {
      List<String> drop = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (volatileKey(field.getKey())) {
          drop.add(field.getKey());
        } else if (field.getValue().isTextual()) {
          field.setValue(new TextNode(withoutRoot(field.getValue().asText(), roots)));
        } else {
          strip(field.getValue(), roots);
        }
      }
      object.remove(drop);
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, new TextNode(withoutRoot(array.get(i).asText(), roots)));
        } else {
          strip(array.get(i), roots);
        }
      }
    }
  }

  private static String withoutRoot(String text, List<String> roots) {
    String result = text;
    for (String root : roots) {
      String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
      result = result.replace(trimmed, "<out>");
    }
    return result;
  }

  private static JsonNode json(byte[] bytes) {
    if (bytes.length == 0 || (bytes[0] != '{' && bytes[0] != '[')) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException notJson) {
      return null;
    }
  }

  private static List<String> relativeFiles(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
