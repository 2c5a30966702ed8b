package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.SparkSessions;
import org.junit.jupiter.api.Test;

/**
 * A cluster session with the ALS module on its classpath starts the plugin, beside the user's own;
 * a local one does not (the fit installs the dspr in the driver's JVM, the only one).
 */
class MllibBlasPluginTest {
  private static final String PLUGIN = MllibBlasPlugin.class.getName();
  private static final String CLUSTER = "spark://127.0.0.1:7077";

  @Test
  void thePluginIsAddedToWhatTheUserConfigured() {
    assertThat(SparkSessions.withMllibBlasPlugin(null, CLUSTER)).isEqualTo(PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin(" ", CLUSTER)).isEqualTo(PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin("com.example.Profiler", CLUSTER))
        .isEqualTo("com.example.Profiler," + PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin("com.example.Profiler, " + PLUGIN, CLUSTER))
        .isEqualTo("com.example.Profiler, " + PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin(null, null)).isEqualTo(PLUGIN);
  }

  @Test
  void aLocalMasterGetsNoPlugin() {
    assertThat(SparkSessions.withMllibBlasPlugin(null, "local[2]")).isNull();
    assertThat(SparkSessions.withMllibBlasPlugin("com.example.Profiler", "local"))
        .isEqualTo("com.example.Profiler");
  }
}
