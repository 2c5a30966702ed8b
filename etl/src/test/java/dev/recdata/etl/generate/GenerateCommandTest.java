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

  /** The options the README lists as common to every command: generate takes them too. */
  @Test
  void takesTheCommonMasterAndVerboseOptions() {
    Path out = dir.resolve("ml");

    int exit =
        new CommandLine(new GenerateCommand())
            .execute("--out", out.toString(), "--rows", "500", "--master", "local[1]", "-v");

    assertThat(exit).isZero();
    assertThat(out.resolve("ratings.csv")).exists();
  }

  @Test
  void usersAndItemsOverrideTheDefaultsFromRows() {
    Path out = dir.resolve("ml");

    int exit =
        new CommandLine(new GenerateCommand())
            .execute("--out", out.toString(), "--rows", "2000", "--users", "40", "--items", "90");

    assertThat(exit).isZero();
    assertThat(
            GeneratedFiles.ratings(out).stream()
                .mapToInt(GeneratedFiles.Rating::userId)
                .max()
                .orElseThrow())
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
        e ->
            e instanceof RecdataException recdata
                ? recdata.exitCode()
                : RecdataException.EXIT_INTERNAL);

    int exit = commandLine.execute("--out", out.toString(), "--rows", "10", "--users", "20");

    assertThat(exit).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains("--rows must be at least --users");
    assertThat(Files.exists(out)).isFalse();
  }

  private CommandLine mapped(StringWriter err) {
    CommandLine commandLine = new CommandLine(new GenerateCommand());
    commandLine.setErr(new PrintWriter(err));
    commandLine.setExitCodeExceptionMapper(
        e ->
            e instanceof RecdataException recdata
                ? recdata.exitCode()
                : RecdataException.EXIT_INTERNAL);
    return commandLine;
  }

  @Test
  void aRatingsFileGenerateDidNotWriteIsNeverReplaced() throws Exception {
    Path download = Files.createDirectories(dir.resolve("ml-25m"));
    Files.writeString(
        download.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,2,3.5,4\n");
    StringWriter err = new StringWriter();

    int exit = mapped(err).execute("--out", download.toString(), "--rows", "500");

    assertThat(exit).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(err.toString()).contains(download.toString(), "ratings.csv", "did not write");
    assertThat(Files.readString(download.resolve("ratings.csv")))
        .isEqualTo("userId,movieId,rating,timestamp\n1,2,3.5,4\n");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .containsExactly("ml-25m"); // no staging debris
    }
  }

  @Test
  void aFolderGenerateWroteIsReplacedAndAKilledRunsStagingIsRemoved() throws Exception {
    Path out = dir.resolve("ml");
    assertThat(mapped(new StringWriter()).execute("--out", out.toString(), "--rows", "500"))
        .isZero();
    Path killed = Files.createDirectories(dir.resolve(".ml.staging-20261206T010203Z-abcd"));
    Files.writeString(killed.resolve("ratings.csv"), "half a file");

    int exit = mapped(new StringWriter()).execute("--out", out.toString(), "--rows", "700");

    assertThat(exit).isZero();
    assertThat(GeneratedFiles.ratings(out)).hasSize(700);
    assertThat(Files.readString(out.resolve(StagedFolder.MARKER)))
        .contains("\"stage\": \"generate\"", "\"rows\": 700");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("ml");
    }
  }

  @Test
  void helpDocumentsTheExitCodes() {
    String usage = new CommandLine(new GenerateCommand()).getUsageMessage();

    assertThat(usage)
        .contains("--rows", "--users", "--items", "--seed", "--threads", "Exit codes:")
        .containsPattern("2 +bad option \\(the message names it\\)");
  }
}
