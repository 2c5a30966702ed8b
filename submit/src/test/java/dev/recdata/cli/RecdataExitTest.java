package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How recdata's main ends: the process's exit code, except inside a Databricks driver. */
class RecdataExitTest {
  @Test
  void underSparkSubmitTheCodeIsTheProcessExitCode() {
    List<Integer> exits = new ArrayList<>();
    Recdata.exit(0, false, exits::add);
    Recdata.exit(RecdataException.EXIT_GATE_FAILED, false, exits::add);
    assertThat(exits).containsExactly(0, 3);
  }

  @Test
  void onDatabricksSuccessReturnsAndFailureIsThrownWithItsCode() {
    List<Integer> exits = new ArrayList<>();
    Recdata.exit(0, true, exits::add);
    assertThatThrownBy(() -> Recdata.exit(RecdataException.EXIT_GATE_FAILED, true, exits::add))
        .hasMessageContaining("recdata exited with code 3 (quality gate failed");
    assertThatThrownBy(() -> Recdata.exit(RecdataException.EXIT_BAD_INPUT, true, exits::add))
        .hasMessageContaining("code 2 (bad input or options)");
    assertThat(exits).as("the shared driver JVM is never exited").isEmpty();
  }
}
