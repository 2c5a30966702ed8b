package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publish guard without PostgreSQL: a pipeline whose model would serve far fewer users than the
 * export {@code latest} names (a feed that delivered a tenth of the users) stops with exit 3 before
 * {@code latest} moves, so {@code serve --run OUT} keeps serving the previous version.
 */
class PublishGuardPipelineTest {
  @TempDir Path tmp;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    err.getBuffer().setLength(0);
    return Recdata.execute(
        args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  private String latest(Path out) throws Exception {
    return Files.readString(out.resolve("latest")).strip();
  }

  @Test
  void aModelForFarFewerUsersDoesNotReplaceTheServedRunUnlessForced() throws Exception {
    Path full = tmp.resolve("full");
    Path partial = tmp.resolve("partial");
    assertThat(run("generate", "--out", full.toString(), "--rows", "6000", "--seed", "3"))
        .as(err.toString())
        .isZero();
    // the broken feed: a tenth of the rows, so far fewer users
    assertThat(run("generate", "--out", partial.toString(), "--rows", "300", "--seed", "3"))
        .as(err.toString())
        .isZero();
    Path out = tmp.resolve("out");
    String[] common = {"--out", out.toString(), "--tune", "off", "--no-global-time-check"};

    assertThat(run(concat(new String[] {"pipeline", "--input", full.toString()}, common)))
        .as(err.toString())
        .isZero();
    String served = latest(out);

    int code = run(concat(new String[] {"pipeline", "--input", partial.toString()}, common));
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString())
        .contains("publish guard")
        .contains("below 0.50 of model")
        .contains("runs/" + served + "/export");
    assertThat(latest(out)).as("still the previous run").isEqualTo(served);

    code =
        run(
            concat(
                new String[] {"pipeline", "--input", partial.toString(), "--force-publish"},
                common));
    assertThat(code).as(err.toString()).isZero();
    assertThat(latest(out)).isNotEqualTo(served);
    try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
      assertThat(runs.count())
          .as("the refused run stays for inspection, marked failed")
          .isEqualTo(3);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
