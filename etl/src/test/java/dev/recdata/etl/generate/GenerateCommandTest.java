package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.RecdataException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir Path dir;

  @Test
  void executeWritesTheFilesAndReturnsZero() {
    Path out = dir.resolve("ml");

    int exit =
        new CommandLine(new GenerateCommand())
            .execute("--out", out.toString(), "--rows", "5000", "--seed", "3", "--threads", "2");

    assertThat(exit).isZero();
    assertThat(GeneratedFiles.ratings(out)).hasSize(5_000);
    assertThat(Files.exists(out.resolve("movies.csv"))).isTrue();
  }

  @Test
  void usersAndItemsOverrideTheDefaultsFromRows() {
    Path out = dir.resolve("ml");

    int exit =
        new CommandLine(new GenerateCommand())
            .execute("--out", out.toString(), "--rows", "2000", "--users", "40", "--items", "90");

    assertThat(exit).isZero();
    assertThat(GeneratedFiles.ratings(out).stream().mapToInt(GeneratedFiles.Rating::userId).max().orElseThrow())
        .isEqualTo(40);
    assertThat(GeneratedFiles.lines(out.resolve("movies.csv"))).hasSize(91);
  }

  @Test
  void badOptionMapsToExitCodeTwoAndWritesNothing() {
    Path out = dir.resolve("ml");
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new GenerateCommand());
    commandLine.setErr(new PrintWriter(err));
    // The CLI maps RecdataException to its exit code in one place; this mapper stands in for it.
    commandLine.setExitCodeExceptionMapper(
        e -> e instanceof RecdataException recdata ? recdata.exitCode() : RecdataException.EXIT_INTERNAL);

    int exit = commandLine.execute("--out", out.toString(), "--rows", "10", "--users", "20");

    assertThat(exit).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--rows must be at least --users");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void helpDocumentsTheExitCodes() {
    String usage = new CommandLine(new GenerateCommand()).getUsageMessage();

    assertThat(usage)
        .contains("--rows", "--users", "--items", "--seed", "--threads", "Exit codes:")
        .containsPattern("2 +bad option \\(the message names it\\)");
  }
}
