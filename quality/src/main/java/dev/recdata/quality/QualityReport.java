package dev.recdata.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Versions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one quality run found: the checks, the metrics, and the small histograms behind the
 * charts. It is what report.json, report.html and the PostgreSQL tables are written from.
 *
 * @param runId this quality run: the checked split's (or etl's) run_id, so checking the same split
 *     again replaces the run instead of adding one (or {@code --run-id})
 * @param pipelineRunId the {@code recdata pipeline} run that ran this check ({@link
 *     dev.recdata.common.RunContext#pipelineRunId}), null when quality ran on its own: the one
 *     value behind report.json's {@code pipeline_run_id}, report.html's header and the tables'
 *     {@code pipeline_run_id} column
 * @param dataset the stable name of the dataset checked ({@code ml-100k}), not its path
 * @param input what was checked
 * @param status {@code fail} if a check failed, else {@code warn} if one warned, else {@code pass}
 */
public record QualityReport(
    String runId,
    String pipelineRunId,
    String dataset,
    CheckedInput input,
    String status,
    FailOn failOn,
    Instant startedAt,
    Instant finishedAt,
    List<CheckResult> checks,
    List<MetricValue> metrics,
    List<FractionBin> fractionBins,
    List<ChartPoint> chartPoints) {

  /**
   * The folder a quality run checked and the facts of its manifests the tables keep as columns.
   *
   * @param path the checked folder, as given
   * @param kind {@link QualityInput#SPLIT} or {@link QualityInput#ETL}
   * @param upstreamRunId run_id of the split (or etl) manifest that was checked
   * @param etlRunId the etl run the split was cut from (or the checked etl run), null when unknown
   * @param strategy the split strategy, null for an etl folder
   * @param ratios target ratio by part ({@code train} to 0.7, ...), empty when the split has none
   * @param folds folds of a k-fold split, null otherwise
   */
  public record CheckedInput(
      String path,
      String kind,
      String upstreamRunId,
      String etlRunId,
      String strategy,
      Map<String, Double> ratios,
      Integer folds) {
    public CheckedInput {
      ratios = ratios == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ratios));
    }

    /** The facts of {@code in}, read from {@code path}. */
    static CheckedInput of(String path, QualityInput in) {
      Map<String, Double> ratios = new LinkedHashMap<>();
      List<String> parts = in.groups().get(0).parts();
      if (in.ratios().length == parts.size()) {
        for (int i = 0; i < parts.size(); i++) {
          ratios.put(parts.get(i), in.ratios()[i]);
        }
      }
      return new CheckedInput(
          path, in.kind(), in.upstreamRunId(), in.etlRunId(), in.strategy(), ratios, in.folds());
    }
  }

  public String kind() {
    return input.kind();
  }

  public String strategy() {
    return input.strategy();
  }

  public String upstreamRunId() {
    return input.upstreamRunId();
  }

  /**
   * One bin of the per-user split fraction histogram: users whose fraction of {@code split} is in
   * the bin.
   */
  public record FractionBin(String split, double binLower, double binUpper, long users) {}

  /** One bar or point of a report chart (already aggregated: a bin, a rating or a day). */
  public record ChartPoint(String chart, String series, String x, double y) {}

  public static final String CHART_INTERACTIONS_PER_USER = "interactions_per_user";
  public static final String CHART_USER_FRACTIONS = "user_fractions";
  public static final String CHART_RATINGS = "ratings";
  public static final String CHART_EVENTS_PER_DAY = "events_per_day";

  /** True when a check's status stops the pipeline under {@link #failOn}. */
  public boolean gateFailed() {
    return checks.stream().anyMatch(c -> failOn.gates(c.status()));
  }

  /** The checks that stop the pipeline under {@link #failOn}. */
  public List<CheckResult> gatingChecks() {
    return checks.stream().filter(c -> failOn.gates(c.status())).toList();
  }

  public CheckResult check(String name) {
    return checks.stream()
        .filter(c -> c.check().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check " + name + " in " + checks));
  }

  /** The value of a metric, or NaN when it was not computed. */
  public double metric(String split, String metric) {
    return metrics.stream()
        .filter(m -> m.split().equals(split) && m.metric().equals(metric))
        .mapToDouble(MetricValue::value)
        .findFirst()
        .orElse(Double.NaN);
  }

  static String statusOf(List<CheckResult> checks) {
    if (checks.stream().anyMatch(c -> c.status() == Status.FAIL)) {
      return Status.FAIL.label();
    }
    if (checks.stream().anyMatch(c -> c.status() == Status.WARN)) {
      return Status.WARN.label();
    }
    return Status.PASS.label();
  }

  /**
   * report.json: run facts, checks, metrics and histograms; NaN (skipped checks) is written as
   * null.
   */
  public ObjectNode toJson() {
    ObjectNode root = QualityOutput.start(runId);
    root.put("pipeline_run_id", pipelineRunId);
    root.put("upstream_run_id", input.upstreamRunId());
    root.put("etl_run_id", input.etlRunId());
    root.put("dataset", dataset);
    root.put("input", input.path());
    root.put("kind", input.kind());
    root.put("strategy", input.strategy());
    ObjectNode ratioNode = root.putObject("ratios");
    input.ratios().forEach(ratioNode::put);
    if (input.folds() == null) {
      root.putNull("folds");
    } else {
      root.put("folds", input.folds());
    }
    root.put("status", status);
    root.put("fail_on", failOn.name().toLowerCase(Locale.ROOT));
    root.put("gate_failed", gateFailed());
    root.put("started_at", startedAt.toString());
    root.put("finished_at", finishedAt.toString());
    root.set("versions", Versions.asJson());
    ArrayNode checkArray = root.putArray("checks");
    for (CheckResult c : checks) {
      ObjectNode node = checkArray.addObject();
      node.put("check", c.check());
      node.put("level", c.level().name());
      node.put("status", c.status().label());
      putNumber(node, "observed", c.observed());
      putNumber(node, "threshold", c.threshold());
      node.put("message", c.message());
    }
    ArrayNode metricArray = root.putArray("metrics");
    for (MetricValue m : metrics) {
      ObjectNode node = metricArray.addObject();
      node.put("dataset", m.dataset());
      node.put("split", m.split());
      node.put("metric", m.metric());
      putNumber(node, "value", m.value());
    }
    ArrayNode bins = root.putArray("user_fraction_histogram");
    for (FractionBin b : fractionBins) {
      ObjectNode node = bins.addObject();
      node.put("split", b.split());
      node.put("bin_lower", b.binLower());
      node.put("bin_upper", b.binUpper());
      node.put("users", b.users());
    }
    ArrayNode charts = root.putArray("charts");
    for (ChartPoint p : chartPoints) {
      ObjectNode node = charts.addObject();
      node.put("chart", p.chart());
      node.put("series", p.series());
      node.put("x", p.x());
      node.put("y", p.y());
    }
    return root;
  }

  /**
   * The report {@link #toJson()} wrote, read back (report.html is re-rendered from it after ALS in
   * a pipeline run); a key report.json did not have yet reads as null, a null number as NaN.
   */
  static QualityReport fromJson(JsonNode root) {
    List<CheckResult> checks = new ArrayList<>();
    for (JsonNode c : root.path("checks")) {
      checks.add(
          new CheckResult(
              c.path("check").asText(),
              Level.valueOf(c.path("level").asText()),
              Status.valueOf(c.path("status").asText().toUpperCase(Locale.ROOT)),
              number(c.get("observed")),
              number(c.get("threshold")),
              c.path("message").asText(null)));
    }
    List<MetricValue> metrics = new ArrayList<>();
    for (JsonNode m : root.path("metrics")) {
      metrics.add(
          new MetricValue(
              m.path("dataset").asText(null),
              m.path("split").asText(),
              m.path("metric").asText(),
              number(m.get("value"))));
    }
    List<FractionBin> bins = new ArrayList<>();
    for (JsonNode b : root.path("user_fraction_histogram")) {
      bins.add(
          new FractionBin(
              b.path("split").asText(),
              b.path("bin_lower").asDouble(),
              b.path("bin_upper").asDouble(),
              b.path("users").asLong()));
    }
    List<ChartPoint> charts = new ArrayList<>();
    for (JsonNode p : root.path("charts")) {
      charts.add(
          new ChartPoint(
              p.path("chart").asText(),
              p.path("series").asText(),
              p.path("x").asText(),
              p.path("y").asDouble()));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("ratios").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> ratio = it.next();
      ratios.put(ratio.getKey(), ratio.getValue().asDouble());
    }
    JsonNode folds = root.get("folds");
    // report.json before schema v2 had no "input": its "dataset" was the checked folder.
    String path = root.has("input") ? root.path("input").asText(null) : null;
    CheckedInput input =
        new CheckedInput(
            path != null ? path : root.path("dataset").asText(null),
            root.path("kind").asText(null),
            root.path("upstream_run_id").asText(null),
            root.path("etl_run_id").asText(null),
            root.path("strategy").asText(null),
            ratios,
            folds == null || folds.isNull() ? null : folds.asInt());
    return new QualityReport(
        root.path("run_id").asText(null),
        root.path("pipeline_run_id").asText(null),
        root.path("dataset").asText(null),
        input,
        root.path("status").asText(null),
        FailOn.parse(root.path("fail_on").asText("fail")),
        Instant.parse(root.path("started_at").asText()),
        Instant.parse(root.path("finished_at").asText()),
        checks,
        metrics,
        bins,
        charts);
  }

  private static double number(JsonNode value) {
    return value == null || value.isNull() ? Double.NaN : value.asDouble();
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
