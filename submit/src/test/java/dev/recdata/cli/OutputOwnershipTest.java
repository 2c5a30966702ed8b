package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A typo in --out must never cost a user their files: every stage refuses a folder it did not
 * write, and a regular file, with exit 2 and a one-line message naming the path, before it reads
 * any input, and leaves them as they were.
 */
class OutputOwnershipTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(List<String> args) {
    SharedSpark.session();
    return Recdata.execute(
        args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /**
   * stage, the command line with OUT in place of --out, and the folder under OUT the stage would
   * replace: none, every stage writes into --out itself.
   */
  static Stream<Arguments> stages() {
    return Stream.of(
        Arguments.of("etl", List.of("etl", "--input", "IN", "--out", "OUT"), ""),
        Arguments.of("split", List.of("split", "--input", "IN", "--out", "OUT"), ""),
        Arguments.of("quality", List.of("quality", "--input", "IN", "--out", "OUT"), ""),
        Arguments.of("als", List.of("als", "--input", "IN", "--out", "OUT"), ""),
        Arguments.of("export", List.of("export", "--input", "IN", "--out", "OUT"), ""),
        Arguments.of("pipeline", List.of("pipeline", "--input", "IN", "--out", "OUT"), ""));
  }

  private static List<String> with(List<String> template, Path in, Path out) {
    return template.stream()
        .map(a -> a.equals("IN") ? in.toString() : a.equals("OUT") ? out.toString() : a)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void aForeignFolderIsRefusedAndUntouched(
      String stage, List<String> args, String sub, @TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("mydocs");
    Path target = sub.isEmpty() ? out : out.resolve(sub);
    Files.createDirectories(target);
    Files.writeString(target.resolve("thesis.txt"), "precious");
    // the input is one the stage could not read: the refusal must come before any reading
    int code = run(with(args, tmp.resolve("no-such-input"), out));

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString())
        .contains(stage)
        .contains("mydocs")
        .contains("thesis.txt")
        .doesNotContain("no-such-input");
    assertThat(Files.readString(target.resolve("thesis.txt"))).isEqualTo("precious");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.map(p -> tmp.relativize(p).toString()).sorted().toList())
          .containsExactlyElementsOf(
              sub.isEmpty()
                  ? List.of("", "mydocs", "mydocs/thesis.txt")
                  : List.of("", "mydocs", "mydocs/" + sub, "mydocs/" + sub + "/thesis.txt"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void aRegularFileIsRefusedAndUntouched(
      String stage, List<String> args, String sub, @TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "keep me");
    Path out = sub.isEmpty() ? file : tmp;
    if (!sub.isEmpty()) {
      // the stages that write OUT/<stage>/: a file where that folder would go
      file = Files.writeString(tmp.resolve(sub), "keep me");
      Files.delete(tmp.resolve("notes.txt"));
    }
    int code = run(with(args, tmp.resolve("no-such-input"), out));

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(file.getFileName().toString()).contains("is a file");
    assertThat(Files.readString(file)).isEqualTo("keep me");
    try (Stream<Path> all = Files.list(tmp)) {
      assertThat(all.toList()).containsExactly(file);
    }
  }
}
