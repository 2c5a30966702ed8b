package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Stage options declared once: the same options, names, defaults and config keys in the stage
 * command and the pipeline.
 */
class StageOptionsCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Recdata.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  /** Parses like the CLI (config file first) and returns the command that would run. */
  private static CommandLine parse(String... args) {
    CommandLine cli = Recdata.commandLine();
    Recdata.configDefaults(cli, args);
    return cli.parseArgs(args).subcommand().commandSpec().commandLine();
  }

  private static PipelineCommand pipeline(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "pipeline";
    System.arraycopy(args, 0, all, 1, args.length);
    return parse(all).getCommand();
  }

  private static List<PipelineCommand.Stage> everyStage() {
    return List.of(PipelineCommand.Stage.values());
  }

  /**
   * Options of a stage command that the pipeline wires itself (paths, the quality run id) or that
   * every command has.
   */
  private static final Set<String> WIRED_BY_THE_PIPELINE =
      Set.of(
          "--out",
          "--etl",
          "--splits",
          "--als",
          "--run-id",
          "--help",
          "--version",
          "--config",
          "--master",
          "--verbose",
          "--jdbc-url",
          "--jdbc-user",
          "--jdbc-password-env",
          "--jdbc-schema");

  @Test
  void everyStageOptionIsOnThePipelineUnderItsNameOrWithTheStageInFront() {
    CommandLine cli = Recdata.commandLine();
    CommandSpec pipeline = cli.getSubcommands().get("pipeline").getCommandSpec();
    String help = cli.getSubcommands().get("pipeline").getUsageMessage();
    List<String> missing = new ArrayList<>();
    for (String stage : List.of("etl", "split", "quality", "als", "export")) {
      for (OptionSpec option : cli.getSubcommands().get(stage).getCommandSpec().options()) {
        String name = option.longestName();
        if (WIRED_BY_THE_PIPELINE.contains(name)
            || (name.equals("--input") && !stage.equals("etl"))) {
          continue;
        }
        String prefixed = "--" + stage + "-" + name.substring(2);
        // The prefixed name first: the short one may be another stage's (etl's --positive-threshold
        // is not als's).
        OptionSpec there =
            pipeline.findOption(prefixed) != null
                ? pipeline.findOption(prefixed)
                : pipeline.findOption(name);
        String listedAs =
            there != null && there.negatable()
                ? "--[no-]" + there.longestName().substring(2)
                : there == null ? null : there.longestName();
        if (there == null || !help.contains(listedAs)) {
          missing.add(stage + " " + name);
        } else {
          assertThat(there.defaultValue())
              .as(stage + " " + name + " default")
              .isEqualTo(option.defaultValue());
        }
      }
    }
    assertThat(missing).as("stage options the pipeline does not take or list").isEmpty();
  }

  @Test
  void stageOptionsOnThePipelineReachEachStagesOptionsRecord() {
    PipelineCommand pipeline =
        pipeline(
            "--rank",
            "16",
            "--als-k",
            "5",
            "--split-k",
            "2",
            "--strategy",
            "leave-last",
            "--seed",
            "7",
            "--negatives",
            "8",
            "--fail-on",
            "warn",
            "--positive-threshold",
            "3.5",
            "--etl-positive-threshold",
            "4",
            "--dataset-name",
            "ml-1m");
    PipelineCommand.StageOptions options = pipeline.stageOptions(everyStage());

    assertThat(options.als().rank()).isEqualTo(16);
    assertThat(options.als().k()).isEqualTo(5);
    assertThat(options.split().k()).isEqualTo(2);
    // one --seed and one --positive-threshold for every stage that has them
    assertThat(List.of(options.split().seed(), options.als().seed(), options.export().seed()))
        .containsOnly(7L);
    assertThat(List.of(options.als().positiveThreshold(), options.export().positiveThreshold()))
        .containsOnly(3.5f);
    assertThat(options.export().negatives()).isEqualTo(8);
    assertThat(options.quality().failOn()).isEqualTo(dev.recdata.quality.FailOn.WARN);
    assertThat(pipeline.etl.options(List.of("in"), null, "o", null).cleaning().positiveThreshold())
        .isEqualTo(4.0f);
    // one --dataset-name for the quality and the model tables
    assertThat(options.datasetName()).isEqualTo("ml-1m");
    assertThat(List.of(pipeline.quality.datasetName(), pipeline.als.datasetName()))
        .containsOnly("ml-1m");
  }

  @Test
  void withoutOptionsThePipelineUsesEachStageCommandsDefaults() {
    PipelineCommand.StageOptions options = pipeline().stageOptions(everyStage());

    assertThat(options.split())
        .usingRecursiveComparison()
        .isEqualTo(dev.recdata.splits.SplitOptions.of(dev.recdata.splits.Strategy.USER_RATIO));
    assertThat(options.quality()).isEqualTo(dev.recdata.quality.QualityOptions.defaults());
    assertThat(options.als()).isEqualTo(dev.recdata.als.AlsOptions.commandDefaults());
    assertThat(options.export()).isEqualTo(dev.recdata.export.ExportOptions.defaults());
  }

  @Test
  void optionsAsPipelineJsonKeepsThemHoldTheJdbcUrlWithoutUserOrPassword() {
    PipelineCommand pipeline =
        pipeline(
            "--jdbc-url",
            "jdbc:postgresql://db:5432/app?user=bob&password=hunter2",
            "--jdbc-user",
            "carol",
            "--feedback-table",
            "app.feedback");
    JsonNode etl =
        OptionsJson.of(pipeline.etl.options(List.of(), pipeline.jdbc.target(), "o", null));

    assertThat(etl.at("/feedback/target").asText())
        .isEqualTo("jdbc:postgresql://db:5432/app?user=***&password=***");
    assertThat(etl.at("/feedback/table").asText()).isEqualTo("app.feedback");
    assertThat(etl.toString()).doesNotContain("hunter2", "bob", "carol");
  }

  @Test
  void stageKeysInAConfigFileWorkForThePipelineAndForTheStageCommandAndFlagsWin(@TempDir Path tmp)
      throws Exception {
    Path yaml = tmp.resolve("recdata.yaml");
    Files.writeString(
        yaml,
        """
        als:
          rank: 16
          k: 5
        split.ratios: 0.8,0.1,0.1
        seed: 9
        """);

    PipelineCommand.StageOptions options =
        pipeline("--config", yaml.toString()).stageOptions(everyStage());
    assertThat(options.als().rank()).isEqualTo(16);
    assertThat(options.als().k()).isEqualTo(5);
    assertThat(options.split().ratios()).containsExactly(0.8, 0.1, 0.1);
    assertThat(options.export().seed()).isEqualTo(9);
    assertThat(
            pipeline("--config", yaml.toString(), "--rank", "32")
                .stageOptions(everyStage())
                .als()
                .rank())
        .isEqualTo(32);

    // The als command takes the als keys and the flat seed, and leaves split.ratios to split.
    CommandSpec als =
        parse("als", "--config", yaml.toString(), "--input", "in", "--out", "o").getCommandSpec();
    assertThat(als.findOption("--rank").<Integer>getValue()).isEqualTo(16);
    assertThat(als.findOption("--k").<Integer>getValue()).isEqualTo(5);
    assertThat(als.findOption("--seed").<Long>getValue()).isEqualTo(9L);
    CommandSpec split =
        parse("split", "--config", yaml.toString(), "--input", "in", "--out", "o").getCommandSpec();
    assertThat(split.findOption("--ratios").<String>getValue()).isEqualTo("0.8,0.1,0.1");
  }

  @Test
  void aConfigKeyForNoOptionOrTwoKeysForOneOptionAreExitCodeTwoNamingThem(@TempDir Path tmp)
      throws Exception {
    Path typo = tmp.resolve("typo.properties");
    Files.writeString(typo, "als.rnak=16\n");
    assertThat(run("als", "--config", typo.toString(), "--input", "in", "--out", "o")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown key 'als.rnak'", typo.toString());

    err.getBuffer().setLength(0);
    Path twice = tmp.resolve("twice.properties");
    Files.writeString(twice, "rank=16\nals.rank=32\n");
    assertThat(run("pipeline", "--config", twice.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("'rank'", "'als.rank'", "both set --rank");
  }

  @Test
  void aBadRatioIsExitCodeTwoWithOneLineNamingItInEveryCommandThatTakesRatios(@TempDir Path tmp)
      throws Exception {
    Path config = tmp.resolve("bad.properties");
    Files.writeString(config, "split.ratios=0.7,0.2,0.2\n");
    String out = tmp.resolve("o").toString();
    String[][] commands = {
      {"split", "--input", "in", "--out", out, "--ratios", "0.7,0.2,0.2"},
      {"pipeline", "--out", out, "--ratios", "0.7,0.2,0.2"},
      {"split", "--input", "in", "--out", out, "--config", config.toString()},
      {"pipeline", "--out", out, "--config", config.toString()},
    };
    for (String[] command : commands) {
      err.getBuffer().setLength(0);
      assertThat(run(command)).as(String.join(" ", command)).isEqualTo(2);
      assertThat(err.toString().strip().lines()).as(err.toString()).hasSize(1);
      assertThat(err.toString()).contains("ratios 0.7,0.2,0.2 sum to 1.1; they must sum to 1");
    }
    assertThat(Path.of(out)).doesNotExist();
  }

  @Test
  void aStageOptionForAStageTheRunSkipsIsExitCodeTwoSayingWhy(@TempDir Path tmp) {
    String out = tmp.resolve("o").toString();
    assertThat(run("pipeline", "--out", out, "--to", "split", "--rank", "16")).isEqualTo(2);
    assertThat(err.toString()).contains("--rank feeds als, but --to split stops before it");

    err.getBuffer().setLength(0);
    assertThat(run("pipeline", "--out", out, "--from", "als", "--ratios", "0.8,0.2")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--ratios feeds split, but --from als reuses the base run's split output");
    assertThat(Path.of(out)).doesNotExist();
  }

  @Test
  void pipelineRankFromTheCommandLineAndAlsKeysFromTheConfigReachAlsParams(@TempDir Path tmp)
      throws Exception {
    SharedSpark.session();
    Path config = tmp.resolve("pipeline.yaml");
    Files.writeString(config, "als:\n  k: 5\n  max-iter: 3\n");
    String out = tmp.resolve("runs-root").toString();

    int code =
        run(
            "pipeline",
            "--out",
            out,
            "--sample-rows",
            "3000",
            "--to",
            "als",
            "--config",
            config.toString(),
            "--rank",
            "16",
            "--seed",
            "7");

    assertThat(code).as(err.toString()).isZero();
    String runId = Files.readString(Path.of(out, "latest")).strip();
    JsonNode params =
        Json.read(
            SharedSpark.session().sparkContext().hadoopConfiguration(),
            out + "/runs/" + runId + "/als/params.json");
    assertThat(params.path("options").path("rank").asInt()).isEqualTo(16);
    assertThat(params.path("options").path("k").asInt()).isEqualTo(5);
    assertThat(params.path("options").path("maxIter").asInt()).isEqualTo(3);
    assertThat(params.path("options").path("seed").asLong()).isEqualTo(7);
    // pipeline.json records the options als ran with, a set (the pinned parameters) sorted so two
    // runs compare equal
    JsonNode als =
        Json.read(
                SharedSpark.session().sparkContext().hadoopConfiguration(),
                out + "/runs/" + runId + "/pipeline.json")
            .at("/options/als");
    assertThat(
            List.of(als.path("rank").asInt(), als.path("k").asInt(), als.path("maxIter").asInt()))
        .containsExactly(16, 5, 3);
    assertThat(als.path("seed").asLong()).isEqualTo(7);
    assertThat(als.at("/protocol/pinned").toString()).isEqualTo("[\"maxIter\",\"rank\"]");
  }
}
