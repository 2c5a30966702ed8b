package dev.recdata.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.recdata.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compares two output folders of the same stage run twice on the same input, options and seed: the
 * same files (hidden ones included) with the same bytes. Parquet files must be identical. JSON
 * documents (manifests, MLlib's model metadata) may differ in what identifies a run: run ids, start
 * and end timestamps, seconds, and the output folder itself; other files (the quality report's
 * HTML, the lineage in tensor headers) only in run ids, timestamps and the output folder.
 */
public final class OutputTrees {
  private OutputTrees() {}

  private static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
  private static final Pattern INSTANT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

  /** Keys whose values differ from run to run by design. */
  private static boolean volatileKey(String key) {
    return key.equals("run_id")
        || key.endsWith("_run_id")
        || key.endsWith("_at")
        || key.equals("timestamp")
        || key.equals("seconds")
        || key.endsWith("_seconds")
        // etl's --max-ts defaults to the run's own clock plus a day: a timestamp of the run like
        // started_at
        || key.equals("maxTs");
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
   * Like {@link #assertSameBytes}, except that JSON files are compared after dropping run ids,
   * timestamps and seconds and writing both output folders as {@code <out>} (with the checksum
   * files of such JSON files).
   */
  public static void assertSameOutput(Path a, Path b) {
    List<String> files = relativeFiles(a);
    assertThat(relativeFiles(b)).as("files under %s and %s", a, b).isEqualTo(files);
    Set<String> differing = new HashSet<>();
    List<String> checksums = new ArrayList<>();
    // JSON last: a manifest's checksums of files that differ only by run ids (tensor headers) are
    // dropped, so those files must be compared first
    List<String> jsonLast =
        new ArrayList<>(files.stream().filter(f -> !f.endsWith(".json")).toList());
    jsonLast.addAll(files.stream().filter(f -> f.endsWith(".json")).toList());
    for (String file : jsonLast) {
      if (checksumOf(file) != null) {
        checksums.add(file); // after their data files, which decide whether they may differ
        continue;
      }
      byte[] left = bytes(a.resolve(file));
      byte[] right = bytes(b.resolve(file));
      if (Arrays.equals(left, right)) {
        continue;
      }
      assertThat(file).as("%s differs between %s and %s", file, a, b).doesNotEndWith(".parquet");
      differing.add(file);
      JsonNode leftJson = json(left);
      JsonNode rightJson = json(right);
      if (leftJson == null || rightJson == null) {
        assertThat(masked(right, b))
            .as("%s without run ids and timestamps", file)
            .isEqualTo(masked(left, a));
      } else {
        Set<String> maskedFiles = Set.copyOf(differing);
        assertThat(stable(rightJson, b, maskedFiles).toPrettyString())
            .as("JSON %s without run ids, timestamps and seconds", file)
            .isEqualTo(stable(leftJson, a, maskedFiles).toPrettyString());
      }
    }
    for (String file : checksums) {
      if (!differing.contains(checksumOf(file))) {
        assertThat(bytes(b.resolve(file)))
            .as("bytes of %s", file)
            .isEqualTo(bytes(a.resolve(file)));
      }
    }
  }

  /**
   * The bytes as Latin-1 text (one char per byte) with run ids, instants and the output folder
   * replaced.
   */
  private static String masked(byte[] bytes, Path root) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    text = withoutRoot(text, roots(root));
    text = RUN_ID.matcher(text).replaceAll("<run id>");
    return INSTANT.matcher(text).replaceAll("<instant>");
  }

  private static List<String> roots(Path root) {
    return List.of(root.toUri().toString(), root.toString());
  }

  /** The data file a Hadoop checksum file {@code .NAME.crc} belongs to, or null. */
  private static String checksumOf(String file) {
    Path path = Path.of(file);
    String name = path.getFileName().toString();
    if (!name.startsWith(".") || !name.endsWith(".crc")) {
      return null;
    }
    String data = name.substring(1, name.length() - ".crc".length());
    return path.getParent() == null ? data : path.getParent().resolve(data).toString();
  }

  /**
   * The JSON without what differs by design; also without the entries keyed by a file that differed
   * only by run ids (a manifest's checksum of a tensor whose header names its run).
   */
  private static JsonNode stable(JsonNode node, Path root, Set<String> maskedFiles) {
    JsonNode copy = node.deepCopy();
    strip(copy, roots(root), key -> names(key, maskedFiles));
    return copy;
  }

  /** True when {@code key} is the path of one of {@code files}, relative to a folder between. */
  private static boolean names(String key, Set<String> files) {
    return key.contains("/")
        && files.stream().anyMatch(f -> f.equals(key) || f.endsWith("/" + key));
  }

  private static void strip(
      JsonNode node, List<String> roots, java.util.function.Predicate<String> dropKey) {
    if (node instanceof ObjectNode object) {
      List<String> drop = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (volatileKey(field.getKey()) || dropKey.test(field.getKey())) {
          drop.add(field.getKey());
        } else if (field.getValue().isTextual()) {
          field.setValue(new TextNode(withoutRoot(field.getValue().asText(), roots)));
        } else {
          strip(field.getValue(), roots, dropKey);
        }
      }
      object.remove(drop);
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, new TextNode(withoutRoot(array.get(i).asText(), roots)));
        } else {
          strip(array.get(i), roots, dropKey);
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
    return RUN_ID.matcher(result).replaceAll("<run id>");
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
      return paths
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
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
