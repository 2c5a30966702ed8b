package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/recdata-submit before it reaches Spark: help anywhere, clear errors on a wrong SPARK_HOME.
 */
class RecdataSubmitScriptTest {
  private static final Path SCRIPT = Path.of("bin", "recdata-submit").toAbsolutePath();

  private record Result(int code, String output) {}

  private static Result run(String sparkHome, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(SCRIPT.toString()),
                        java.util.Arrays.stream(args))
                    .toList())
            .redirectErrorStream(true);
    builder.environment().remove("SPARK_HOME");
    if (sparkHome != null) {
      builder.environment().put("SPARK_HOME", sparkHome);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  @Test
  void helpWorksWithoutSparkHome() throws Exception {
    Result help = run(null, "--help");
    assertThat(help.code()).as(help.output()).isZero();
    assertThat(help.output())
        .contains("recdata-submit [spark-submit options] [--] <recdata command>")
        .contains("bin/recdata <command> --help")
        .doesNotContain("SPARK_HOME is not set");
  }

  @Test
  void aFolderThatIsNotSparkIsExitTwoNamingIt(@TempDir Path notSpark) throws Exception {
    Result result = run(notSpark.toString(), "pipeline");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.output())
        .contains("SPARK_HOME=" + notSpark + " is not a Spark installation")
        .doesNotContain("Could not find or load main class");

    Result unset = run(null, "pipeline");
    assertThat(unset.code()).isEqualTo(2);
    assertThat(unset.output()).contains("SPARK_HOME is not set");
  }
}
