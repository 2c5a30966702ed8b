package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The version every manifest records ({@code versions.recdata}) and {@code --version} prints comes
 * from the built jars (their Implementation-Version), not "dev": two weekly runs can be told apart.
 */
class VersionIT {
  @Test
  void binRecdataReportsTheBuiltVersion() throws Exception {
    Process process =
        new ProcessBuilder(Path.of("bin", "recdata").toAbsolutePath().toString(), "--version")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.lines().findFirst().orElse(""))
        .isEqualTo("recdata " + System.getProperty("recdata.it.version"));
  }
}
