package dev.recdata.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The notebooks as committed: outputs cleared (no stale numbers or images in the repository,
 * reviewable diffs) and a first markdown cell naming the environment variables they read. Plain
 * JSON, no Python needed.
 */
class CommittedNotebooksTest {
  static final List<String> NOTEBOOKS =
      List.of(
          "01_data_quality.ipynb",
          "02_train_ranker_on_triplets.ipynb",
          "03_recommendations_and_similar_items.ipynb");

  /** What is wrong with a committed notebook; empty when nothing is. */
  static List<String> problems(String name, JsonNode notebook) {
    List<String> problems = new ArrayList<>();
    JsonNode cells = notebook.path("cells");
    for (int i = 0; i < cells.size(); i++) {
      JsonNode cell = cells.get(i);
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      if (cell.path("outputs").size() > 0) {
        problems.add(name + " cell " + i + " has outputs");
      }
      if (!cell.path("execution_count").isNull()) {
        problems.add(name + " cell " + i + " has execution_count " + cell.path("execution_count"));
      }
    }
    JsonNode first = cells.path(0);
    if (!"markdown".equals(first.path("cell_type").asText())
        || !source(first).contains("RECDATA_RUN")) {
      problems.add(name + " does not start with a markdown cell documenting RECDATA_RUN");
    }
    return problems;
  }

  private static String source(JsonNode cell) {
    JsonNode source = cell.path("source");
    if (source.isArray()) {
      StringBuilder text = new StringBuilder();
      source.forEach(line -> text.append(line.asText()));
      return text.toString();
    }
    return source.asText();
  }

  @Test
  void everyCommittedNotebookHasClearedOutputsAndDocumentsItsParameters() throws IOException {
    List<String> found;
    try (Stream<Path> files = Files.list(Path.of(""))) {
      found =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".ipynb"))
              .sorted()
              .toList();
    }
    assertThat(found).containsExactlyElementsOf(NOTEBOOKS);
    List<String> problems = new ArrayList<>();
    for (String name : found) {
      problems.addAll(problems(name, Json.MAPPER.readTree(Path.of(name).toFile())));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void aNotebookSavedWithOutputsIsFlagged() throws IOException {
    JsonNode executed =
        Json.MAPPER.readTree(
            "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"RECDATA_RUN: a run folder\"]},"
                + " {\"cell_type\": \"code\", \"execution_count\": 3, \"source\": \"1 + 1\","
                + " \"outputs\": [{\"output_type\": \"execute_result\", \"data\": {\"text/plain\": \"2\"}}]}]}");

    assertThat(problems("saved.ipynb", executed))
        .containsExactly(
            "saved.ipynb cell 1 has outputs", "saved.ipynb cell 1 has execution_count 3");
  }
}
