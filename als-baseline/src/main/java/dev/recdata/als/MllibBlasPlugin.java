package dev.recdata.als;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Installs {@link MllibBlas} in every executor JVM when it starts, so a cluster's ALS tasks use the
 * vectorised {@code dspr} as a local run does. {@code SparkSessions} registers it (spark.plugins)
 * whenever this class is on the classpath.
 */
public final class MllibBlasPlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        MllibBlas.install();
      }
    };
  }
}
