package dev.recdata.notebooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.DebianPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner CI relies on: a failing cell fails it, and the kernel is Debian's python, not PATH's.
 */
class NotebookRunnerIT {
  @BeforeAll
  static void debianJupyter() {
    DebianPython.require("nbconvert", "nbclient", "ipykernel");
  }

  /** A minimal nbformat 4 notebook with one code cell per source. */
  static Path notebook(Path folder, String name, String... cellSources) throws IOException {
    var cells = Json.MAPPER.createArrayNode();
    for (String source : cellSources) {
      var cell = cells.addObject();
      cell.put("cell_type", "code");
      cell.putNull("execution_count");
      cell.putObject("metadata");
      cell.putArray("outputs");
      cell.put("source", source);
    }
    var root = Json.MAPPER.createObjectNode();
    root.put("nbformat", 4);
    root.put("nbformat_minor", 5);
    root.putObject("metadata");
    root.set("cells", cells);
    Path file = folder.resolve(name);
    Files.writeString(file, Json.MAPPER.writeValueAsString(root));
    return file;
  }

  @Test
  void failingCellFailsTheRunWithItsSourceAndError(@TempDir Path tmp) throws IOException {
    NotebookRunner runner =
        new NotebookRunner(tmp.resolve("work"), tmp.resolve("executed"), Map.of());
    Path planted =
        notebook(
            tmp,
            "planted.ipynb",
            "x = 41",
            "raise ValueError(f'planted failure {x + 1}')",
            "y = 0");

    assertThatThrownBy(() -> runner.execute(planted))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("planted.ipynb failed")
        .hasMessageContaining("raise ValueError(f'planted failure {x + 1}')")
        .hasMessageContaining("ValueError: planted failure 42");
    assertThat(tmp.resolve("executed/planted.ipynb")).doesNotExist();
  }

  @Test
  void kernelIsDebianPythonAndParametersReachTheNotebook(@TempDir Path tmp) throws IOException {
    NotebookRunner runner =
        new NotebookRunner(
            tmp.resolve("work"), tmp.resolve("executed"), Map.of("RECDATA_RUN", "/some/run"));
    Path probe =
        notebook(
            tmp, "probe.ipynb", "import os, sys\nprint(sys.executable, os.environ['RECDATA_RUN'])");

    Path executed = runner.execute(probe);

    JsonNode output =
        Json.MAPPER.readTree(executed.toFile()).get("cells").get(0).get("outputs").get(0);
    assertThat(output.get("text").toString()).contains(DebianPython.PYTHON + " /some/run");
    assertThat(Files.readString(probe))
        .doesNotContain("/some/run"); // the committed copy is left as it was
  }
}
