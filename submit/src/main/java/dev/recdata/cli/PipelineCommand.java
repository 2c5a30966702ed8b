package dev.recdata.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsCliOptions;
import dev.recdata.als.AlsJob;
import dev.recdata.als.AlsOptions;
import dev.recdata.als.AlsReport;
import dev.recdata.common.CrashPoints;
import dev.recdata.common.DatasetNames;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.Preflight;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunContext;
import dev.recdata.common.RunIds;
import dev.recdata.common.SparkSessions;
import dev.recdata.common.cli.ConfigFileOption;
import dev.recdata.common.cli.JdbcOptions;
import dev.recdata.common.cli.JdbcSchemaOption;
import dev.recdata.common.cli.SparkOptions;
import dev.recdata.etl.EtlCliOptions;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.EtlOptions;
import dev.recdata.etl.EtlOutput;
import dev.recdata.etl.feedback.FeedbackExtractor;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.etl.generate.GenerateOptions;
import dev.recdata.etl.generate.GeneratedSample;
import dev.recdata.export.ExportCliOptions;
import dev.recdata.export.ExportJob;
import dev.recdata.export.ExportOptions;
import dev.recdata.export.ExportPaths;
import dev.recdata.quality.QualityCliOptions;
import dev.recdata.quality.QualityJob;
import dev.recdata.quality.QualityOptions;
import dev.recdata.quality.QualityOutput;
import dev.recdata.quality.QualityReport;
import dev.recdata.splits.SplitCliOptions;
import dev.recdata.splits.SplitInputReader;
import dev.recdata.splits.SplitJob;
import dev.recdata.splits.SplitOptions;
import dev.recdata.splits.SplitOutput;
import dev.recdata.splits.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recdata pipeline}: etl -> split -> quality (gate) -> als -> export in one Spark session,
 * each run in its own folder {@code OUT/runs/RUN_ID/{etl,splits,quality,als,export}}, each laid out
 * as the stage writes it alone. {@code OUT/latest} names the newest complete run (every stage up to
 * {@code --to} succeeded) and moves only then, so readers never see a half-made version and older
 * runs stay for rollback. {@code --from} starts later in the chain: the earlier stages' folders are
 * copied from a base run, so every run folder holds all its stages itself.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    abbreviateSynopsis = true,
    optionListHeading = "%nOptions:%n",
    description = {
      "Run etl -> split -> quality (gate) -> als -> export end to end into OUT/runs/<run_id>/ and point OUT/latest at it.",
      "With no --input it first generates a small MovieLens-shaped sample (offline, seconds).",
      "--from/--to run part of the chain; earlier stages are copied from the base run (default: OUT/latest).",
      "Every stage's options work here too (listed by stage below); where two stages use one name, the stage's name"
          + " comes first (--split-k, --als-k, --etl-positive-threshold); --seed is one seed for the whole run."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error",
      "2:bad input or options (also: no base run for --from, or it lacks a stage)",
      "3:quality gate failed (training did not start; OUT/latest unchanged)"
    })
public final class PipelineCommand implements Callable<Integer> {
  /**
   * The pipeline in order: each stage's name, the run-folder entries it writes (the first one
   * required in a base run, the others copied when present) and how to run it. Adding a stage is
   * one entry here and its runner method.
   */
  enum Stage {
    ETL("etl", PipelineCommand::runEtl, "etl", "input"),
    SPLIT("split", PipelineCommand::runSplit, "splits"),
    QUALITY("quality", PipelineCommand::runQuality, QualityJob.STAGE),
    ALS("als", PipelineCommand::runAls, AlsJob.STAGE),
    EXPORT("export", PipelineCommand::runExport, ExportPaths.STAGE);

    final String cliName;
    final BiConsumer<PipelineCommand, Run> runner;
    final String folder;
    final List<String> optionalFolders;

    Stage(
        String cliName,
        BiConsumer<PipelineCommand, Run> runner,
        String folder,
        String... optionalFolders) {
      this.cliName = cliName;
      this.runner = runner;
      this.folder = folder;
      this.optionalFolders = List.of(optionalFolders);
    }

    static Stage last() {
      return values()[values().length - 1];
    }

    static List<String> names() {
      return Arrays.stream(values()).map(s -> s.cliName).toList();
    }

    static Stage fromCli(String option, String name) {
      return Arrays.stream(values())
          .filter(s -> s.cliName.equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  RecdataException.badInput(
                      "%s %s is not a stage; expected one of %s", option, name, names()));
    }
  }

  /**
   * One run's shared state, handed from stage to stage.
   *
   * @param previousRunId the run OUT/latest named when this one started, or null for the first
   */
  record Run(
      SparkSession session,
      Configuration conf,
      String runId,
      String runDir,
      String previousRunId,
      Progress progress,
      ObjectNode manifest,
      StageOptions options) {}

  /**
   * Every option the stages of this run will use, parsed and checked before anything runs: a
   * combination a later stage would refuse fails in seconds instead of after the earlier stages'
   * work. A stage that does not run has null options.
   */
  record StageOptions(
      FeedbackOptions feedback,
      MovieLensArchive movielens,
      MovieLensCache.Checksum movielensChecksum,
      SplitOptions split,
      QualityOptions quality,
      AlsOptions als,
      ExportOptions export,
      String datasetName) {}

  @Mixin SparkOptions spark;
  @Mixin JdbcOptions jdbc;
  @Mixin JdbcSchemaOption jdbcSchema;
  @Mixin ConfigFileOption config;

  @Option(
      names = "--out",
      defaultValue = "recdata-out",
      description = "Root folder of the runs (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(
      names = "--movielens",
      description =
          "Download a MovieLens archive from GroupLens once (cached, checksum verified) and use it as the etl input: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m or ml-latest-small.")
  String movielens;

  @Option(
      names = "--cache-dir",
      defaultValue = "${sys:user.home}/.cache/recdata/movielens",
      description = "Local folder of downloaded MovieLens archives (default: ${DEFAULT-VALUE}).")
  String cacheDir;

  @Option(
      names = "--movielens-base-url",
      defaultValue = MovieLensArchive.GROUPLENS,
      description = "Where NAME.zip is downloaded from, for a mirror (default: ${DEFAULT-VALUE}).")
  String movielensBaseUrl;

  @Option(
      names = "--movielens-checksum",
      description =
          "Expected checksum of the archive, md5:HEX or sha256:HEX, instead of the built-in one (for example when GroupLens re-publishes ml-latest-small).")
  String movielensChecksum;

  @Option(
      names = "--sample-rows",
      defaultValue = "100000",
      description = "Rows of the generated sample (default: ${DEFAULT-VALUE}).")
  long sampleRows;

  @Option(
      names = "--from",
      defaultValue = "etl",
      description =
          "First stage to run: etl, split, quality, als or export; the earlier stages are copied from the base run (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--to",
      defaultValue = "export",
      description =
          "Last stage to run: etl, split, quality, als or export; OUT/latest moves when every stage up to it succeeded (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(
      names = "--base-run",
      description =
          "With --from: the run whose earlier stages are reused (default: the run OUT/latest names).")
  String baseRun;

  // Each stage's options, as its own command declares them; commandLine() puts them on this command
  // line.
  final EtlCliOptions etl = new EtlCliOptions();
  final SplitCliOptions split = new SplitCliOptions();
  final QualityCliOptions quality = new QualityCliOptions();
  final AlsCliOptions als = new AlsCliOptions();
  final ExportCliOptions export = new ExportCliOptions();
  private IncludedStageOptions included;

  /**
   * The pipeline's options that feed etl without being etl's own (the input it downloads or
   * generates).
   */
  private static final List<String> ETL_FEEDERS = List.of("--movielens", "--sample-rows");

  /** The pipeline with every stage's options on its command line. */
  static CommandLine commandLine() {
    PipelineCommand pipeline = new PipelineCommand();
    CommandLine cli = new CommandLine(pipeline);
    Map<String, Object> stages = new LinkedHashMap<>();
    stages.put(Stage.ETL.cliName, pipeline.etl);
    stages.put(Stage.SPLIT.cliName, pipeline.split);
    stages.put(Stage.QUALITY.cliName, pipeline.quality);
    stages.put(Stage.ALS.cliName, pipeline.als);
    stages.put(Stage.EXPORT.cliName, pipeline.export);
    pipeline.included = IncludedStageOptions.include(cli.getCommandSpec(), stages);
    return cli;
  }

  /** Config keys of this command line: see {@link IncludedStageOptions}. */
  Map<String, String> configKeys() {
    return included.configKeys(commandSpec);
  }

  @Spec CommandSpec commandSpec;

  @Override
  public Integer call() {
    Stage first = Stage.fromCli("--from", from);
    Stage last = Stage.fromCli("--to", to);
    RecdataException.checkInput(
        first.ordinal() <= last.ordinal(),
        "--from %s comes after --to %s; expected stages in the order %s",
        from,
        to,
        Stage.names());
    List<Stage> reused = List.of(Stage.values()).subList(0, first.ordinal());
    List<Stage> toRun = List.of(Stage.values()).subList(first.ordinal(), last.ordinal() + 1);
    checkOptionsOnlyForStagesThatRun(first, last, toRun);
    StageOptions options = stageOptions(toRun);
    checkDatabase(toRun, options);

    Progress progress = new Progress("pipeline");
    String runId = RunIds.newRunId();
    String runDir = out + "/runs/" + runId;
    SparkSession session = SparkSessions.getOrCreate("recdata pipeline", spark.master);
    Configuration conf = session.sparkContext().hadoopConfiguration();
    Preflight.path(conf, "--out", out);
    if (toRun.contains(Stage.ETL)) {
      Preflight.paths(conf, "--input", etl.inputs);
    }
    RunsFolder runs = new RunsFolder(conf, out);
    runs.checkIsPipelineRoot();
    runs.recover(progress);
    String previousRunId = runs.latestRunId();
    ObjectNode manifest = RunManifest.start(runId, first.cliName, last.cliName, previousRunId);
    String base = reused.isEmpty() ? null : baseRunFor(conf, reused, toRun);
    Run run = new Run(session, conf, runId, runDir, previousRunId, progress, manifest, options);
    runs.lock(runId);
    try {
      if (base != null) {
        copyBaseRun(run, reused, base);
      }
      manifest.put("base_run_id", base);
      manifest.putPOJO("reused_stages", reused.stream().map(s -> s.cliName).toList());
      manifest.putPOJO("stages_run", toRun.stream().map(s -> s.cliName).toList());
      if (base != null) {
        recordReusedStages(run, reused, base);
      }
      recordOptions(run, toRun);
      for (Stage stage : toRun) {
        stage.runner.accept(this, run);
      }
      recordOutputs(run);
    } catch (Throwable e) {
      // A failed run stays for inspection (its quality report, say), marked so nothing mistakes it
      // for a good one:
      // --from never reuses it and `runs gc --keep N` may remove it. A killed run has no
      // pipeline.json at all.
      try {
        recordOutputs(run); // what the stages before the failure wrote, for runs diff
      } catch (RuntimeException unreadable) {
        e.addSuppressed(unreadable); // the run's own error is the one to report
      }
      RecdataException known = Recdata.find(e);
      RunManifest.write(
          conf,
          runDir,
          manifest,
          known != null ? known.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage(),
          progress);
      runs.unlock(runId);
      throw e;
    }
    RunManifest.write(conf, runDir, manifest, null, progress);
    runs.unlock(runId);
    CrashPoints.at("pipeline", "manifest.written");
    // Complete means every stage through --to succeeded; pipeline.json's "to" says how far a run
    // went, and a later
    // --from checks it before reusing the run.
    runs.publishLatest(runId);
    runs.recover(progress);
    progress.info(
        "run %s complete through %s in %.1f s; %s/latest -> runs/%s",
        runId, last.cliName, progress.totalSeconds(), out, runId);
    if (modelSummary != null) {
      // the last line: what a user acts on (which model ships, and why)
      progress.info("%s", modelSummary.line());
    }
    return 0;
  }

  /**
   * What the stages this run copied from {@code base} describe: the inputs the copied etl read, and
   * the options (and model verdict) the base run recorded for them.
   */
  private void recordReusedStages(Run run, List<Stage> reused, String base) {
    if (reused.contains(Stage.ETL)) {
      EtlOutput etlOutput = EtlOutput.readIfPresent(run.conf(), stageDir(run, Stage.ETL));
      RunManifest.putInputs(run.manifest(), etlOutput == null ? List.of() : etlOutput.inputPaths());
    }
    RunManifest baseManifest = RunManifest.readIfPresent(run.conf(), new Path(out, "runs/" + base));
    if (baseManifest != null) {
      RunManifest.putReused(
          run.manifest(), baseManifest, reused.stream().map(s -> s.cliName).toList());
    }
  }

  /**
   * The options of the stages after etl (checked before the run started), and where quality, als
   * and export write their tables. etl's are recorded when it runs: its inputs are known only then.
   */
  private void recordOptions(Run run, List<Stage> toRun) {
    StageOptions options = run.options();
    Map<Stage, Object> byStage = new LinkedHashMap<>();
    byStage.put(Stage.SPLIT, options.split());
    byStage.put(Stage.QUALITY, options.quality());
    byStage.put(Stage.ALS, options.als());
    byStage.put(Stage.EXPORT, options.export());
    byStage.forEach(
        (stage, record) -> {
          if (toRun.contains(stage) && record != null) {
            RunManifest.putOptions(run.manifest(), stage.cliName, OptionsJson.of(record));
          }
        });
    if (jdbc.url != null && !tableStages(toRun).isEmpty()) {
      ObjectNode tables = Json.object();
      tables.put("url", jdbc.target().redactedUrl());
      tables.put("schema", jdbcSchema.name);
      RunManifest.putOptions(run.manifest(), "jdbc", tables);
    }
  }

  /**
   * etl's options record as it ran, without what pipeline.json says elsewhere (the inputs) or what
   * names this run's folders ({@code out}, and {@code previous}: the previous run's), with the
   * pipeline's options that chose the input.
   */
  private void recordEtlOptions(Run run, EtlOptions etlOptions, Long generatedRows) {
    ObjectNode json = OptionsJson.of(etlOptions);
    json.remove(List.of("inputs", "out", "previous"));
    if (run.options().movielens() != null) {
      json.put("movielens", run.options().movielens().id);
    }
    if (generatedRows != null) {
      json.put("sample_rows", generatedRows);
    }
    RunManifest.putOptions(run.manifest(), Stage.ETL.cliName, json);
    if (commandSpec.findOption("--max-ts").getValue() == null) {
      // the default --max-ts is the run's clock plus a day: different in every run by design
      RunManifest.putOptionFromClock(run.manifest(), Stage.ETL.cliName + ".cleaning.maxTs");
    }
  }

  /** Row counts, quality verdict and id-map version from the stage outputs in the run folder. */
  private static void recordOutputs(Run run) {
    RunManifest.putOutputs(
        run.manifest(),
        RunOutputs.read(run.conf(), run.runDir()),
        RunOutputs.idMapVersion(run.conf(), run.runDir()));
  }

  /**
   * A stage option on the command line for a stage this run does not run would be ignored; the user
   * expects it to count, so say why it cannot. (From a config file it is only a default, and the
   * file may serve other runs.)
   */
  private void checkOptionsOnlyForStagesThatRun(Stage first, Stage last, List<Stage> toRun) {
    var parsed = commandSpec.commandLine().getParseResult();
    for (OptionSpec option : commandSpec.options()) {
      if (!parsed.hasMatchedOption(option)) {
        continue;
      }
      IncludedStageOptions.Included stageOption = included.find(option);
      List<String> stages =
          stageOption != null
              ? stageOption.stages()
              : ETL_FEEDERS.contains(option.longestName()) ? List.of(Stage.ETL.cliName) : List.of();
      if (stages.size() != 1) {
        continue; // the pipeline's own, or shared by several stages (--seed)
      }
      Stage stage = Stage.fromCli("stage", stages.get(0));
      String name = option.longestName();
      RecdataException.checkInput(
          stage.ordinal() >= first.ordinal(),
          "%s feeds %s, but --from %s reuses the base run's %s output; drop %s or run --from %s",
          name,
          stage.cliName,
          first.cliName,
          stage.cliName,
          name,
          stage.cliName);
      RecdataException.checkInput(
          stage.ordinal() <= last.ordinal(),
          "%s feeds %s, but --to %s stops before it; drop %s or run --to %s",
          name,
          stage.cliName,
          last.cliName,
          name,
          stage.cliName);
    }
  }

  /**
   * Parses and checks the options of every stage in {@code toRun}, and the combinations a later
   * stage would refuse, before any work: exit code 2 in seconds rather than after etl, split,
   * quality and ALS.
   */
  StageOptions stageOptions(List<Stage> toRun) {
    FeedbackOptions feedback = null;
    MovieLensArchive archive = null;
    MovieLensCache.Checksum checksum = null;
    if (toRun.contains(Stage.ETL)) {
      etl.check(jdbc.target());
      feedback = etl.feedback.options(jdbc.target());
      RecdataException.checkInput(
          movielens == null || etl.inputs.isEmpty(),
          "give either --movielens %s or --input %s, not both",
          movielens,
          etl.inputs);
      if (movielens != null) {
        archive = MovieLensArchive.fromCli(movielens);
        checksum =
            movielensChecksum == null ? null : MovieLensCache.Checksum.parse(movielensChecksum);
      } else if (etl.inputs.isEmpty() && feedback == null) {
        GenerateOptions.forRows(out + "/input", sampleRows, seed()); // checks --sample-rows
      }
    }
    SplitOptions splitOptions = toRun.contains(Stage.SPLIT) ? split.options() : null;
    RecdataException.checkInput(
        splitOptions == null
            || splitOptions.strategy() != Strategy.KFOLD
            || !toRun.contains(Stage.EXPORT),
        "--strategy kfold: export needs a train/validation/test split (k-fold splits are not exported);"
            + " stop before export with --to als, or choose another --strategy");
    QualityOptions qualityOptions = toRun.contains(Stage.QUALITY) ? quality.options(null) : null;
    AlsOptions alsOptions = toRun.contains(Stage.ALS) ? als.options() : null;
    ExportOptions exportOptions = toRun.contains(Stage.EXPORT) ? export.options() : null;
    if (jdbc.url != null && !tableStages(toRun).isEmpty()) {
      JdbcTarget.checkSchema(jdbcSchema.name);
    }
    return new StageOptions(
        feedback,
        archive,
        checksum,
        splitOptions,
        qualityOptions,
        alsOptions,
        exportOptions,
        DatasetNames.check(quality.datasetName()));
  }

  /**
   * The one seed of the run (the sample's, and every stage's: see {@link IncludedStageOptions}).
   */
  private long seed() {
    return split.seed.seed;
  }

  /**
   * The stages of {@code toRun} that write PostgreSQL tables when --jdbc-url is given, with what
   * they write.
   */
  private static Map<Stage, String> tableStages(List<Stage> toRun) {
    Map<Stage, String> tables = new LinkedHashMap<>();
    if (toRun.contains(Stage.QUALITY)) {
      tables.put(Stage.QUALITY, "the quality tables");
    }
    if (toRun.contains(Stage.ALS)) {
      tables.put(Stage.ALS, "the model metrics");
    }
    if (toRun.contains(Stage.EXPORT)) {
      tables.put(Stage.EXPORT, "the published recommendations");
    }
    return tables;
  }

  /**
   * Before any Spark work: the feedback table answers with the expected columns, and the schema of
   * the quality, model and recommendation tables can be created and used. A database that does not
   * answer is exit code 2 here, with nothing written, instead of after the stages before the first
   * one that needs it.
   */
  private void checkDatabase(List<Stage> toRun, StageOptions options) {
    if (options.feedback() != null) {
      FeedbackExtractor.preflight(options.feedback());
    }
    Map<Stage, String> tables = tableStages(toRun);
    if (!tables.isEmpty()) {
      Preflight.jdbc(jdbc.target(), jdbcSchema.name, String.join(", ", tables.values()));
    }
  }

  /**
   * The base run whose stages before --from this run reuses, checked whole before this run's folder
   * exists: a run that cannot start leaves nothing behind (no failed run folder for a usage error).
   */
  private String baseRunFor(Configuration conf, List<Stage> reused, List<Stage> toRun) {
    String base = baseRun != null ? baseRun : latestRunId(conf, out);
    Stage needed = reused.get(reused.size() - 1);
    RecdataException.checkInput(
        base != null,
        "--from %s needs a base run with the %s output, but %s/latest names no complete run yet; run from etl first or pass --base-run RUN_ID",
        from,
        needed.cliName,
        out);
    String baseDir = out + "/runs/" + base;
    RunManifest baseManifest = RunManifest.readIfPresent(conf, new Path(baseDir));
    RecdataException.checkInput(
        baseManifest != null,
        "base run %s is not a finished run: no %s/%s (it failed, is still running, or the id is wrong)",
        base,
        baseDir,
        RunManifest.FILE);
    RecdataException.checkInput(
        !baseManifest.failed(),
        "base run %s failed (%s); pass --base-run with a complete run",
        base,
        baseManifest.error());
    String baseTo = baseManifest.to() == null ? Stage.last().cliName : baseManifest.to();
    boolean baseHasStage =
        Stage.names().contains(baseTo) && Stage.fromCli("to", baseTo).ordinal() >= needed.ordinal();
    RecdataException.checkInput(
        baseHasStage,
        "--from %s needs the %s output of base run %s, but that run stopped after %s",
        from,
        needed.cliName,
        base,
        baseTo);
    for (Stage stage : reused) {
      Path source = new Path(baseDir, stage.folder);
      RecdataException.checkInput(
          HadoopPaths.exists(conf, source),
          "--from %s needs %s of base run %s, which is missing",
          from,
          source,
          base);
    }
    // A k-fold split has no train/ and test/, and export would refuse it last.
    String baseSplit = new Path(baseDir, Stage.SPLIT.folder).toString();
    RecdataException.checkInput(
        !reused.contains(Stage.SPLIT)
            || !toRun.contains(Stage.EXPORT)
            || !SplitOutput.read(conf, baseSplit, "--base-run split").kfold(),
        "--from %s would export the split of base run %s, which is a k-fold split (k-fold splits are not exported);"
            + " stop before export with --to als, or split again with --from split",
        from,
        base);
    return base;
  }

  /**
   * Copies the stages before --from from the base run into this run's folder, so the new run is
   * complete on its own and deleting the base run later breaks nothing.
   */
  private void copyBaseRun(Run run, List<Stage> reused, String base) {
    String baseDir = out + "/runs/" + base;
    try {
      FileSystem fs = new Path(baseDir).getFileSystem(run.conf());
      for (Stage stage : reused) {
        copy(fs, new Path(baseDir, stage.folder), new Path(run.runDir(), stage.folder), run.conf());
        for (String optional : stage.optionalFolders) {
          Path optionalSource = new Path(baseDir, optional);
          if (fs.exists(optionalSource)) {
            copy(fs, optionalSource, new Path(run.runDir(), optional), run.conf());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy stages of base run " + base, e);
    }
    run.progress()
        .step(
            "reuse",
            "copied %s from base run %s",
            reused.stream().map(s -> s.folder).collect(Collectors.joining(", ")),
            base);
  }

  private static void copy(FileSystem fs, Path source, Path target, Configuration conf)
      throws IOException {
    if (!FileUtil.copy(fs, source, target.getFileSystem(conf), target, false, conf)) {
      throw new IOException("copy " + source + " -> " + target + " failed");
    }
  }

  private void runEtl(Run run) {
    StageOptions options = run.options();
    FeedbackOptions feedback = options.feedback();
    // The last complete run's etl output carries the feedback watermark and history this run
    // continues from.
    String previousRun = run.previousRunId();
    String previousEtl =
        previousRun == null ? null : out + "/runs/" + previousRun + "/" + Stage.ETL.folder;

    List<String> etlInputs = etl.inputs;
    Long generatedRows = null;
    if (options.movielens() != null) {
      MovieLensArchive archive = options.movielens();
      java.nio.file.Path folder =
          new MovieLensCache(java.nio.file.Path.of(cacheDir), movielensBaseUrl)
              .fetch(archive, options.movielensChecksum());
      run.progress().step("movielens", "%s in %s", archive.id, folder);
      run.manifest().put("movielens", archive.id);
      etlInputs = List.of(folder.toUri().toString());
    } else if (etlInputs.isEmpty() && feedback != null && previousRun != null) {
      // the weekly retrain: the new feedback joins what the last run learned from, its inputs
      // (its feedback history comes along through previousEtl), and the window slides over all
      etlInputs = inheritedInputs(run, previousRun, previousEtl);
    } else if (etlInputs.isEmpty() && feedback == null) {
      String sample = run.runDir() + "/input";
      var summary =
          GeneratedSample.generate(run.conf(), GenerateOptions.forRows(sample, sampleRows, seed()));
      run.progress().step("generate", "generated a %,d-row sample in %s", summary.rows(), sample);
      etlInputs = List.of(sample);
      generatedRows = sampleRows;
    }
    RunManifest.putInputs(run.manifest(), etlInputs);

    EtlOptions etlOptions =
        etl.options(etlInputs, jdbc.target(), stageDir(run, Stage.ETL), previousEtl);
    recordEtlOptions(run, etlOptions, generatedRows);
    EtlJob.run(run.session(), etlOptions);
    run.progress().step("etl", "etl done");
  }

  /**
   * The inputs the last complete run's etl read, for a run given only a feedback table. Every one
   * must still be there: a retrain that silently lost its base data would publish a model of the
   * feedback alone.
   */
  private static List<String> inheritedInputs(Run run, String previousRun, String previousEtl) {
    EtlOutput previous = EtlOutput.readIfPresent(run.conf(), previousEtl);
    if (previous == null) {
      return List.of();
    }
    List<String> inputs = previous.inputPaths();
    for (String input : inputs) {
      RecdataException.checkInput(
          HadoopPaths.exists(run.conf(), input),
          "the retrain continues from the inputs of run %s, but %s is gone: pass --input with the"
              + " data to train on beside the feedback",
          previousRun,
          input);
    }
    if (!inputs.isEmpty()) {
      run.progress()
          .step(
              "inputs",
              "continuing with run %s's inputs and its feedback history: %s",
              previousRun,
              String.join(", ", inputs));
      run.manifest().put("inputs_from_run", previousRun);
    }
    return inputs;
  }

  private void runSplit(Run run) {
    var splitInput = SplitInputReader.read(run.session(), stageDir(run, Stage.ETL));
    SplitJob.run(run.session(), splitInput, run.options().split(), stageDir(run, Stage.SPLIT));
    run.progress().step("split", "split done");
  }

  private void runQuality(Run run) {
    QualityReport report =
        QualityJob.run(
            run.session(),
            stageDir(run, Stage.SPLIT),
            stageDir(run, Stage.QUALITY),
            run.options().quality(),
            jdbc.target(),
            jdbcSchema.name,
            runContext(run));
    run.progress().step("quality", "quality %s", report.status());
    if (report.gateFailed()) {
      throw new RecdataException(
          RecdataException.EXIT_GATE_FAILED,
          "quality gate failed before training ("
              + report.gatingChecks().stream()
                  .map(c -> c.check() + ": " + c.message())
                  .collect(Collectors.joining("; "))
              + "); see "
              + run.runDir()
              + "/quality/report.html; "
              + out
              + "/latest is unchanged");
    }
  }

  private void runAls(Run run) {
    AlsReport report =
        AlsJob.run(
            run.session(),
            stageDir(run, Stage.SPLIT),
            stageDir(run, Stage.ALS),
            run.options().als(),
            jdbc.target(),
            jdbcSchema.name,
            runContext(run));
    modelSummary = ModelSummary.of(report, run.options().als());
    RunManifest.putModel(run.manifest(), modelSummary.json());
    // report.html shows ALS beside the baselines: quality gated before any model existed, so the
    // report is rendered once more now, from its report.json (which also serves a quality folder
    // copied from a base run by --from als). Only the HTML changes; quality's JSON and tables stay.
    QualityOutput.renderWithModel(
        run.conf(), stageDir(run, Stage.QUALITY), runContext(run), modelSummary.scores());
    run.progress().step("als", "als done");
  }

  /**
   * What quality and als file this run's rows under: the pipeline run id, so a dashboard joins the
   * stages of one run, and {@code --dataset-name} (null: each stage derives the same name from the
   * etl output the split was cut from). It is the only way a stage learns the pipeline run id:
   * quality's report.json, report.html's header and the tables' {@code pipeline_run_id} all take it
   * from here.
   */
  private static RunContext runContext(Run run) {
    return new RunContext(run.runId(), run.options().datasetName());
  }

  /** What the run's ALS stage decided, for pipeline.json and the run's last line; null before. */
  private ModelSummary modelSummary;

  private void runExport(Run run) {
    ExportJob.run(
        run.session(),
        ExportPaths.of(
            run.runDir(), null, null, stageDir(run, Stage.ALS), stageDir(run, Stage.EXPORT)),
        run.options().export(),
        jdbc.target(),
        jdbcSchema.name,
        servedExport(run));
    run.progress().step("export", "export done");
  }

  /**
   * The export {@code serve --run OUT} serves until this run moves {@code latest}: the publish
   * guard's yardstick when no PostgreSQL table is published. Null before the first complete run.
   */
  private String servedExport(Run run) {
    RunsFolder runs = new RunsFolder(run.conf(), out);
    String latest = runs.latestRunId();
    return latest == null ? null : new Path(runs.runDir(latest), Stage.EXPORT.folder).toString();
  }

  /**
   * {@code RUN_DIR/FOLDER}: where {@code stage} writes in this run, the same layout as the stage
   * run alone.
   */
  private static String stageDir(Run run, Stage stage) {
    return run.runDir() + "/" + stage.folder;
  }

  /** The run id OUT/latest names, or null before the first complete run. */
  static String latestRunId(Configuration conf, String out) {
    return new RunsFolder(conf, out).latestRunId();
  }
}
