package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.recdata.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The cluster recipes in conf/recipes (EMR, Dataproc, Databricks, the Kubernetes Spark operator):
 * each parses, runs the job jar this build writes with recdata's main class and a pipeline command
 * line recdata accepts, and holds nothing that looks like a secret. No Spark, no cluster: what a
 * recipe does on its cluster is not tested here.
 */
class ClusterRecipesTest {
  private static final Path RECIPES = Path.of("conf", "recipes");
  private static final String MAIN_CLASS = "dev.recdata.cli.Recdata";

  /**
   * recdata-submit-VERSION-job.jar, as the shade plugin names it (set by surefire from the pom).
   */
  private static final String JOB_JAR = property("recdata.jobJarName");

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value)
        .as("system property %s (set by surefire in submit/pom.xml)", name)
        .isNotBlank();
    return value;
  }

  private static JsonNode json(String file) throws IOException {
    return Json.MAPPER.readTree(RECIPES.resolve(file).toFile());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  /**
   * The recdata command line a recipe passes: it must be the weekly pipeline and parse with
   * recdata's own options (a misspelt option would only fail on the cluster).
   */
  private static void assertWeeklyPipeline(List<String> recdataArgs) {
    CommandLine.ParseResult parsed =
        Recdata.commandLine().parseArgs(recdataArgs.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("pipeline");
    assertThat(recdataArgs).contains("--out", "--jdbc-url", "--feedback-table");
    assertThat(recdataArgs).doesNotContain("--input", "--master");
  }

  @Test
  void emrStepRunsSparkSubmitThroughCommandRunnerWithTheJobJar() throws IOException {
    JsonNode steps = json("emr-step.json");

    assertThat(steps.isArray()).isTrue();
    JsonNode step = steps.get(0);
    assertThat(step.get("Jar").asText()).isEqualTo("command-runner.jar");
    List<String> args = texts(step.get("Args"));
    assertThat(args.get(0)).isEqualTo("spark-submit");
    assertThat(args.get(args.indexOf("--class") + 1)).isEqualTo(MAIN_CLASS);
    // client mode: the driver's exit code (3: quality gate failed) is the step's
    assertThat(args.get(args.indexOf("--deploy-mode") + 1)).isEqualTo("client");
    int jar = jarIndex(args);
    assertThat(args.get(jar)).startsWith("s3://").endsWith("/" + JOB_JAR);
    assertWeeklyPipeline(args.subList(jar + 1, args.size()));
  }

  private static int jarIndex(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).endsWith(".jar")) {
        return i;
      }
    }
    throw new AssertionError("no jar in " + args);
  }

  @Test
  void databricksJobRunsTheJarOnASpark4RuntimeWithTheSecretByReference() throws IOException {
    JsonNode task = json("databricks-job.json").get("tasks").get(0);

    assertThat(task.at("/spark_jar_task/main_class_name").asText()).isEqualTo(MAIN_CLASS);
    assertThat(task.at("/libraries/0/jar").asText())
        .startsWith("/Volumes/")
        .endsWith("/" + JOB_JAR);
    // Scala 2.13 and Spark 4: Databricks Runtime 17.3 LTS (Spark 4.0) or 18 (Spark 4.1)
    assertThat(task.at("/new_cluster/spark_version").asText()).matches("1[78][.0-9x]*-scala2\\.13");
    // RDDs and SparkContext: not in standard (shared, Spark Connect) access mode
    assertThat(task.at("/new_cluster/data_security_mode").asText()).isEqualTo("SINGLE_USER");
    assertThat(task.at("/new_cluster/spark_env_vars/PGPASSWORD").asText())
        .matches("\\{\\{secrets/[^/]+/[^}]+}}");
    assertThat(task.get("max_retries").asInt()).isZero();
    assertWeeklyPipeline(texts(task.at("/spark_jar_task/parameters")));
  }

  @Test
  void sparkOperatorApplicationRunsTheJarFromTheImageWithSecretsFromKubernetes()
      throws IOException {
    JsonNode app = new YAMLMapper().readTree(RECIPES.resolve("spark-operator.yaml").toFile());

    assertThat(app.get("apiVersion").asText()).isEqualTo("sparkoperator.k8s.io/v1beta2");
    assertThat(app.get("kind").asText()).isEqualTo("SparkApplication");
    JsonNode spec = app.get("spec");
    assertThat(spec.get("mainClass").asText()).isEqualTo(MAIN_CLASS);
    assertThat(spec.get("mainApplicationFile").asText())
        .isEqualTo("local:///opt/recdata/" + JOB_JAR);
    assertThat(spec.get("sparkVersion").asText()).isEqualTo(property("recdata.sparkVersion"));
    assertThat(spec.at("/restartPolicy/type").asText()).isEqualTo("Never");
    JsonNode conf = spec.get("sparkConf");
    for (String role : List.of("driver", "executor")) {
      for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
        assertThat(conf.path("spark.kubernetes." + role + ".secretKeyRef." + variable).asText())
            .as("%s %s from a Kubernetes secret", role, variable)
            .matches("[a-z0-9-]+:[a-z0-9-]+");
      }
    }
    assertThat(conf.path("spark.kubernetes.driver.secretKeyRef.PGPASSWORD").asText())
        .matches("[a-z0-9-]+:[a-z0-9-]+");
    assertWeeklyPipeline(texts(spec.get("arguments")));

    // ...and the image it names: that Spark, the hadoop-aws of its Hadoop, the job jar where
    // mainApplicationFile points
    String dockerfile = Files.readString(RECIPES.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("FROM apache/spark:" + property("recdata.sparkVersion") + "-scala2.13-")
        .contains("org.apache.hadoop:hadoop-aws:" + property("recdata.hadoopVersion"))
        .contains("software.amazon.awssdk:bundle:" + property("recdata.awsSdkVersion"))
        .contains("COPY submit/target/" + JOB_JAR + " /opt/recdata/");
  }

  @Test
  void dataprocScriptIsValidBashSubmittingTheJobJar() throws Exception {
    Path script = RECIPES.resolve("dataproc.sh");
    String text = Files.readString(script);

    Process check =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(Files.isExecutable(script)).isTrue();
    assertThat(text)
        .contains("gcloud dataproc jobs submit spark")
        .contains("--class=" + MAIN_CLASS)
        .contains("job_jar=" + JOB_JAR + "\n")
        .contains("--jars=\"$ARTIFACTS/$job_jar\"");
    Matcher args = Pattern.compile("(?s)\nrecdata_args=\\((.*?)\n\\)").matcher(text);
    assertThat(args.find()).as("a recdata_args=( ... ) array").isTrue();
    assertWeeklyPipeline(
        Stream.of(args.group(1).trim().split("\\s+")).map(a -> a.replace("\"", "")).toList());
  }

  /**
   * What must never be in a recipe: AWS access key ids, password=VALUE (in a JDBC URL or a
   * property), a literal JSON password, a 40-character AWS secret after its name, S3A key
   * properties (visible in the Spark UI and in ps), private keys. References ({{secrets/...}},
   * secretKeyRef name:key, "$(...)") are what the recipes use instead.
   */
  private static final List<Pattern> SECRETS =
      List.of(
          Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),
          Pattern.compile("(?i)password\\s*=\\s*[\"']?(?![$<{(])[^\\s&;\"']"),
          Pattern.compile("(?i)\"password\"\\s*:\\s*\"(?![$<{])[^\"]"),
          Pattern.compile("(?i)secret.?(access.?)?key\\W{1,4}[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])"),
          Pattern.compile("(?i)fs\\.s3a\\.(access|secret)\\.key"),
          Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));

  private static List<String> secretsIn(String text) {
    List<String> found = new ArrayList<>();
    for (Pattern secret : SECRETS) {
      Matcher m = secret.matcher(text);
      while (m.find()) {
        found.add(m.group());
      }
    }
    return found;
  }

  @Test
  void noRecipeHoldsAnythingThatLooksLikeASecret() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(RECIPES)) {
      files = listing.sorted().toList();
    }
    assertThat(files)
        .extracting(f -> f.getFileName().toString())
        .contains(
            "emr-step.json",
            "dataproc.sh",
            "databricks-job.json",
            "spark-operator.yaml",
            "README.md");
    for (Path file : files) {
      assertThat(secretsIn(Files.readString(file))).as("secrets in %s", file).isEmpty();
    }
  }

  /** The detector itself: each kind of planted secret is found (the example key is AWS's own). */
  @Test
  void plantedSecretsAreFound() {
    assertThat(secretsIn("\"AccessKeyId\": \"AKIA" + "IOSFODNN7EXAMPLE\"")).hasSize(1);
    assertThat(secretsIn("jdbc:postgresql://db/app?user=u&password=hunter2")).hasSize(1);
    assertThat(secretsIn("PGPASSWORD=\"hunter2\"")).hasSize(1);
    assertThat(secretsIn("{\"password\": \"hunter2\"}")).hasSize(1);
    assertThat(secretsIn("AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"))
        .hasSize(1);
    assertThat(secretsIn("--conf spark.hadoop.fs.s3a.secret.key=$KEY")).hasSize(1);
    // references are fine
    assertThat(
            secretsIn(
                "\"PGPASSWORD\": \"{{secrets/recdata/postgres-password}}\"\n"
                    + "export PGPASSWORD=\"$(gcloud secrets versions access latest)\"\n"
                    + "spark.kubernetes.driver.secretKeyRef.AWS_SECRET_ACCESS_KEY: recdata-s3:secret-key"))
        .isEmpty();
  }

  /** The name the recipes use is the name the package build writes, when it has run. */
  @Test
  void jobJarNameIsTheOneThePackageBuildWrites() throws IOException {
    List<String> built;
    try (Stream<Path> target = Files.list(Path.of("target"))) {
      built =
          target.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-job.jar")).toList();
    } catch (java.nio.file.NoSuchFileException e) {
      built = List.of();
    }
    assumeTrue(!built.isEmpty(), "no job jar built yet (surefire runs before package)");
    assertThat(built).containsExactly(JOB_JAR);
  }
}
