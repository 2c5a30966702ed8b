package dev.recdata.als;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsReport.GridScore;
import dev.recdata.als.Evaluation.EvalSet;
import dev.recdata.als.SplitReader.Fold;
import dev.recdata.als.SplitReader.SplitInput;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Json;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import dev.recdata.common.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
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
    String runId = RunIds.newRunId();
    Progress progress = new Progress(STAGE);
    // Before the input is read: an output folder recdata may not replace stops the run here.
    AtomicOutput output =
        AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, runId, AlsOutput.OWNER);
    try {
      SparkSessions.describe(spark, STAGE, "read split " + input);
      SplitInput split = SplitReader.read(spark, input);
      List<Map<String, Double>> points = o.grid().points();
      Fold first = split.folds().get(0);
      RecdataException.checkInput(
          points.size() == 1 || split.kfold() || first.validation() != null,
          "--grid has %d points but %s has no validation split to choose between them",
          points.size(),
          input);
      progress.step(
          "read",
          "read %s split from %s (%d fold%s)",
          split.kfold() ? "k-fold" : "holdout",
          input,
          split.folds().size(),
          split.folds().size() == 1 ? "" : "s");

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
              output.targetDir());

      SparkSessions.describe(spark, STAGE, "write model and reports");
      saveModel(outcome.model, output.path(AlsOutput.MODEL));
      BiasModel centring = outcome.model.centring();
      if (centring != null) {
        // the saved factors predict residuals: serving needs these to turn them into ratings
        centring.userBias().write().parquet(output.path(AlsOutput.USER_BIASES));
        centring.itemBias().write().parquet(output.path(AlsOutput.ITEM_BIASES));
      }
      ObjectNode params =
          AlsOutput.params(
              runId,
              input,
              split.split(),
              split.idMapSource(),
              o,
              outcome.selected,
              outcome.trainedOn,
              centring);
      AlsOutput.write(output.conf(), output.stagingDir(), params, AlsOutput.metrics(report, o));
      deleteQuietly(output, output.path("_checkpoints"));
      if (jdbc != null) {
        MetricsTableWriter.write(
            jdbc, jdbcSchema, report, o, input, Json.MAPPER.writeValueAsString(params));
      }
      output.commit();
      progress.step(
          "write",
          "wrote %s (ALS %s baselines)",
          output.targetDir(),
          report.alsBeatsBaselines(o.k()) ? "beats" : "does NOT beat");
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

  /** What the protocols hand back to the writer. */
  private record Outcome(
      Map<String, Double> selected,
      List<GridScore> grid,
      Map<String, Map<String, Double>> test,
      Map<String, Map<String, Double>> testStd,
      AlsRecommender model,
      String trainedOn) {}

  /** Grid on validation, refit on train (+ validation), score once on test. */
  private static Outcome holdout(
      SparkSession spark,
      SplitInput split,
      List<Map<String, Double>> points,
      AlsOptions o,
      Progress progress) {
    Fold fold = split.folds().get(0);
    List<GridScore> grid = new ArrayList<>();
    TrainingSet onTrain = TrainingSet.of(spark, fold.train(), o, split.userMap(), split.itemMap());
    if (points.size() > 1) {
      EvalSet validation = EvalSet.of(fold.validation(), o);
      for (Map<String, Double> point : points) {
        SparkSessions.describe(spark, STAGE, "grid point " + Grid.label(point));
        AlsRecommender als = AlsRecommender.fit(onTrain, o.at(point));
        grid.add(new GridScore(point, Evaluation.evaluate(als, onTrain, validation, o)));
        progress.step(
            "grid",
            "%s: %s=%.4f on validation",
            Grid.label(point),
            o.selectBy(),
            grid.get(grid.size() - 1).metrics().get(o.selectBy()));
      }
      validation.unpersist();
    }
    Map<String, Double> selected = select(grid, points, o.selectBy());
    boolean withValidation = o.refitOnTrainVal() && fold.validation() != null;
    TrainingSet training = onTrain;
    if (withValidation) {
      onTrain.unpersist();
      training =
          TrainingSet.of(
              spark,
              fold.train().unionByName(fold.validation()),
              o,
              split.userMap(),
              split.itemMap());
    }
    EvalSet test = EvalSet.of(fold.test(), o);
    SparkSessions.describe(spark, STAGE, "refit " + Grid.label(selected) + " and score on test");
    AlsRecommender als = AlsRecommender.fit(training, o.at(selected));
    Map<String, Map<String, Double>> scores = scoreAll(spark, als, training, test, o);
    progress.step("test", "test: %s", scores.get("als"));
    return new Outcome(
        selected, grid, scores, Map.of(), als, withValidation ? "train+validation" : "train");
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
    AlsRecommender firstFoldModel = null;
    for (Map<String, Double> point : points) {
      List<Map<String, Double>> perFold = new ArrayList<>();
      for (int i = 0; i < trainings.size(); i++) {
        SparkSessions.describe(
            spark, STAGE, Grid.label(point) + " on " + split.folds().get(i).name());
        AlsRecommender als = AlsRecommender.fit(trainings.get(i), o.at(point));
        perFold.add(Evaluation.evaluate(als, trainings.get(i), tests.get(i), o));
        if (i == 0 && points.size() == 1) {
          firstFoldModel = als;
        }
      }
      alsPerFold.put(Grid.label(point), perFold);
      grid.add(new GridScore(point, mean(perFold)));
      progress.step(
          "folds",
          "%s: mean %s=%.4f over %d folds",
          Grid.label(point),
          o.selectBy(),
          grid.get(grid.size() - 1).metrics().get(o.selectBy()),
          perFold.size());
    }
    Map<String, Double> selected =
        select(points.size() > 1 ? grid : List.of(), points, o.selectBy());
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
    return new Outcome(
        selected,
        points.size() > 1 ? grid : List.of(),
        means,
        stds,
        firstFoldModel,
        split.folds().get(0).name() + "/train");
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
    List<Recommender> baselines =
        new ArrayList<>(
            List.of(
                Evaluation.mostPopular(training), Evaluation.random(spark, training, o.seed())));
    if (o.mode() == AlsOptions.Mode.EXPLICIT) {
      baselines.add(Evaluation.bias(training));
    }
    Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
    for (Recommender baseline : baselines) {
      scores.put(baseline.name(), Evaluation.evaluate(baseline, training, test, o));
    }
    return scores;
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

  private static void saveModel(AlsRecommender als, String path) {
    try {
      als.model().write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the ALS model to " + path, e);
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
