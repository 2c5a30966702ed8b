package dev.recdata.common;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a command runs in; the same settings locally and under spark-submit. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Returns the active session when one exists (spark-submit, tests, the pipeline), else builds one. The
   * master is only applied when we build the session: under spark-submit the cluster manager decides.
   */
  public static SparkSession getOrCreate(String appName, String master) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.showConsoleProgress", "false")
            // Parquet output is committed by rename into a staging folder; no _SUCCESS noise needed.
            .config("spark.sql.parquet.compression.codec", "snappy")
            .config("spark.sql.adaptive.enabled", "true");
    if (master != null && System.getProperty("spark.master") == null) {
      builder.master(master);
      if (master.startsWith("local")) {
        builder
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    SparkSession session = builder.getOrCreate();
    return session;
  }

  /** Names the Spark jobs that follow, so the Spark UI reads as the pipeline. */
  public static void describe(SparkSession spark, String stage, String description) {
    spark.sparkContext().setJobGroup(stage, stage + ": " + description, false);
  }
}
