package dev.recdata.als;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsOptions.Tune;
import dev.recdata.als.AlsReport.GridScore;
import dev.recdata.als.Evaluation.EvalSet;
import dev.recdata.als.SplitReader.Fold;
import dev.recdata.als.SplitReader.SplitInput;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunContext;
import dev.recdata.common.RunIds;
import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import dev.recdata.splits.GlobalTimeCutoffs;
import dev.recdata.splits.SplitOutput;
import dev.recdata.splits.TemporalLeakage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code als} stage: read a split, tune ALS on validation (or across folds), score the chosen
 * model and the baselines on test under one protocol, and write {@code
 * OUT/{model,metrics.json,params.json}} ({@link AlsOutput}) atomically (plus {@code
 * recdata.model_runs}/{@code model_metrics} with a JDBC target).
 */
public final class AlsJob {
  private AlsJob() {}

  public static final String STAGE = AlsOutput.STAGE;

  public static AlsReport run(
      SparkSession spark,
      String input,
      String out,
      AlsOptions o,
      JdbcTarget jdbc,
      String jdbcSchema) {
    return run(spark, input, out, o, jdbc, jdbcSchema, RunContext.STANDALONE);
  }

  /**
   * @param context the pipeline run this training belongs to and the dataset name to file it under
   */
  public static AlsReport run(
      SparkSession spark,
      String input,
      String out,
      AlsOptions o,
      JdbcTarget jdbc,
      String jdbcSchema,
      RunContext context) {
    String runId = RunIds.newRunId();
    Progress progress = new Progress(STAGE);
    // Before the input is read: an output folder recdata may not replace stops the run here.
    AtomicOutput output =
        AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, runId, AlsOutput.OWNER);
    try {
      SparkSessions.describe(spark, STAGE, "read split " + input);
      SplitInput split = SplitReader.read(spark, input);
      ExecutionMode.applyForParquet(spark, STAGE, input);
      Fold first = split.folds().get(0);
      if (o.protocol().tune() == AlsOptions.Tune.AUTO
          && !split.kfold()
          && first.validation() == null) {
        // the default must work on any split: without validation there is nothing to tune on
        progress.info("%s has no validation split: --tune auto fits its start point only", input);
        o = o.at(AutoTuning.start(o)).withProtocol(o.protocol().withTune(Tune.OFF, null));
      }
      List<Map<String, Double>> points = AutoTuning.points(o);
      RecdataException.checkInput(
          points.size() == 1 || split.kfold() || first.validation() != null,
          "--tune has %d points but %s has no validation split to choose between them; pass --tune off",
          points.size(),
          input);
      progress.step(
          "read",
          "read %s split from %s (%d fold%s); %s",
          split.kfold() ? "k-fold" : "holdout",
          input,
          split.folds().size(),
          split.folds().size() == 1 ? "" : "s",
          o.protocol().tune() == Tune.OFF
              ? "no tuning"
              : String.format(
                  java.util.Locale.ROOT,
                  "tuning (%s) within %s",
                  o.protocol().tune() == Tune.AUTO
                      ? "auto: coordinate search"
                      : points.size() + " grid points",
                  o.protocol().tuneBudget() == null ? "no budget" : o.protocol().tuneBudget()));

      // Long ALS runs build deep lineages; checkpoints cut them (StackOverflowError otherwise).
      spark.sparkContext().setCheckpointDir(output.path("_checkpoints"));
      Outcome outcome =
          split.kfold()
              ? kfold(spark, split, points, o, progress)
              : holdout(spark, split, points, o, progress);
      AlsReport report =
          new AlsReport(
              runId,
              split.kfold() ? "kfold" : "holdout",
              split.folds().size(),
              o.selectBy(),
              outcome.selected,
              outcome.grid,
              outcome.test,
              outcome.testStd,
              output.targetDir(),
              outcome.validation,
              outcome.globalTime,
              outcome.leakage,
              outcome.verdict,
              outcome.tuningSample);

      SparkSessions.describe(spark, STAGE, "write model and reports");
      saveModel(outcome.served, output, "");
      if (outcome.served != outcome.heldOut) {
        saveModel(outcome.heldOut, output, AlsOutput.HELD_OUT + "/");
      }
      ObjectNode params =
          AlsOutput.params(
              runId,
              input,
              split.split(),
              split.idMapSource(),
              o,
              outcome.selected,
              outcome.servedOn,
              outcome.served.centring(),
              outcome.served == outcome.heldOut ? null : outcome.heldOutOn,
              outcome.served == outcome.heldOut || outcome.heldOut.centring() == null
                  ? null
                  : outcome.heldOut.centring().globalMean(),
              outcome.verdict);
      AlsOutput.write(output.conf(), output.stagingDir(), params, AlsOutput.metrics(report, o));
      deleteQuietly(output, output.path("_checkpoints"));
      if (jdbc != null) {
        SplitOutput trained = split.split();
        MetricsTableWriter.write(
            jdbc,
            jdbcSchema,
            report,
            o,
            new MetricsTableWriter.Lineage(
                input,
                trained.runId(),
                trained.strategy(),
                context.pipelineRunId(),
                context.datasetNameOr(() -> trained.datasetName(output.conf()))),
            Json.MAPPER.writeValueAsString(params));
      }
      output.commit();
      progress.step("write", "wrote %s", output.targetDir());
      if (!outcome.verdict.alsServed() || !outcome.verdict.alsWon()) {
        LOG.warn("als: {}", outcome.verdict.summary());
      }
      progress.step("verdict", "%s", outcome.verdict.summary());
      return report;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      output.abort();
      throw new IllegalStateException(e);
    } catch (Throwable e) {
      // Spark rethrows task failures as SparkException, a checked exception javac does not see here
      output.abort();
      throw e;
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AlsJob.class);

  /** What the protocols hand back to the writer. */
  private record Outcome(
      Map<String, Double> selected,
      List<GridScore> grid,
      Map<String, Map<String, Double>> validation,
      Map<String, Map<String, Double>> test,
      Map<String, Map<String, Double>> testStd,
      Map<String, Map<String, Double>> globalTime,
      Double leakage,
      Verdict verdict,
      AlsRecommender heldOut,
      String heldOutOn,
      AlsRecommender served,
      String servedOn,
      TuningSample tuningSample) {}

  /**
   * Tune on validation (every point until the budget runs out; baselines scored there too, for the
   * verdict), refit the selected point on train + validation and score it and the baselines once on
   * test; measure the temporal leakage of that protocol and score the same settings on a
   * global-time cut of the same rows; finally refit on everything for serving.
   */
  private static Outcome holdout(
      SparkSession spark,
      SplitInput split,
      List<Map<String, Double>> points,
      AlsOptions o,
      Progress progress) {
    Fold fold = split.folds().get(0);
    List<GridScore> grid = new ArrayList<>();
    Map<String, Map<String, Double>> validationScores = new LinkedHashMap<>();
    boolean globalTimeCheck =
        o.protocol().globalTimeCheck() && !"global-time".equals(split.split().strategy());
    TuningSample sample =
        fold.validation() == null && !globalTimeCheck
            ? TuningSample.none()
            : TuningSample.of(fold.train(), o);
    if (sample.sampled()) {
      List<String> onSample = new ArrayList<>();
      if (fold.validation() != null) {
        if (o.protocol().tune() != Tune.OFF) {
          onSample.add("tuning");
        }
        onSample.add("the verdict");
      }
      if (globalTimeCheck) {
        onSample.add("the global-time comparison");
      }
      progress.info(
          "the train part holds %,d rows, more than --tune-sample-rows %,d: %s on a seeded"
              + " %.1f%% of users (their own rows); the selected settings are refit and scored on"
              + " all rows",
          sample.trainRows(),
          o.protocol().tuneSampleRows(),
          onSample.size() == 1
              ? onSample.get(0)
              : String.join(", ", onSample.subList(0, onSample.size() - 1))
                  + " and "
                  + onSample.get(onSample.size() - 1),
          100 * sample.fraction());
    }
    TrainingSet onTrain = null;
    if (fold.validation() != null) {
      onTrain =
          TrainingSet.of(spark, sample.apply(fold.train()), o, split.userMap(), split.itemMap());
      EvalSet validation = EvalSet.of(sample.apply(fold.validation()), o);
      grid.addAll(tune(spark, onTrain, validation, o, progress));
      SparkSessions.describe(spark, STAGE, "baselines on validation (the verdict's comparison)");
      for (Recommender baseline : rankingBaselines(onTrain, o)) {
        validationScores.put(
            baseline.name(), Evaluation.evaluate(baseline, onTrain, validation, o));
      }
      validation.unpersist();
    }
    Map<String, Double> selected = selected(o, grid, points);
    grid.stream()
        .filter(score -> score.point().equals(selected))
        .findFirst()
        .ifPresent(score -> validationScores.put("als", score.metrics()));
    boolean withValidation = o.refitOnTrainVal() && fold.validation() != null;
    Dataset<Row> heldOutRows =
        withValidation ? fold.train().unionByName(fold.validation()) : fold.train();
    TrainingSet training = onTrain;
    if (onTrain == null || withValidation || sample.sampled()) {
      if (onTrain != null) {
        onTrain.unpersist();
      }
      training = TrainingSet.of(spark, heldOutRows, o, split.userMap(), split.itemMap());
    }
    EvalSet test = EvalSet.of(fold.test(), o);
    SparkSessions.describe(spark, STAGE, "refit " + Grid.label(selected) + " and score on test");
    AlsRecommender als = AlsRecommender.fit(training, o.at(selected));
    Map<String, Map<String, Double>> scores = scoreAll(spark, als, training, test, o);
    progress.step("test", "test: %s", scores.get("als"));
    test.unpersist();

    SparkSessions.describe(spark, STAGE, "temporal leakage of the protocol");
    double leakage = TemporalLeakage.share(heldOutRows, fold.test());
    progress.step(
        "leakage",
        "%.1f%% of the training rows are later than the test row they help predict (mean over test rows)",
        100 * leakage);

    Dataset<Row> all =
        fold.validation() == null
            ? fold.train().unionByName(fold.test())
            : fold.train().unionByName(fold.validation()).unionByName(fold.test());
    Map<String, Map<String, Double>> globalTime = Map.of();
    if (globalTimeCheck) {
      globalTime = globalTime(spark, split, all, fold.test(), sample, selected, o, progress);
    }

    Verdict verdict = Verdict.decide(validationScores, scores, o);
    String heldOutOn = withValidation ? "train+validation" : "train";
    if (!o.protocol().refitOnAll()) {
      return new Outcome(
          selected,
          grid,
          validationScores,
          scores,
          Map.of(),
          globalTime,
          leakage,
          verdict,
          als,
          heldOutOn,
          als,
          heldOutOn,
          sample);
    }
    SparkSessions.describe(spark, STAGE, "refit " + Grid.label(selected) + " on all rows");
    training.unpersist();
    TrainingSet everything = TrainingSet.fitOnly(spark, all, o, split.userMap(), split.itemMap());
    AlsRecommender served = AlsRecommender.fit(everything, o.at(selected));
    progress.step(
        "refit",
        "served model refit on all %s rows (train+validation+test)",
        fold.validation() == null ? "train+test" : "train+validation+test");
    return new Outcome(
        selected,
        grid,
        validationScores,
        scores,
        Map.of(),
        globalTime,
        leakage,
        verdict,
        als,
        heldOutOn,
        served,
        fold.validation() == null ? "train+test" : "train+validation+test",
        sample);
  }

  /**
   * Every point fitted on {@code training} and scored on {@code validation}, in the order {@link
   * AutoTuning} gives, within the budget ({@link #search}).
   */
  private static List<GridScore> tune(
      SparkSession spark,
      TrainingSet training,
      EvalSet validation,
      AlsOptions o,
      Progress progress) {
    return search(
        o,
        progress,
        point -> {
          SparkSessions.describe(spark, STAGE, "grid point " + Grid.label(point));
          AlsRecommender als = AlsRecommender.fit(training, o.at(point));
          Map<String, Double> metrics = Evaluation.evaluate(als, training, validation, o);
          progress.step(
              "grid",
              "%s: %s=%.4f on validation",
              Grid.label(point),
              o.selectBy(),
              metrics.get(o.selectBy()));
          return metrics;
        });
  }

  /**
   * The one tuning loop of both protocols: the points {@link AutoTuning} asks for, each scored by
   * {@code score} and timed, until the search ends or the next point would end after the budget
   * ({@link #wouldOverrun}); the first one always runs.
   */
  private static List<GridScore> search(
      AlsOptions o,
      Progress progress,
      java.util.function.Function<Map<String, Double>, Map<String, Double>> score) {
    java.time.Duration budget = o.protocol().tuneBudget();
    long started = System.nanoTime();
    List<GridScore> grid = new ArrayList<>();
    for (Optional<Map<String, Double>> next = AutoTuning.next(o, grid);
        next.isPresent();
        next = AutoTuning.next(o, grid)) {
      if (wouldOverrun(budget, started, grid)) {
        progress.step(
            "tune",
            "tuning budget %s: another point would end after it (%d tried); the best so far is"
                + " selected",
            budget,
            grid.size());
        break;
      }
      long t0 = System.nanoTime();
      Map<String, Double> metrics = score.apply(next.get());
      grid.add(new GridScore(next.get(), metrics, (System.nanoTime() - t0) / 1e9));
    }
    return grid;
  }

  /** The selected point: where the auto search settled, else the best grid point by the metric. */
  private static Map<String, Double> selected(
      AlsOptions o, List<GridScore> grid, List<Map<String, Double>> points) {
    return o.protocol().tune() == Tune.AUTO && !grid.isEmpty()
        ? AutoTuning.best(o, grid)
        : select(o.protocol().tune() == Tune.OFF ? List.of() : grid, points, o.selectBy());
  }

  /**
   * The same settings under the other protocol: one global time cutoff over all rows (the test
   * share as in the split; above --tune-sample-rows, all rows of the tuning sample's users),
   * trained on everything before it and scored on the users after it who have a history before it
   * (a user first seen after the cutoff is cold start for every model here, and would only dilute
   * the comparison).
   */
  private static Map<String, Map<String, Double>> globalTime(
      SparkSession spark,
      SplitInput split,
      Dataset<Row> allRows,
      Dataset<Row> heldOutTestRows,
      TuningSample sample,
      Map<String, Double> selected,
      AlsOptions o,
      Progress progress) {
    SparkSessions.describe(spark, STAGE, "global-time protocol");
    Dataset<Row> all = sample.apply(allRows);
    Dataset<Row> heldOutTest = sample.apply(heldOutTestRows);
    long total = all.count();
    long testRows = heldOutTest.count();
    if (total == 0 || testRows == 0 || testRows == total) {
      return Map.of();
    }
    double testShare = (double) testRows / total;
    List<java.time.Instant> cutoffs =
        GlobalTimeCutoffs.fromRatios(all, new double[] {1 - testShare, testShare});
    if (cutoffs.isEmpty()) {
      return Map.of();
    }
    org.apache.spark.sql.Column before =
        org.apache
            .spark
            .sql
            .functions
            .unix_micros(org.apache.spark.sql.functions.col(Schema.TS))
            .leq(org.apache.spark.sql.functions.lit(GlobalTimeCutoffs.micros(cutoffs.get(0))));
    Dataset<Row> train = all.where(before);
    Dataset<Row> later = all.where(org.apache.spark.sql.functions.not(before));
    Dataset<Row> warmTest =
        later.join(train.select(Schema.USER_ID).distinct(), Schema.USER_ID, "left_semi").cache();
    if (warmTest.isEmpty()) {
      progress.step(
          "global-time",
          "one cutoff at %s leaves no later rows of known users: nothing to compare",
          cutoffs.get(0));
      warmTest.unpersist();
      return Map.of();
    }
    TrainingSet training = TrainingSet.of(spark, train, o, split.userMap(), split.itemMap());
    EvalSet test = EvalSet.of(warmTest, o);
    AlsRecommender als = AlsRecommender.fit(training, o.at(selected));
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    scores.put("als", Evaluation.evaluate(als, training, test, o));
    for (Recommender baseline : rankingBaselines(training, o)) {
      scores.put(baseline.name(), Evaluation.evaluate(baseline, training, test, o));
    }
    progress.step(
        "global-time",
        "one cutoff at %s%s: als %s=%.4f, most_popular %.4f, recently_popular %.4f",
        cutoffs.get(0),
        sample.sampled()
            ? String.format(
                java.util.Locale.ROOT, " (%.1f%% of users, as tuning)", 100 * sample.fraction())
            : "",
        "ndcg@" + o.k(),
        scores.get("als").getOrDefault("ndcg@" + o.k(), Double.NaN),
        scores.get("most_popular").getOrDefault("ndcg@" + o.k(), Double.NaN),
        scores.get("recently_popular").getOrDefault("ndcg@" + o.k(), Double.NaN));
    test.unpersist();
    training.unpersist();
    return scores;
  }

  /**
   * Every grid point on every fold (selection by the mean), then ALS and baselines per fold: mean
   * and std.
   */
  private static Outcome kfold(
      SparkSession spark,
      SplitInput split,
      List<Map<String, Double>> points,
      AlsOptions o,
      Progress progress) {
    List<TrainingSet> trainings = new ArrayList<>();
    List<EvalSet> tests = new ArrayList<>();
    for (Fold fold : split.folds()) {
      trainings.add(TrainingSet.of(spark, fold.train(), o, split.userMap(), split.itemMap()));
      tests.add(EvalSet.of(fold.test(), o));
    }
    List<GridScore> grid = new ArrayList<>();
    Map<String, List<Map<String, Double>>> alsPerFold = new LinkedHashMap<>();
    AlsRecommender[] firstFold = new AlsRecommender[1];
    grid.addAll(
        search(
            o,
            progress,
            point -> {
              List<Map<String, Double>> perFold = new ArrayList<>();
              for (int i = 0; i < trainings.size(); i++) {
                SparkSessions.describe(
                    spark, STAGE, Grid.label(point) + " on " + split.folds().get(i).name());
                AlsRecommender als = AlsRecommender.fit(trainings.get(i), o.at(point));
                perFold.add(Evaluation.evaluate(als, trainings.get(i), tests.get(i), o));
                if (i == 0 && o.protocol().tune() == Tune.OFF) {
                  firstFold[0] = als;
                }
              }
              alsPerFold.put(Grid.label(point), perFold);
              Map<String, Double> mean = mean(perFold);
              progress.step(
                  "folds",
                  "%s: mean %s=%.4f over %d folds",
                  Grid.label(point),
                  o.selectBy(),
                  mean.get(o.selectBy()),
                  perFold.size());
              return mean;
            }));
    AlsRecommender firstFoldModel = firstFold[0];
    Map<String, Double> selected = selected(o, grid, points);
    if (firstFoldModel == null) {
      firstFoldModel = AlsRecommender.fit(trainings.get(0), o.at(selected));
    }
    Map<String, List<Map<String, Double>>> perModel = new LinkedHashMap<>();
    perModel.put("als", alsPerFold.get(Grid.label(selected)));
    for (int i = 0; i < trainings.size(); i++) {
      SparkSessions.describe(spark, STAGE, "baselines on " + split.folds().get(i).name());
      scoreBaselines(spark, trainings.get(i), tests.get(i), o)
          .forEach(
              (model, metrics) ->
                  perModel.computeIfAbsent(model, m -> new ArrayList<>()).add(metrics));
    }
    Map<String, Map<String, Double>> means = new LinkedHashMap<>();
    Map<String, Map<String, Double>> stds = new LinkedHashMap<>();
    perModel.forEach(
        (model, folds) -> {
          means.put(model, mean(folds));
          stds.put(model, std(folds));
        });
    progress.step("test", "mean over folds: %s", means.get("als"));
    // no validation split: the verdict is the cross-validated comparison
    Verdict verdict = Verdict.decide(Map.of(), means, o);
    String heldOutOn = split.folds().get(0).name() + "/train";
    List<GridScore> tried = o.protocol().tune() == Tune.OFF ? List.of() : grid;
    if (!o.protocol().refitOnAll()) {
      return new Outcome(
          selected,
          tried,
          Map.of(),
          means,
          stds,
          Map.of(),
          null,
          verdict,
          firstFoldModel,
          heldOutOn,
          firstFoldModel,
          heldOutOn,
          TuningSample.none());
    }
    Fold first = split.folds().get(0);
    SparkSessions.describe(spark, STAGE, "refit " + Grid.label(selected) + " on all rows");
    TrainingSet everything =
        TrainingSet.fitOnly(
            spark, first.train().unionByName(first.test()), o, split.userMap(), split.itemMap());
    AlsRecommender served = AlsRecommender.fit(everything, o.at(selected));
    return new Outcome(
        selected,
        tried,
        Map.of(),
        means,
        stds,
        Map.of(),
        null,
        verdict,
        firstFoldModel,
        heldOutOn,
        served,
        "all folds (train+test of " + first.name() + ")",
        TuningSample.none());
  }

  private static Map<String, Map<String, Double>> scoreAll(
      SparkSession spark, AlsRecommender als, TrainingSet training, EvalSet test, AlsOptions o) {
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    scores.put("als", Evaluation.evaluate(als, training, test, o));
    scores.putAll(scoreBaselines(spark, training, test, o));
    return scores;
  }

  private static Map<String, Map<String, Double>> scoreBaselines(
      SparkSession spark, TrainingSet training, EvalSet test, AlsOptions o) {
    List<Recommender> baselines = new ArrayList<>(rankingBaselines(training, o));
    baselines.add(Evaluation.random(spark, training, o.seed()));
    if (o.mode() == AlsOptions.Mode.EXPLICIT) {
      baselines.add(Evaluation.bias(training));
    }
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    for (Recommender baseline : baselines) {
      scores.put(baseline.name(), Evaluation.evaluate(baseline, training, test, o));
    }
    return scores;
  }

  /**
   * Whether the next point would end after the budget, judged by the slowest point so far (a point
   * costs about the same as the others; a larger rank costs more, which the slowest one covers
   * best). The first point always runs: without it there is no model.
   */
  static boolean wouldOverrun(java.time.Duration budget, long startedNanos, List<GridScore> grid) {
    if (budget == null || grid.isEmpty()) {
      return false;
    }
    double slowest = grid.stream().mapToDouble(GridScore::seconds).max().orElse(0);
    double elapsed = (System.nanoTime() - startedNanos) / 1e9;
    return elapsed + slowest > budget.toMillis() / 1000.0;
  }

  /** The baselines ALS must beat on ranking, and the ones the fallback can ship. */
  static List<Recommender> rankingBaselines(TrainingSet training, AlsOptions o) {
    return List.of(
        Evaluation.mostPopular(training),
        Evaluation.recentlyPopular(training, o.protocol().recentDays()));
  }

  /** The best grid point by the metric; the single point when nothing was tuned. */
  static Map<String, Double> select(
      List<GridScore> grid, List<Map<String, Double>> points, String metric) {
    if (grid.isEmpty()) {
      return points.get(0);
    }
    GridScore best = null;
    for (GridScore score : grid) {
      Double value = score.metrics().get(metric);
      if (value == null || value.isNaN()) {
        continue;
      }
      if (best == null
          || (AlsOptions.lowerIsBetter(metric)
              ? value < best.metrics().get(metric)
              : value > best.metrics().get(metric))) {
        best = score;
      }
    }
    RecdataException.checkInput(
        best != null,
        "no grid point has a value for --select-by %s (empty validation set?)",
        metric);
    return best.point();
  }

  static Map<String, Double> mean(List<Map<String, Double>> folds) {
    Map<String, Double> mean = new LinkedHashMap<>();
    for (String metric : folds.get(0).keySet()) {
      mean.put(
          metric,
          folds.stream()
              .mapToDouble(m -> m.getOrDefault(metric, Double.NaN))
              .average()
              .orElse(Double.NaN));
    }
    return mean;
  }

  /** Sample standard deviation (n - 1); 0 with a single fold. */
  static Map<String, Double> std(List<Map<String, Double>> folds) {
    Map<String, Double> mean = mean(folds);
    Map<String, Double> std = new LinkedHashMap<>();
    for (String metric : mean.keySet()) {
      double m = mean.get(metric);
      double squares =
          folds.stream()
              .mapToDouble(f -> Math.pow(f.getOrDefault(metric, Double.NaN) - m, 2))
              .sum();
      std.put(metric, folds.size() < 2 ? 0.0 : Math.sqrt(squares / (folds.size() - 1)));
    }
    return std;
  }

  /** The model and, when centred, its biases, under {@code prefix} of the output folder. */
  private static void saveModel(AlsRecommender als, AtomicOutput output, String prefix) {
    String path = output.path(prefix + AlsOutput.MODEL);
    try {
      als.model().write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the ALS model to " + path, e);
    }
    BiasModel centring = als.centring();
    if (centring != null) {
      // the saved factors predict residuals: serving needs these to turn them into ratings
      centring.userBias().write().parquet(output.path(prefix + AlsOutput.USER_BIASES));
      centring.itemBias().write().parquet(output.path(prefix + AlsOutput.ITEM_BIASES));
    }
  }

  private static void deleteQuietly(AtomicOutput output, String path) {
    try {
      Path p = new Path(path);
      p.getFileSystem(output.conf()).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
