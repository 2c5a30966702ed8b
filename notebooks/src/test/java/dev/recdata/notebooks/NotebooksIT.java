package dev.recdata.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.cli.Recdata;
import dev.recdata.common.Json;
import dev.recdata.common.testing.DebianPython;
import dev.recdata.common.testing.Postgres;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every notebook, executed headless top to bottom against a real pipeline run on MovieLens 100K and
 * quality tables in PostgreSQL, as CI runs them. A failing cell (the notebooks assert what they
 * show) fails the test with that cell's error; executed copies are kept in {@code
 * target/notebooks-executed} for inspection.
 */
class NotebooksIT {
  private static final Path ROOT = Path.of("target/nb-run").toAbsolutePath();
  private static String schema;
  private static Path run;
  private static NotebookRunner runner;

  @BeforeAll
  static void pipelineRunAndQualityTables() throws IOException {
    DebianPython.require(
        "torch", "numpy", "pandas", "matplotlib", "nbconvert", "nbclient", "ipykernel", "psycopg2");
    schema =
        Postgres.createSchema("notebooks"); // fails (CI) or skips when PostgreSQL does not answer
    deleteRecursively(ROOT);

    cli("pipeline", "--input", TestData.ml100k().toString(), "--out", ROOT.toString());
    run = ROOT.resolve("runs").resolve(Files.readString(ROOT.resolve("latest")).strip());
    if (!Files.isDirectory(
        run.resolve("export"))) { // a pipeline without the export stage: run it on its own
      cli("export", "--input", run.toString(), "--out", run.toString());
    }
    // The pipeline writes its tables to the fixed schema `recdata` (it has no --jdbc-schema); the
    // test's own
    // schema gets them from `quality --jdbc-schema`, once for the pipeline's split and once for a
    // random-order
    // split of the same data, so the leakage-over-runs chart has two runs and one of them leaks in
    // time.
    qualityIntoTestSchema(run.resolve("splits"), run.resolve("quality"));
    Path random = ROOT.resolve("user-random");
    cli(
        "split",
        "--input",
        run.resolve("etl").toString(),
        "--out",
        random.toString(),
        "--strategy",
        "user-random",
        "--seed",
        "7");
    qualityIntoTestSchema(random, ROOT.resolve("user-random-quality"));

    runner =
        new NotebookRunner(
            ROOT.resolve("jupyter-work"),
            Path.of("target/notebooks-executed").toAbsolutePath(),
            Map.of(
                "RECDATA_RUN",
                run.toString(),
                "RECDATA_JDBC",
                libpq(Postgres.URL),
                "RECDATA_SCHEMA",
                schema));
  }

  @AfterAll
  static void dropSchema() {
    Postgres.dropSchema(schema);
  }

  private static void qualityIntoTestSchema(Path input, Path out) {
    cli(
        "quality",
        "--input",
        input.toString(),
        "--out",
        out.toString(),
        "--jdbc-url",
        Postgres.URL,
        "--jdbc-user",
        Postgres.USER,
        "--jdbc-schema",
        schema);
  }

  private static void cli(String... args) {
    SharedSpark.session(); // the commands reuse the shared local[2] session
    StringWriter err = new StringWriter();
    long started = System.nanoTime();
    int code =
        Recdata.execute(
            args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).as("recdata %s: %s", String.join(" ", args), err).isZero();
    System.out.printf("recdata %s: %.1f s%n", args[0], (System.nanoTime() - started) / 1e9);
  }

  /** psycopg2's connection string for a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/test. */
  static String libpq(String jdbcUrl) {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    return "host="
        + uri.getHost()
        + " port="
        + (uri.getPort() < 0 ? 5432 : uri.getPort())
        + " user="
        + Postgres.USER
        + " dbname="
        + uri.getPath().substring(1);
  }

  /**
   * The executed copy's outputs of one type ("error", "display_data", ...), and the images among
   * them.
   */
  private static List<JsonNode> outputs(Path executed, String type) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode cell : Json.MAPPER.readTree(executed.toFile()).get("cells")) {
      for (JsonNode output : cell.path("outputs")) {
        if (type.equals(output.path("output_type").asText())) {
          found.add(output);
        }
      }
    }
    return found;
  }

  private static long images(Path executed) throws IOException {
    return outputs(executed, "display_data").stream()
        .filter(o -> o.path("data").has("image/png"))
        .count();
  }

  @Test
  void dataQualityNotebookChartsTheRunFromPostgresAndTheReport() throws IOException {
    Path executed = runner.execute(Path.of("01_data_quality.ipynb"));
    assertThat(outputs(executed, "error")).isEmpty();
    assertThat(images(executed)).isEqualTo(3);
  }

  @Test
  void rankerNotebookTrainsBprOnTheTripletsAndComparesWithAls() throws IOException {
    Path executed = runner.execute(Path.of("02_train_ranker_on_triplets.ipynb"));
    assertThat(outputs(executed, "error")).isEmpty();
    assertThat(images(executed)).isEqualTo(1);
  }

  @Test
  void recommendationsNotebookRecomputesTheExportedTopK() throws IOException {
    Path executed = runner.execute(Path.of("03_recommendations_and_similar_items.ipynb"));
    assertThat(outputs(executed, "error")).isEmpty();
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
