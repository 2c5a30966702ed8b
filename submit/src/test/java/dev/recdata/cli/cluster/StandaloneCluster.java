package dev.recdata.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Spark standalone Master and one Worker (2 cores) on 127.0.0.1, started from a SPARK_HOME of
 * Maven-resolved jars ({@code jars/} plus a {@code RELEASE} file, which is how Spark's launcher
 * recognises a distribution).
 */
public final class StandaloneCluster implements AutoCloseable {
  public static final String EXECUTOR_MAIN =
      "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  private final ChildProcess master;
  private final ChildProcess worker;
  private final String masterUrl;

  private StandaloneCluster(ChildProcess master, ChildProcess worker, String masterUrl) {
    this.master = master;
    this.worker = worker;
    this.masterUrl = masterUrl;
  }

  /**
   * Starts both and returns once the Worker has registered; {@code workerEnv} reaches its
   * executors.
   */
  public static StandaloneCluster start(
      Path sparkHome, List<String> jvmOpens, Path workDir, Map<String, String> workerEnv) {
    try {
      Path release = sparkHome.resolve("RELEASE");
      if (!Files.exists(release)) {
        Files.writeString(
            release, "Spark 4.1.0 (jars resolved by Maven for recdata's integration tests)\n");
      }
      Files.createDirectories(workDir.resolve("work"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new java.util.HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    ChildProcess master =
        ChildProcess.start(
            "spark-master",
            daemon(
                sparkHome,
                jvmOpens,
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--webui-port",
                "0"),
            env,
            workDir.resolve("master.log"));
    try {
      String masterUrl =
          master.awaitLog(
              Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)"),
              Duration.ofSeconds(90));
      master.awaitLog(Pattern.compile("New state: ALIVE"), Duration.ofSeconds(60));
      Map<String, String> withWorkerEnv = new java.util.HashMap<>(env);
      withWorkerEnv.putAll(workerEnv);
      ChildProcess worker =
          ChildProcess.start(
              "spark-worker",
              daemon(
                  sparkHome,
                  jvmOpens,
                  "org.apache.spark.deploy.worker.Worker",
                  masterUrl,
                  "--host",
                  "127.0.0.1",
                  "--webui-port",
                  "0",
                  "--cores",
                  "2",
                  "--memory",
                  "2g",
                  "--work-dir",
                  workDir.resolve("work").toString()),
              withWorkerEnv,
              workDir.resolve("worker.log"));
      worker.awaitLog(
          Pattern.compile("Successfully registered with master"), Duration.ofSeconds(90));
      return new StandaloneCluster(master, worker, masterUrl);
    } catch (RuntimeException e) {
      master.close();
      throw e;
    }
  }

  private static List<String> daemon(
      Path sparkHome, List<String> jvmOpens, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOpens);
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return command;
  }

  public String masterUrl() {
    return masterUrl;
  }

  /** The executor JVM the Worker runs for the current application, once there is one. */
  public Optional<ProcessHandle> executor() {
    return worker.descendant(EXECUTOR_MAIN);
  }

  public String workerLog() {
    return worker.output();
  }

  @Override
  public void close() {
    worker.close();
    master.close();
  }
}
