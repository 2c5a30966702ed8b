package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.SparkSessions;
import org.junit.jupiter.api.Test;

/** Every session with the ALS module on its classpath starts the plugin, beside the user's own. */
class MllibBlasPluginTest {
  private static final String PLUGIN = MllibBlasPlugin.class.getName();

  @Test
  void thePluginIsAddedToWhatTheUserConfigured() {
    assertThat(SparkSessions.withMllibBlasPlugin(null)).isEqualTo(PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin(" ")).isEqualTo(PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin("com.example.Profiler"))
        .isEqualTo("com.example.Profiler," + PLUGIN);
    assertThat(SparkSessions.withMllibBlasPlugin("com.example.Profiler, " + PLUGIN))
        .isEqualTo("com.example.Profiler, " + PLUGIN);
  }
}
