package dev.recdata.notebooks;

import dev.recdata.common.testing.DebianPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Executes a notebook headless, as CI does: Debian's {@code python3 -m nbconvert --execute} on a
 * kernel pinned to {@link DebianPython#PYTHON}, so the kernel has Debian's torch, pandas and
 * psycopg2 whatever {@code python3} is first on PATH or whatever kernels the user installed. The
 * executed copy goes to an output folder (never back beside the committed notebook); a failing cell
 * fails the run with that cell's source and traceback.
 */
final class NotebookRunner {
  /** The kernel name written into the private JUPYTER_PATH; it shadows nothing the user has. */
  static final String KERNEL = "recdata-debian-python3";

  static final int CELL_TIMEOUT_SECONDS = 600;
  private static final int NOTEBOOK_TIMEOUT_SECONDS = 1800;
  private static final String CELL_ERROR = "An error occurred while executing the following cell";

  private final Path outputDir;
  private final Map<String, String> environment = new TreeMap<>();

  /**
   * @param workDir a scratch folder for the kernelspec and IPython's profile
   * @param outputDir where executed copies are written
   * @param parameters environment variables the notebooks read (RECDATA_RUN, RECDATA_JDBC, ...)
   */
  NotebookRunner(Path workDir, Path outputDir, Map<String, String> parameters) throws IOException {
    this.outputDir = Files.createDirectories(outputDir);
    Path kernel = Files.createDirectories(workDir.resolve("jupyter/kernels").resolve(KERNEL));
    Files.writeString(
        kernel.resolve("kernel.json"),
        "{\"argv\": [\""
            + DebianPython.PYTHON
            + "\", \"-m\", \"ipykernel_launcher\", \"-f\", \"{connection_file}\"],"
            + " \"display_name\": \"Debian python3 (recdata tests)\", \"language\": \"python\"}\n");
    // JUPYTER_PATH is searched before the user's and the system's kernel folders.
    environment.put("JUPYTER_PATH", workDir.resolve("jupyter").toString());
    environment.put("IPYTHONDIR", Files.createDirectories(workDir.resolve("ipython")).toString());
    environment.put(
        "MPLCONFIGDIR", Files.createDirectories(workDir.resolve("matplotlib")).toString());
    // Debian's python 3.11 runs with frozen modules; the kernel's debugger would warn about it on
    // every start.
    environment.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    environment.putAll(parameters);
  }

  /**
   * Executes {@code notebook}; returns the executed copy, or fails with the failing cell's error.
   */
  Path execute(Path notebook) {
    String name = notebook.getFileName().toString();
    List<String> command = new ArrayList<>(List.of("env"));
    environment.forEach((key, value) -> command.add(key + "=" + value));
    command.addAll(
        List.of(
            DebianPython.PYTHON,
            "-m",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=" + KERNEL,
            "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_SECONDS,
            "--output-dir",
            outputDir.toString(),
            "--output",
            name,
            notebook.toAbsolutePath().toString()));
    DebianPython.Result result;
    long started = System.nanoTime();
    try {
      result =
          DebianPython.exec(
              command, notebook.toAbsolutePath().getParent(), NOTEBOOK_TIMEOUT_SECONDS);
    } catch (IOException e) {
      throw new AssertionError("cannot run nbconvert on " + name + ": " + e.getMessage(), e);
    }
    if (result.exitCode() != 0) {
      throw new AssertionError(
          name
              + " failed (nbconvert exited "
              + result.exitCode()
              + "):\n"
              + failingCell(result.stderr()));
    }
    System.out.printf("%s executed in %.1f s%n", name, (System.nanoTime() - started) / 1e9);
    return outputDir.resolve(name);
  }

  /**
   * nbconvert's stderr from the failing cell's source and traceback on, or its last lines when no
   * cell failed.
   */
  static String failingCell(String stderr) {
    String plain = stderr.replaceAll("\u001B\\[[0-9;]*m", ""); // IPython colours its tracebacks
    int at = plain.indexOf(CELL_ERROR);
    if (at >= 0) {
      return plain.substring(at).strip();
    }
    return plain.length() <= 4000
        ? plain.strip()
        : "..." + plain.substring(plain.length() - 4000).strip();
  }
}
