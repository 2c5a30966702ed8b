package dev.recdata.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.cli.cluster.ChildProcess;
import dev.recdata.cli.cluster.S3Proxy;
import dev.recdata.cli.cluster.StandaloneCluster;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.etl.generate.GenerateOptions;
import dev.recdata.etl.generate.MovieLensGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The pipeline on a real Spark standalone cluster (Master, Worker and executor JVMs on 127.0.0.1,
 * launched by {@code bin/recdata-submit} with the job jar) reading and writing s3a:// on S3Proxy:
 * same rows and metrics as a local run on the same input, also when the executor is killed mid-run,
 * and no credential in its output.
 */
class ClusterPipelineIT {
  private static final String BUCKET = "recdata";
  private static final long SAMPLE_ROWS = 10_000;
  private static final long SEED = 42;

  /** Only bounds a hang: a loaded 2-core machine has taken over 10 minutes for one run. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

  private static final Path IT_DIR = Path.of("target", "it-cluster").toAbsolutePath();

  private static final SparkSession spark = SharedSpark.session();
  private static S3Proxy s3;
  private static StandaloneCluster cluster;
  private static String localRunDir;

  @BeforeAll
  static void startClusterAndRunLocally() throws IOException {
    deleteRecursively(IT_DIR);
    s3 =
        S3Proxy.start(
            Path.of(System.getProperty("recdata.it.s3proxyJar")), IT_DIR.resolve("s3proxy"));
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(URI.create(s3.endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(S3Proxy.IDENTITY, S3Proxy.CREDENTIAL)))
            .build()) {
      client.createBucket(b -> b.bucket(BUCKET));
    }
    // The test JVM reads the cluster's output through s3a too; its credentials live only in this
    // configuration.
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3.s3aSettings().forEach(conf::set);
    conf.set("fs.s3a.access.key", S3Proxy.IDENTITY);
    conf.set("fs.s3a.secret.key", S3Proxy.CREDENTIAL);

    cluster =
        StandaloneCluster.start(
            Path.of(System.getProperty("recdata.it.sparkHome")),
            jvmOpens(),
            IT_DIR.resolve("cluster"),
            // As on a real cluster, executors get credentials from their node's environment, not
            // from the job.
            awsEnvironment());

    Path sample = IT_DIR.resolve("sample");
    MovieLensGenerator.generate(GenerateOptions.forRows(sample.toString(), SAMPLE_ROWS, SEED));
    FileSystem s3fs = new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/").getFileSystem(conf);
    for (String file : List.of(MovieLensGenerator.RATINGS_FILE, MovieLensGenerator.MOVIES_FILE)) {
      s3fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(sample.resolve(file).toUri()),
          new org.apache.hadoop.fs.Path("s3a://" + BUCKET + "/input/" + file));
    }

    String localOut = IT_DIR.resolve("local-out").toString();
    StringWriter err = new StringWriter();
    int code =
        Recdata.execute(
            new String[] {
              "pipeline",
              "--input",
              sample.toString(),
              "--out",
              localOut,
              "--seed",
              String.valueOf(SEED),
              // the cluster and S3 are the subject: one ALS fit, the same on both sides
              "--tune",
              "off"
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString()).isZero();
    localRunDir = localOut + "/runs/" + Files.readString(Path.of(localOut, "latest")).strip();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void pipelineOnAStandaloneClusterOverS3aMatchesALocalRun() {
    String out = "s3a://" + BUCKET + "/out-cluster";
    String output;
    try (ChildProcess driver =
        submit(
            "pipeline-s3a",
            "pipeline",
            "--input",
            "s3a://" + BUCKET + "/input",
            "--out",
            out,
            "--seed",
            String.valueOf(SEED),
            "--tune",
            "off")) {
      assertThat(driver.awaitExit(RUN_TIMEOUT)).as(driver.tail()).isZero();
      output = driver.output();
    }
    String runDir = latestRunDir(out);
    assertSameOutputAsTheLocalRun(runDir, false);
    assertNoCredentialIn(output, runDir);
    // recdata's progress is what the user reads: Spark's INFO lines stay out of the driver's log
    assertThat(output).contains("pipeline: run ").doesNotContain(" INFO SparkContext");
  }

  @Test
  void pipelineFinishesWithTheSameOutputWhenItsExecutorIsKilledMidRun() {
    // No --input: the pipeline generates the same sample (same rows and seed) straight into s3a.
    // etl only: its
    // shuffles (dedup windows) are what a lost executor forces Spark to recompute, and it keeps the
    // test short.
    String out = "s3a://" + BUCKET + "/out-killed";
    String output;
    try (ChildProcess driver =
        submit(
            "pipeline-executor-killed",
            // the driver's INFO log says when a task runs on the executor: the override users have
            Map.of("RECDATA_LOG_LEVEL", "info"),
            "pipeline",
            "--out",
            out,
            "--to",
            "etl",
            "--sample-rows",
            String.valueOf(SAMPLE_ROWS),
            "--seed",
            String.valueOf(SEED))) {
      // Kill once the sample is written and etl's first task is running on the executor (the driver
      // logs at INFO).
      driver.awaitLog(
          Pattern.compile("(?s)generated a [\\d,]+-row sample.*Starting task \\S+ in stage"),
          RUN_TIMEOUT);
      ProcessHandle killed = awaitExecutor("the executor JVM under the worker", pid -> true);
      assertThat(killed.destroyForcibly()).isTrue();
      // The Master has the Worker start a replacement; the driver reruns the lost tasks and
      // shuffles there.
      ProcessHandle replacement =
          awaitExecutor("a replacement executor", pid -> pid != killed.pid());

      assertThat(driver.awaitExit(RUN_TIMEOUT)).as(driver.tail()).isZero();
      assertThat(replacement.pid()).isNotEqualTo(killed.pid());
      output = driver.output();
    }
    assertThat(output).contains("Lost executor");
    String runDir = latestRunDir(out);
    assertThat(spark.read().text(runDir + "/input/" + MovieLensGenerator.RATINGS_FILE).count())
        .isEqualTo(SAMPLE_ROWS + 1);
    assertSameOutputAsTheLocalRun(runDir, true);
    assertNoCredentialIn(output, runDir);
  }

  private static ProcessHandle awaitExecutor(String what, java.util.function.LongPredicate pid) {
    ProcessHandle[] found = new ProcessHandle[1];
    ChildProcess.await(
        what,
        RUN_TIMEOUT,
        () -> {
          Optional<ProcessHandle> executor = cluster.executor().filter(p -> pid.test(p.pid()));
          executor.ifPresent(p -> found[0] = p);
          return executor.isPresent();
        });
    return found[0];
  }

  /**
   * {@code bin/recdata-submit} against the cluster, with the s3a settings as Spark options and
   * AWS_* in its env.
   */
  private static ChildProcess submit(String name, String... recdataArgs) {
    return submit(name, Map.of(), recdataArgs);
  }

  private static ChildProcess submit(
      String name, Map<String, String> extraEnv, String... recdataArgs) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", Path.of("bin", "recdata-submit").toAbsolutePath().toString()));
    command.addAll(List.of("--master", cluster.masterUrl(), "--name", "recdata-" + name));
    Map<String, String> conf = new HashMap<>();
    s3.s3aSettings().forEach((key, value) -> conf.put("spark.hadoop." + key, value));
    // The same partitioning as the local reference (SharedSpark), so even float sums add up in the
    // same order.
    conf.put("spark.sql.shuffle.partitions", "2");
    conf.put("spark.default.parallelism", "2");
    conf.put("spark.executor.memory", "1g");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
    command.add("--");
    command.addAll(Arrays.asList(recdataArgs));
    Map<String, String> env = new HashMap<>(awsEnvironment());
    env.put("SPARK_HOME", System.getProperty("recdata.it.sparkHome"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.putAll(extraEnv);
    env.put("RECDATA_JOB_JAR", System.getProperty("recdata.it.jobJar"));
    return ChildProcess.start(name, command, env, IT_DIR.resolve(name + ".log"));
  }

  private void assertSameOutputAsTheLocalRun(String runDir, boolean etlOnly) {
    assertThat(sortedRows(runDir + "/etl/interactions"))
        .as("etl interactions")
        .isNotEmpty()
        .isEqualTo(sortedRows(localRunDir + "/etl/interactions"));
    if (etlOnly) {
      return;
    }
    for (String split : List.of("train", "validation", "test")) {
      String relative = "/splits/" + split;
      assertThat(sortedRows(runDir + relative))
          .as(split)
          .isNotEmpty()
          .isEqualTo(sortedRows(localRunDir + relative));
    }
    JsonNode clusterMetrics =
        Json.read(spark.sparkContext().hadoopConfiguration(), runDir + "/als/metrics.json");
    JsonNode localMetrics =
        Json.read(spark.sparkContext().hadoopConfiguration(), localRunDir + "/als/metrics.json");
    assertNumbersClose("test", clusterMetrics.get("test"), localMetrics.get("test"), 1e-6);
    for (String factors : List.of("userFactors", "itemFactors")) {
      List<Row> clusterFactors = sortedRows(runDir + "/als/model/" + factors);
      List<Row> localFactors = sortedRows(localRunDir + "/als/model/" + factors);
      assertThat(clusterFactors).hasSameSizeAs(localFactors).isNotEmpty();
      for (int i = 0; i < localFactors.size(); i++) {
        assertThat(clusterFactors.get(i).getInt(0)).isEqualTo(localFactors.get(i).getInt(0));
        List<Float> expected = localFactors.get(i).getList(1);
        List<Float> actual = clusterFactors.get(i).getList(1);
        for (int f = 0; f < expected.size(); f++) {
          assertThat(actual.get(f))
              .as("%s %d[%d]", factors, i, f)
              .isCloseTo(expected.get(f), within(1e-4f));
        }
      }
    }
    // export: the training tensors are exact (seeded, no floating point), written locally and
    // copied up to s3a
    assertThat(sortedRows(runDir + "/export/training/parquet/triplets"))
        .as("triplets")
        .isNotEmpty()
        .isEqualTo(sortedRows(localRunDir + "/export/training/parquet/triplets"));
    try {
      org.apache.hadoop.fs.Path st =
          new org.apache.hadoop.fs.Path(runDir + "/export/training/triplets.safetensors");
      org.apache.hadoop.fs.FileSystem fs =
          st.getFileSystem(spark.sparkContext().hadoopConfiguration());
      assertThat(fs.getFileStatus(st).getLen())
          .as("triplets.safetensors on s3a")
          .isEqualTo(
              Files.size(
                  Path.of(
                      localRunDir.replaceFirst("^file:", ""),
                      "export/training/triplets.safetensors")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Rows sorted by every column; a {@code source} path is cut to its file name (the folders
   * differ).
   */
  private static List<Row> sortedRows(String path) {
    Dataset<Row> rows = spark.read().parquet(path);
    if (Arrays.asList(rows.columns()).contains(Schema.SOURCE)) {
      rows = rows.withColumn(Schema.SOURCE, regexp_extract(col(Schema.SOURCE), "[^/]*$", 0));
    }
    return rows.orderBy(Arrays.stream(rows.columns()).map(c -> col(c)).toArray(Column[]::new))
        .collectAsList();
  }

  private static void assertNumbersClose(
      String where, JsonNode actual, JsonNode expected, double tolerance) {
    assertThat(actual).as(where).isNotNull();
    if (expected.isNumber()) {
      assertThat(actual.asDouble()).as(where).isCloseTo(expected.asDouble(), within(tolerance));
    } else if (expected.isObject()) {
      Iterator<String> names = expected.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        assertNumbersClose(where + "." + name, actual.get(name), expected.get(name), tolerance);
      }
    } else if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        assertNumbersClose(where + "[" + i + "]", actual.get(i), expected.get(i), tolerance);
      }
    } else {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  /**
   * Neither the identity nor the secret may appear in what the run printed or in any JSON it wrote.
   */
  private static void assertNoCredentialIn(String driverOutput, String runDir) {
    assertThat(driverOutput).doesNotContain(S3Proxy.CREDENTIAL).doesNotContain(S3Proxy.IDENTITY);
    try {
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(runDir);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      var files = fs.listFiles(root, true);
      int manifests = 0;
      while (files.hasNext()) {
        org.apache.hadoop.fs.Path file = files.next().getPath();
        if (file.getName().endsWith(".json") || file.getName().endsWith(".html")) {
          manifests++;
          try (var in = fs.open(file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text)
                .as(file.toString())
                .doesNotContain(S3Proxy.CREDENTIAL)
                .doesNotContain(S3Proxy.IDENTITY);
          }
        }
      }
      assertThat(manifests).isPositive();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String latestRunDir(String out) {
    return out
        + "/runs/"
        + PipelineCommand.latestRunId(spark.sparkContext().hadoopConfiguration(), out);
  }

  private static Map<String, String> awsEnvironment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", S3Proxy.IDENTITY, "AWS_SECRET_ACCESS_KEY", S3Proxy.CREDENTIAL);
  }

  private static List<String> jvmOpens() {
    return Arrays.stream(System.getProperty("recdata.it.jvmOpens").trim().split("\\s+")).toList();
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
