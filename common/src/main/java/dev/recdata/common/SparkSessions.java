package dev.recdata.common;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a command runs in; the same settings locally and under spark-submit. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Returns the active session when one exists (spark-submit, tests, the pipeline), else builds
   * one. The master is only applied when we build the session: under spark-submit the cluster
   * manager decides.
   */
  public static SparkSession getOrCreate(String appName, String master) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.showConsoleProgress", "false")
            // Parquet output is committed by rename into a staging folder; no _SUCCESS noise
            // needed.
            .config("spark.sql.parquet.compression.codec", "snappy")
            // INT64 microseconds, not Spark's legacy INT96: the standard type every reader knows,
            // and
            // dictionary-encoding 12-byte INT96 values was the largest cost of writing
            // interactions.
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.sql.adaptive.enabled", "true");
    String plugins =
        withMllibBlasPlugin(
            System.getProperty("spark.plugins"), System.getProperty("spark.master", master));
    if (plugins != null) {
      builder.config("spark.plugins", plugins);
    }
    if (master != null && System.getProperty("spark.master") == null) {
      builder.master(master);
      if (master.startsWith("local")) {
        // Spark's default of 200 shuffle partitions costs ~100 ms of task overhead each on a
        // laptop, and a
        // cached shuffle output keeps all 200 (AQE cannot coalesce it): 4 per core keeps every core
        // busy.
        String partitions = String.valueOf(4 * localCores(master));
        builder
            .config("spark.sql.shuffle.partitions", partitions)
            .config("spark.default.parallelism", partitions)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    SparkSession session = builder.getOrCreate();
    SparkProgress.attach(session.sparkContext());
    return session;
  }

  /**
   * The ALS module's executor plugin (vectorised dspr), registered for clusters when it is on the
   * classpath.
   */
  static final String MLLIB_BLAS_PLUGIN = "dev.recdata.als.MllibBlasPlugin";

  /**
   * {@code spark.plugins} with {@link #MLLIB_BLAS_PLUGIN} added to what the caller set, for a
   * cluster {@code master}; null when there is nothing to set. A local master gets no plugin: its
   * one executor is the driver's JVM, where the ALS fit installs the dspr itself, and every other
   * stage (etl, split, quality) would load MLlib's BLAS at start-up for nothing. Looked up by name:
   * common does not depend on the ALS module, and a stage run from a jar without it starts no
   * plugin.
   */
  public static String withMllibBlasPlugin(String configured, String master) {
    if (master != null && master.startsWith("local")) {
      return configured;
    }
    boolean present;
    try {
      Class.forName(MLLIB_BLAS_PLUGIN, false, SparkSessions.class.getClassLoader());
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    if (!present) {
      return configured;
    }
    if (configured == null || configured.isBlank()) {
      return MLLIB_BLAS_PLUGIN;
    }
    return java.util.Arrays.asList(configured.split("\\s*,\\s*")).contains(MLLIB_BLAS_PLUGIN)
        ? configured
        : configured + "," + MLLIB_BLAS_PLUGIN;
  }

  /**
   * The cores of a local master: {@code local} is 1, {@code local[N]} is N, {@code local[*]} all of
   * them.
   */
  static int localCores(String master) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]").matcher(master);
    if (m.matches() && !m.group(1).equals("*")) {
      return Math.max(1, Integer.parseInt(m.group(1)));
    }
    return master.equals("local") ? 1 : Runtime.getRuntime().availableProcessors();
  }

  /** Names the Spark jobs that follow, so the Spark UI reads as the pipeline. */
  public static void describe(SparkSession spark, String stage, String description) {
    spark.sparkContext().setJobGroup(stage, stage + ": " + description, false);
  }
}
