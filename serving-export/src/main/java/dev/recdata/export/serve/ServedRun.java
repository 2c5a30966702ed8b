package dev.recdata.export.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.export.ExportOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One model version as {@code recdata serve} holds it in memory: every user's top-K and every
 * item's similar items (raw ids, as the application knows them) and a popularity list for users the
 * model never saw. It is the only place serve reads an export's files ({@code
 * serving/recommendations.jsonl}, {@code serving/similar_items.jsonl}, {@code
 * serving/id_maps/items.jsonl}, {@code training/sequences.txt}, {@code manifest.json}; LAYOUT.md),
 * and it is immutable: a new version is loaded whole into a new instance and swapped in by {@link
 * ServedModel}.
 *
 * @param modelVersion the ALS run id (the {@code model_version} of the published PostgreSQL rows)
 * @param exportDir the export folder it was read from
 * @param popular the fallback list, most popular training item first
 */
public record ServedRun(
    String modelVersion,
    Path exportDir,
    Map<Long, long[]> recommendations,
    Map<Long, long[]> similarItems,
    long[] popular) {

  static final String LATEST = "latest";
  static final String RUNS = "runs";
  static final String EXPORT = "export";
  static final String SERVING = "serving";
  static final String MANIFEST = ExportOutput.MANIFEST;
  static final String RECOMMENDATIONS = "serving/recommendations.jsonl";
  static final String SIMILAR_ITEMS = "serving/similar_items.jsonl";
  static final String ITEM_ID_MAP = "serving/id_maps/items.jsonl";
  static final String SEQUENCES = "training/sequences.txt";

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The export folder {@code run} names now: a pipeline root ({@code run/latest} names the run,
   * whose {@code export/} is read), a run folder holding {@code export/}, or an export folder
   * itself.
   */
  public static Path resolveExportDir(Path run) {
    Path latest = run.resolve(LATEST);
    if (Files.isRegularFile(latest)) {
      String runId = readString(latest).strip();
      RecdataException.checkInput(
          !runId.isEmpty(), "%s is empty: expected the id of the current run", latest);
      return run.resolve(RUNS).resolve(runId).resolve(EXPORT);
    }
    if (Files.isDirectory(run.resolve(SERVING))) {
      return run;
    }
    if (Files.isDirectory(run.resolve(EXPORT).resolve(SERVING))) {
      return run.resolve(EXPORT);
    }
    throw RecdataException.badInput(
        "--run %s holds no model to serve: expected a pipeline root (with latest), a run folder or an export folder"
            + " with serving/",
        run);
  }

  /**
   * Reads the export {@code run} currently names (see {@link #resolveExportDir}), every served list
   * into memory.
   */
  public static ServedRun load(Path run) {
    Path export = resolveExportDir(run);
    Path recommendationsFile = export.resolve(RECOMMENDATIONS);
    RecdataException.checkInput(
        Files.isRegularFile(recommendationsFile),
        "%s is missing: the export has no serving side (it needs an als output)",
        recommendationsFile);
    ExportOutput output =
        ExportOutput.read(new org.apache.hadoop.conf.Configuration(), export.toString(), "--run");
    String version = output.modelVersion() != null ? output.modelVersion() : export.toString();
    Map<Long, long[]> recommendations = readLists(recommendationsFile, "user_id");
    Path similarFile = export.resolve(SIMILAR_ITEMS);
    Map<Long, long[]> similar =
        Files.isRegularFile(similarFile) ? readLists(similarFile, "item_id") : Map.of();
    return new ServedRun(
        version, export, recommendations, similar, popular(export, recommendations));
  }

  /** The ids a user the model has not seen gets: the {@code k} most popular items. */
  public long[] popular(int k) {
    return popular.length <= k ? popular : Arrays.copyOf(popular, k);
  }

  /**
   * Items by number of training interactions (from {@code training/sequences.txt} and the item id
   * map), ties to the smaller id; without them, by how many users the model recommends each item
   * to.
   */
  private static long[] popular(Path export, Map<Long, long[]> recommendations) {
    Map<Long, Long> counts = new HashMap<>();
    Path sequences = export.resolve(SEQUENCES);
    Path itemMap = export.resolve(ITEM_ID_MAP);
    if (Files.isRegularFile(sequences) && Files.isRegularFile(itemMap)) {
      Map<Long, Long> idOfIdx = readIdMap(itemMap);
      Map<Long, Long> byIdx = new HashMap<>();
      try (BufferedReader in = Files.newBufferedReader(sequences, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          int space = line.indexOf(' ');
          if (space > 0) {
            byIdx.merge(Long.parseLong(line, space + 1, line.length(), 10), 1L, Long::sum);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + sequences, e);
      }
      byIdx.forEach(
          (idx, n) -> {
            Long id = idOfIdx.get(idx);
            if (id != null) {
              counts.put(id, n);
            }
          });
    }
    if (counts.isEmpty()) {
      recommendations
          .values()
          .forEach(items -> Arrays.stream(items).forEach(i -> counts.merge(i, 1L, Long::sum)));
    }
    return counts.entrySet().stream()
        .sorted(
            Map.Entry.<Long, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(1000)
        .mapToLong(Map.Entry::getKey)
        .toArray();
  }

  /**
   * {@code {"KEY": id, "items": [ids], ...}} per line -> id -> items; other fields (scores) are
   * skipped.
   */
  private static Map<Long, long[]> readLists(Path file, String key) {
    Map<Long, long[]> lists = new HashMap<>();
    int lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        Long id = null;
        long[] items = null;
        try (JsonParser p = JSON.createParser(line)) {
          expect(p.nextToken() == JsonToken.START_OBJECT, file, lineNumber);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(key) && value == JsonToken.VALUE_NUMBER_INT) {
              id = p.getLongValue();
            } else if (field.equals("items") && value == JsonToken.START_ARRAY) {
              List<Long> ids = new ArrayList<>();
              while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                ids.add(p.getLongValue());
              }
              items = ids.stream().mapToLong(Long::longValue).toArray();
            } else {
              p.skipChildren();
            }
          }
        }
        expect(id != null && items != null, file, lineNumber);
        lists.put(id, items);
      }
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot read %s line %d: %s", file, lineNumber, e.getMessage());
    }
    return lists;
  }

  /** {@code {"item_id": 1, "item_idx": 0}} per line -> idx -> id. */
  private static Map<Long, Long> readIdMap(Path file) {
    Map<Long, Long> idOfIdx = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          JsonNode row = Json.MAPPER.readTree(line);
          idOfIdx.put(row.path("item_idx").asLong(), row.path("item_id").asLong());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return idOfIdx;
  }

  private static void expect(boolean ok, Path file, int line) {
    RecdataException.checkInput(
        ok, "%s line %d is not a served list: expected {\"id\": N, \"items\": [...]}", file, line);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
