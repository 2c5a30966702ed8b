package dev.recdata.als;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.als.AlsReport.GridScore;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Versions;
import dev.recdata.splits.SplitOutput;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The ALS output contract: {@code model/} (MLlib), {@code biases/{users,items}} when centred,
 * {@code params.json} (recognised by its {@code "stage"}) and {@code metrics.json}, directly in the
 * ALS folder. Only this class knows the layout and the keys; export reads a model through {@link
 * #read}.
 *
 * @param dir the ALS folder
 * @param idMaps the etl folder whose id maps the model was trained with, or a note that it built
 *     its own index
 * @param mode {@code explicit} or {@code implicit}
 * @param globalMean the bias model's global mean when the factors predict residuals, else null
 * @param modelParams the effective ALS parameters, carried into export's lineage as they are
 * @param recommendationsFrom {@code als}, or the baseline whose recommendations ship because ALS
 *     lost to it on validation ({@link Verdict}); {@code als} for outputs written before the
 *     verdict
 * @param recentDays the recently-popular baseline's window, for an export that ships it
 * @param modelTrainedOn which rows the model in this folder was fit on ({@code
 *     train+validation+test} for a served model refit on everything)
 */
public record AlsOutput(
    String dir,
    int formatVersion,
    String runId,
    String idMaps,
    String mode,
    long seed,
    Double globalMean,
    JsonNode modelParams,
    String recommendationsFrom,
    int recentDays,
    String modelTrainedOn) {

  public static final String STAGE = "als";
  public static final String PARAMS = "params.json";
  public static final String METRICS = "metrics.json";
  public static final String MODEL = "model";
  public static final String USER_BIASES = "biases/users";
  public static final String ITEM_BIASES = "biases/items";

  /**
   * The model the test scores came from (fit on train, or train + validation), beside the served
   * {@link #MODEL} that is refit on all the data: anything scored on held-out rows (the export's
   * evaluation batches) must use this one, never the served model, which has seen the test rows.
   * Same layout as the served model: {@code model/} and, when centred, {@code biases/}.
   */
  public static final String HELD_OUT = "heldout";

  /** 1: before params.json carried a version; 2: with {@code format_version}, same layout. */
  public static final int FORMAT_VERSION = 2;

  /**
   * An ALS output is recognised by its params.json: only such a folder (or an empty one) is ever
   * replaced.
   */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, PARAMS);

  private static final String RUN_ID = "run_id";
  private static final String OWN_INDEX = "built over train, ordered by id";

  public String model() {
    return new Path(dir, MODEL).toString();
  }

  public String userBiases() {
    return new Path(dir, USER_BIASES).toString();
  }

  public String itemBiases() {
    return new Path(dir, ITEM_BIASES).toString();
  }

  /**
   * The held-out model's folder ({@code heldout/model}, {@code heldout/biases/...}), or null when
   * this output has none (written before the served model was refit on all the data: then {@link
   * #model()} is itself the held-out model).
   */
  public AlsOutput heldOut(Configuration conf) {
    Path heldOut = new Path(dir, HELD_OUT);
    if (!HadoopPaths.exists(conf, new Path(heldOut, MODEL))) {
      return null;
    }
    // the held-out model was fit on less data: its bias model has a global mean of its own
    JsonNode params = ManifestFile.readIfStage(conf, new Path(dir), PARAMS, STAGE);
    JsonNode mean = params == null ? null : params.path(HELD_OUT).get("global_mean");
    return new AlsOutput(
        heldOut.toString(),
        formatVersion,
        runId,
        idMaps,
        mode,
        seed,
        mean == null || mean.isNull() ? null : mean.asDouble(),
        modelParams,
        recommendationsFrom,
        recentDays,
        params == null ? null : params.path(HELD_OUT).path("trained_on").asText(null));
  }

  /**
   * Whether the export ships ALS's own recommendations (else a baseline's: see {@link Verdict}).
   */
  public boolean servesAls() {
    return Verdict.ALS.equals(recommendationsFrom);
  }

  /**
   * Whether the factors index users and items through etl's id maps (else through an index of their
   * own).
   */
  public boolean trainedOnEtlIdMaps() {
    return !idMaps.startsWith("built over train");
  }

  /**
   * Whether the factors predict residuals of the bias model, whose biases are saved beside them.
   */
  public boolean centred(Configuration conf) {
    return globalMean != null
        && HadoopPaths.exists(conf, userBiases())
        && HadoopPaths.exists(conf, itemBiases());
  }

  /**
   * The ALS output at {@code path}, or in {@code path/als} (a pipeline run folder, or a folder
   * given to {@code als --out} before it wrote into --out itself); null when neither holds one.
   */
  public static AlsOutput readIfPresent(Configuration conf, String path) {
    for (Path dir : List.of(new Path(path), new Path(path, STAGE))) {
      JsonNode params = ManifestFile.readIfStage(conf, dir, PARAMS, STAGE);
      if (params != null && HadoopPaths.exists(conf, new Path(dir, MODEL))) {
        int version = ManifestFile.version(params, new Path(dir, PARAMS), STAGE, FORMAT_VERSION);
        JsonNode biases = params.path("biases");
        return new AlsOutput(
            dir.toString(),
            version,
            params.path(RUN_ID).asText(null),
            params.path("input").path("id_maps").asText(""),
            params.path("options").path("mode").asText("unknown").toLowerCase(Locale.ROOT),
            params.path("options").path("seed").asLong(0L),
            biases.hasNonNull("global_mean") ? biases.get("global_mean").asDouble() : null,
            params.get("model_params"),
            params.path("serve").path("recommendations_from").asText(Verdict.ALS),
            params.path("serve").path("recent_days").asInt(30),
            params.path("model_trained_on").asText(null));
      }
    }
    return null;
  }

  /** {@link #readIfPresent}, with exit 2 saying what {@code path} holds instead. */
  public static AlsOutput read(Configuration conf, String path, String option) {
    AlsOutput output = readIfPresent(conf, path);
    RecdataException.checkInput(
        output != null,
        "%s %s holds no ALS output (expected %s and %s/ written by als; it %s)",
        option,
        path,
        PARAMS,
        MODEL,
        ManifestFile.whatIsAt(conf, new Path(path)));
    return output;
  }

  /**
   * params.json: what was trained on what, and how.
   *
   * @param idMapSource the etl folder whose id maps were used, or null when the model built its own
   *     index
   */
  static ObjectNode params(
      String runId,
      String input,
      SplitOutput split,
      String idMapSource,
      AlsOptions o,
      Map<String, Double> selected,
      String trainedOn,
      BiasModel centring,
      String heldOutTrainedOn,
      Double heldOutGlobalMean,
      Verdict verdict) {
    ObjectNode params = ManifestFile.start(STAGE, FORMAT_VERSION);
    params.put(RUN_ID, runId);
    ObjectNode in = params.putObject("input");
    in.put("path", input);
    in.put("upstream_run_id", split.runId());
    in.put("strategy", split.strategy());
    in.put("id_maps", idMapSource == null ? OWN_INDEX : idMapSource);
    ObjectNode options = Json.MAPPER.valueToTree(o);
    options.put("grid", o.grid().toString());
    params.set("options", options);
    params.set("selected", Json.MAPPER.valueToTree(selected));
    ObjectNode effective = Json.MAPPER.valueToTree(o.at(selected));
    effective.remove("grid");
    params.set("model_params", effective);
    params.put("model_trained_on", trainedOn);
    if (heldOutTrainedOn != null) {
      ObjectNode heldOut = params.putObject(HELD_OUT);
      heldOut.put("model", HELD_OUT + "/" + MODEL);
      heldOut.put("trained_on", heldOutTrainedOn);
      heldOut.put(
          "note",
          "the model every metric in metrics.json comes from; model/ was refit on all rows after"
              + " the test score was recorded and must not be scored on them");
      if (heldOutGlobalMean != null) {
        heldOut.put("global_mean", heldOutGlobalMean);
      }
    }
    ObjectNode serve = params.putObject("serve");
    serve.put("recommendations_from", verdict.served());
    serve.put("als_won", verdict.alsWon());
    serve.put("decided_on", verdict.decidedOn());
    serve.put("fallback", verdict.fallback().name().toLowerCase(Locale.ROOT));
    serve.put("recent_days", o.protocol().recentDays());
    serve.put("summary", verdict.summary());
    params.put(
        "model_predicts",
        o.centerByBiases()
            ? "residuals of the bias model (global_mean + user_bias + item_bias); add them back for ratings"
            : o.mode() == AlsOptions.Mode.EXPLICIT ? "ratings" : "implicit preference scores");
    if (centring != null) {
      ObjectNode biases = params.putObject("biases");
      biases.put("global_mean", centring.globalMean());
      biases.put("damping", o.biasDamping());
      biases.put("users", USER_BIASES);
      biases.put("items", ITEM_BIASES);
    }
    params.put("relevance", "test items liked or rated >= " + o.positiveThreshold());
    params.set("versions", Versions.asJson());
    return params;
  }

  /**
   * metrics.json: the grid, the test scores of ALS and the baselines, and whether ALS beat them.
   */
  static ObjectNode metrics(AlsReport report, AlsOptions o) {
    ObjectNode json = Json.object();
    json.put(RUN_ID, report.runId());
    json.put("mode", o.mode().name().toLowerCase(Locale.ROOT));
    json.put("protocol", report.protocol());
    json.put("folds", report.folds());
    json.put("k", o.k());
    json.put("select_by", report.selectBy());
    json.put("selected", Grid.label(report.selectedPoint()));
    json.put("tune_points", report.grid().size());
    json.put(
        "tune_seconds",
        Math.round(report.grid().stream().mapToDouble(GridScore::seconds).sum() * 10) / 10.0);
    var grid = json.putArray("grid");
    for (GridScore score : report.grid()) {
      ObjectNode point = grid.addObject();
      point.put("label", score.label());
      point.set("params", Json.MAPPER.valueToTree(score.point()));
      point.put("seconds", Math.round(score.seconds() * 10) / 10.0);
      point.set(
          report.protocol().equals("kfold") ? "cross_validation_mean" : "validation",
          Json.MAPPER.valueToTree(score.metrics()));
    }
    json.put(
        "tune",
        o.protocol().tune().name().toLowerCase(Locale.ROOT)
            + (o.protocol().tuneBudget() == null ? "" : ", budget " + o.protocol().tuneBudget()));
    ObjectNode protocols = json.putObject("protocols");
    String ranking =
        "full catalogue: every item seen in training is a candidate, items the user saw in"
            + " training are excluded, top "
            + o.k()
            + "; relevant = test items liked or rated >= "
            + o.positiveThreshold()
            + "; ties broken by the smaller item id";
    protocols.put(
        "test",
        ranking
            + "; "
            + (report.protocol().equals("kfold")
                ? "mean over folds, model fit on each fold's train"
                : "model fit on the split's "
                    + (o.refitOnTrainVal() ? "train + validation" : "train")
                    + ", scored on its test"));
    TuningSample sample = report.tuningSample();
    boolean sampled = sample != null && sample.sampled();
    if (!report.validation().isEmpty()) {
      protocols.put(
          "validation",
          ranking
              + (sampled
                  ? String.format(
                      java.util.Locale.ROOT,
                      "; model fit on the train rows of a seeded %.2f%% of users (the train part's"
                          + " %d rows are more than --tune-sample-rows), scored on the same users'"
                          + " validation rows (tuning, verdict)",
                      100 * sample.fraction(),
                      sample.trainRows())
                  : "; model fit on train, scored on validation (tuning, verdict)"));
      json.set("validation", Json.MAPPER.valueToTree(report.validation()));
    }
    if (sampled) {
      ObjectNode tuning = json.putObject("tuning_sample");
      tuning.put("user_fraction", sample.fraction());
      tuning.put("train_rows", sample.trainRows());
      tuning.put("seed", sample.seed());
    }
    protocols.put("rmse", "explicit mode: rated test pairs, predictions clipped to the scale");
    json.set("test", Json.MAPPER.valueToTree(report.test()));
    if (!report.globalTime().isEmpty()) {
      protocols.put(
          "test_global_time",
          ranking
              + "; one time cutoff over all the split's rows"
              + (sampled ? " of the tuning sample's users (tuning_sample)" : "")
              + " with the same test share, fit on everything before it, scored on the later rows"
              + " of users with a history before it");
      json.set("test_global_time", Json.MAPPER.valueToTree(report.globalTime()));
    }
    if (report.temporalLeakage() != null) {
      json.put("temporal_leakage_share", report.temporalLeakage());
      protocols.put(
          "temporal_leakage_share",
          "mean over test rows of the share of training rows (train + validation when refit) later"
              + " than the test row (Ji, Sun et al., ACM TOIS 2023); 0 under a global time cutoff");
    }
    ObjectNode verdict = json.putObject("verdict");
    verdict.put("metric", report.verdict().metric());
    verdict.put("decided_on", report.verdict().decidedOn());
    verdict.put("als", report.verdict().als());
    verdict.put("best_baseline", report.verdict().bestBaseline());
    verdict.put("best_baseline_score", report.verdict().baseline());
    verdict.put("als_won", report.verdict().alsWon());
    verdict.put("served", report.verdict().served());
    verdict.put("summary", report.verdict().summary());
    if (!report.testStd().isEmpty()) {
      json.set("test_std", Json.MAPPER.valueToTree(report.testStd()));
    }
    json.set(
        "als_improvement_over_baselines",
        Json.MAPPER.valueToTree(report.improvementOverBaselines()));
    json.put("als_beats_baselines", report.alsBeatsBaselines(o.k()));
    return json;
  }

  /** Writes params.json and metrics.json into {@code dir}, beside the model. */
  static void write(Configuration conf, String dir, ObjectNode params, ObjectNode metrics) {
    Json.write(conf, new Path(dir, PARAMS).toString(), params);
    Json.write(conf, new Path(dir, METRICS).toString(), metrics);
  }
}
