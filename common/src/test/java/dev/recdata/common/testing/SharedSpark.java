package dev.recdata.common.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession a test JVM uses: local[2], UI off, two shuffle partitions (1 MB ranges),
 * driver on loopback, UTC. Starting Spark costs seconds, so every test class shares it and nobody
 * stops it.
 */
public final class SharedSpark {
  private SharedSpark() {}

  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("recdata-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
              .config("spark.sql.adaptive.enabled", "false")
              // DeterministicOrder sizes its ranges by this: 1 MB gives the small fixtures two
              // ranges (the shuffle partitions), so layouts across part files stay tested
              .config("spark.sql.adaptive.advisoryPartitionSizeInBytes", "1048576")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /**
   * A SPARK master string other code under test may pass to SparkSessions (it reuses the session
   * above).
   */
  public static final String MASTER = "local[2]";
}
