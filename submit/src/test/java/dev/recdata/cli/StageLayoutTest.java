package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.als.AlsOutput;
import dev.recdata.common.Json;
import dev.recdata.common.RunContext;
import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.quality.ModelScores;
import dev.recdata.quality.QualityOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --out} means one thing: the folder a stage writes into. A stage run alone on the
 * pipeline's input for it writes what the pipeline wrote into that stage's run folder, file for
 * file and row for row (run ids and times aside), so a run holds {@code runs/ID/splits/train}, not
 * {@code splits/splits/train}.
 */
class StageLayoutTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    SharedSpark.session();
    return Recdata.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void eachStageAloneWritesWhatThePipelineWritesIntoItsRunFolder(@TempDir Path tmp)
      throws Exception {
    String root = tmp.resolve("root").toString();
    assertThat(run("pipeline", "--out", root, "--sample-rows", "5000")).as(err.toString()).isZero();
    Path runDir = Path.of(root, "runs", Files.readString(Path.of(root, "latest")).strip());
    assertThat(runDir.resolve("splits/train")).isDirectory();
    assertThat(runDir.resolve("splits/splits")).doesNotExist();

    Path alone = tmp.resolve("alone");
    String etl = runDir.resolve("etl").toString();
    String splits = runDir.resolve("splits").toString();
    assertThat(run("split", "--input", etl, "--out", alone.resolve("splits").toString()))
        .as(err.toString())
        .isZero();
    assertThat(run("quality", "--input", splits, "--out", alone.resolve("quality").toString()))
        .as(err.toString())
        .isZero();
    assertThat(run("als", "--input", splits, "--out", alone.resolve("als").toString()))
        .as(err.toString())
        .isZero();
    assertThat(
            run(
                "export",
                "--input",
                runDir.toString(),
                "--out",
                alone.resolve("export").toString()))
        .as(err.toString())
        .isZero();

    // The pipeline renders report.html once more after als, with its run id in the header and the
    // model section; the same rendering of the standalone quality folder must give the same page.
    JsonNode metrics =
        Json.MAPPER.readTree(runDir.resolve("als").resolve(AlsOutput.METRICS).toFile());
    String metricsSource =
        Json.MAPPER
            .readTree(runDir.resolve("pipeline.json").toFile())
            .at("/model/metrics")
            .asText();
    QualityOutput.renderWithModel(
        SharedSpark.session().sparkContext().hadoopConfiguration(),
        alone.resolve("quality").toString(),
        new RunContext(runDir.getFileName().toString(), null),
        new ModelScores(
            Json.MAPPER.convertValue(
                metrics.get("test"),
                new com.fasterxml.jackson.core.type.TypeReference<
                    java.util.Map<String, java.util.Map<String, Double>>>() {}),
            metrics.at("/verdict/summary").asText(),
            metricsSource));

    for (String stage : new String[] {"splits", "quality", "als", "export"}) {
      OutputTrees.assertSameOutput(runDir.resolve(stage), alone.resolve(stage));
    }

    // The README's example: export --als at the folder als --out wrote. A folder without an ALS
    // output is exit 2
    // naming what it holds, not a half export that exits 0.
    err.getBuffer().setLength(0);
    int code =
        run(
            "export",
            "--input",
            runDir.toString(),
            "--als",
            runDir.resolve("quality").toString(),
            "--out",
            tmp.resolve("half").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("holds no ALS output", "report.json");
    assertThat(tmp.resolve("half")).doesNotExist();
  }
}
