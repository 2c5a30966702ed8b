package dev.recdata.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code /usr/bin/python3} with the packages {@code .ci/run} installs (torch, numpy,
 * pandas, matplotlib, nbconvert, nbclient, ipykernel, psycopg2): the real client of our tensors and
 * notebooks. Not the {@code python3} first on PATH, which may be a pyenv without them. With {@code
 * CI=true} a missing interpreter or module fails the test; elsewhere the test is skipped with a
 * message saying what to install.
 */
public final class DebianPython {
  private DebianPython() {}

  public static final String PYTHON = System.getProperty("recdata.test.python", "/usr/bin/python3");

  /** Fails (CI) or skips (elsewhere) unless every module imports. */
  public static void require(String... modules) {
    String imports = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
    Result probe;
    try {
      probe = exec(List.of(PYTHON, "-c", imports), null, 120);
    } catch (IOException e) {
      probe = new Result(-1, "", e.getMessage());
    }
    if (probe.exitCode() != 0) {
      String message =
          PYTHON
              + " cannot import "
              + String.join(", ", modules)
              + " ("
              + probe.stderr().strip()
              + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(
            message + "; CI=true requires the Debian packages .ci/run installs");
      }
      Assumptions.abort(
          message + "; apt-get install the packages listed in .ci/run to run this test");
    }
  }

  /**
   * Runs {@code script} (Python source) with {@code args}; fails the test, with both streams,
   * unless it exits 0.
   */
  public static String run(String script, String... args) {
    try {
      Path file = Files.createTempFile("recdata-test-", ".py");
      try {
        Files.writeString(file, script);
        List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
        command.addAll(List.of(args));
        Result result = exec(command, null, 900);
        if (result.exitCode() != 0) {
          throw new AssertionError(
              "python exited "
                  + result.exitCode()
                  + "\n--- stdout\n"
                  + result.stdout()
                  + "\n--- stderr\n"
                  + result.stderr());
        }
        return result.stdout();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + PYTHON + ": " + e.getMessage(), e);
    }
  }

  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs a command to completion; its streams are captured through files so neither can block the
   * other.
   */
  public static Result exec(List<String> command, Path workDir, long timeoutSeconds)
      throws IOException {
    Path out = Files.createTempFile("recdata-proc-", ".out");
    Path err = Files.createTempFile("recdata-proc-", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (workDir != null) {
        builder.directory(workDir.toFile());
      }
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            command.get(0) + " did not finish within " + timeoutSeconds + " s: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
