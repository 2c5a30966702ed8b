package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.quality.QualityOutput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed from run A to run B, from their pipeline.json files alone: the options that differ
 * per stage, row counts and test metrics with their deltas, the quality verdict and the model
 * chosen. {@link #text} is for people (only what changed, plus the numbers a user always wants),
 * {@link #json} for programs (every count and metric, changed or not).
 *
 * @param options the options that differ, per stage
 * @param counts every row count either run recorded, per stage
 * @param metrics every test metric either run recorded, per recommender
 * @param model the model verdict's fields that differ ({@code selected}, {@code served}, ...)
 */
record RunDiff(
    Side a,
    Side b,
    List<Change> options,
    List<CountChange> counts,
    List<MetricChange> metrics,
    List<Change> model) {

  /** One run as the diff names it. */
  record Side(
      String runId,
      String status,
      String error,
      String finishedAt,
      String from,
      String to,
      String baseRunId,
      List<String> inputs,
      String idMapVersion,
      RunManifest.Quality quality) {
    /**
     * The same inputs: the same paths, or each run's generated sample (a path in its own folder).
     */
    boolean sameInputs(Side other) {
      return inputs.equals(other.inputs) || ownSample(this).equals(ownSample(other));
    }

    private static List<String> ownSample(Side side) {
      return side.inputs.stream().map(i -> i.replace(side.runId, "<run>")).toList();
    }
  }

  /**
   * A value that differs: an option ({@code group} the stage, {@code name} its path in the options
   * record, null when the stage's options are recorded in one run only) or a field of the model
   * verdict ({@code group} {@code model}); {@code a} or {@code b} null where the run has none.
   */
  record Change(String group, String name, JsonNode a, JsonNode b) {}

  record CountChange(String stage, String count, Long a, Long b) {
    Long delta() {
      return a == null || b == null ? null : b - a;
    }
  }

  record MetricChange(String recommender, String metric, Double a, Double b) {
    Double delta() {
      return a == null || b == null ? null : b - a;
    }
  }

  static RunDiff of(
      RunsFolder.RunFolder a, RunOutputs aOutputs, RunsFolder.RunFolder b, RunOutputs bOutputs) {
    RunManifest am = a.manifest();
    RunManifest bm = b.manifest();
    ModelSummary.Recorded aModel = am.modelVerdict();
    ModelSummary.Recorded bModel = bm.modelVerdict();
    return new RunDiff(
        side(a, aOutputs),
        side(b, bOutputs),
        options(am, bm),
        counts(aOutputs.counts(), bOutputs.counts()),
        metrics(aModel, bModel),
        model(aModel, bModel));
  }

  private static Side side(RunsFolder.RunFolder run, RunOutputs outputs) {
    RunManifest m = run.manifest();
    return new Side(
        run.id(),
        run.statusLabel(),
        m.error(),
        m.finishedAt(),
        m.from(),
        m.to(),
        m.baseRunId(),
        m.inputs(),
        m.idMapVersion(),
        outputs.quality());
  }

  private static List<Change> options(RunManifest a, RunManifest b) {
    // an option the run took from its own clock (etl's default --max-ts) differs in any two runs
    Set<String> fromClock = new TreeSet<>(a.optionsFromClock());
    fromClock.retainAll(b.optionsFromClock());
    List<Change> changes = new ArrayList<>();
    for (String stage : union(a.options(), b.options())) {
      JsonNode aStage = a.options().get(stage);
      JsonNode bStage = b.options().get(stage);
      if (aStage == null || bStage == null) {
        changes.add(new Change(stage, null, aStage, bStage));
        continue;
      }
      Map<String, JsonNode> aLeaves = leaves(aStage, "");
      Map<String, JsonNode> bLeaves = leaves(bStage, "");
      Set<String> paths = new LinkedHashSet<>(aLeaves.keySet());
      paths.addAll(bLeaves.keySet());
      for (String path : paths) {
        if (!fromClock.contains(stage + "." + path)
            && !Objects.equals(aLeaves.get(path), bLeaves.get(path))) {
          changes.add(new Change(stage, path, aLeaves.get(path), bLeaves.get(path)));
        }
      }
    }
    return changes;
  }

  private static List<CountChange> counts(JsonNode a, JsonNode b) {
    List<CountChange> counts = new ArrayList<>();
    JsonNode aCounts = a == null ? Json.object() : a;
    JsonNode bCounts = b == null ? Json.object() : b;
    for (String stage : union(aCounts, bCounts)) {
      Map<String, JsonNode> aLeaves = leaves(aCounts.path(stage), "");
      Map<String, JsonNode> bLeaves = leaves(bCounts.path(stage), "");
      Set<String> paths = new LinkedHashSet<>(aLeaves.keySet());
      paths.addAll(bLeaves.keySet());
      for (String path : paths) {
        counts.add(
            new CountChange(stage, path, number(aLeaves.get(path)), number(bLeaves.get(path))));
      }
    }
    return counts;
  }

  private static Long number(JsonNode value) {
    return value != null && value.isIntegralNumber() ? value.asLong() : null;
  }

  private static List<MetricChange> metrics(ModelSummary.Recorded a, ModelSummary.Recorded b) {
    Map<String, Map<String, Double>> aTest = a == null ? Map.of() : a.test();
    Map<String, Map<String, Double>> bTest = b == null ? Map.of() : b.test();
    Set<String> recommenders = new LinkedHashSet<>(aTest.keySet());
    recommenders.addAll(bTest.keySet());
    List<MetricChange> metrics = new ArrayList<>();
    for (String recommender : recommenders) {
      Map<String, Double> aMetrics = aTest.getOrDefault(recommender, Map.of());
      Map<String, Double> bMetrics = bTest.getOrDefault(recommender, Map.of());
      Set<String> names = new LinkedHashSet<>(aMetrics.keySet());
      names.addAll(bMetrics.keySet());
      for (String metric : names) {
        metrics.add(
            new MetricChange(recommender, metric, aMetrics.get(metric), bMetrics.get(metric)));
      }
    }
    return metrics;
  }

  private static List<Change> model(ModelSummary.Recorded a, ModelSummary.Recorded b) {
    Map<String, JsonNode> aFields = modelFields(a);
    Map<String, JsonNode> bFields = modelFields(b);
    List<Change> changes = new ArrayList<>();
    for (String field : aFields.keySet()) {
      if (!Objects.equals(aFields.get(field), bFields.get(field))) {
        changes.add(new Change("model", field, aFields.get(field), bFields.get(field)));
      }
    }
    return changes;
  }

  private static Map<String, JsonNode> modelFields(ModelSummary.Recorded model) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("mode", model == null ? null : Json.MAPPER.valueToTree(model.mode()));
    fields.put("selected", model == null ? null : Json.MAPPER.valueToTree(model.selected()));
    fields.put("served", model == null ? null : Json.MAPPER.valueToTree(model.served()));
    fields.put(
        "best_baseline", model == null ? null : Json.MAPPER.valueToTree(model.bestBaseline()));
    fields.put("als_won", model == null ? null : Json.MAPPER.valueToTree(model.alsWon()));
    return fields;
  }

  /** Object leaves by dotted path; arrays are leaves (ratios, formats), compared whole. */
  private static Map<String, JsonNode> leaves(JsonNode node, String prefix) {
    Map<String, JsonNode> leaves = new LinkedHashMap<>();
    if (node == null || node.isMissingNode()) {
      return leaves;
    }
    if (!node.isObject()) {
      leaves.put(prefix, node);
      return leaves;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      leaves.putAll(leaves(field.getValue(), path));
    }
    return leaves;
  }

  private static Set<String> union(JsonNode a, JsonNode b) {
    Set<String> names = new LinkedHashSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    return names;
  }

  // ---- text ----

  private static final String ROW = "  %-34s %s%n";

  /** For people: what changed, with the counts that changed and every test metric. */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "A %s%n", header(a)));
    out.append(String.format(Locale.ROOT, "B %s%n", header(b)));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "inputs",
            a.sameInputs(b) ? "same " + a.inputs : a.inputs + " -> " + b.inputs));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "id_map_version",
            Objects.equals(a.idMapVersion, b.idMapVersion)
                ? "same " + orDash(a.idMapVersion)
                : orDash(a.idMapVersion) + " -> " + orDash(b.idMapVersion)));

    out.append(String.format(Locale.ROOT, "options (A -> B)%n"));
    if (options.isEmpty()) {
      out.append(String.format(Locale.ROOT, "  same%n"));
    }
    for (Change change : options) {
      if (change.name() == null) {
        out.append(
            String.format(
                Locale.ROOT,
                ROW,
                change.group(),
                "recorded in " + (change.a() == null ? "B" : "A") + " only"));
      } else {
        out.append(
            String.format(
                Locale.ROOT,
                ROW,
                change.group() + "." + change.name(),
                value(change.a()) + " -> " + value(change.b())));
      }
    }

    out.append(String.format(Locale.ROOT, "counts (A -> B, change)%n"));
    Map<String, List<CountChange>> byStage = new LinkedHashMap<>();
    counts.forEach(c -> byStage.computeIfAbsent(c.stage(), stage -> new ArrayList<>()).add(c));
    long unchanged = 0;
    boolean anyShown = false;
    for (Map.Entry<String, List<CountChange>> stage : byStage.entrySet()) {
      String onlyIn =
          onlyIn(
              stage.getValue().stream().allMatch(c -> c.a() == null),
              stage.getValue().stream().allMatch(c -> c.b() == null));
      if (onlyIn != null) {
        out.append(String.format(Locale.ROOT, ROW, stage.getKey(), onlyIn));
        anyShown = true;
        continue;
      }
      for (CountChange count : stage.getValue()) {
        if (Objects.equals(count.a(), count.b())) {
          unchanged++;
          continue;
        }
        out.append(
            String.format(
                Locale.ROOT,
                ROW,
                count.stage() + "." + count.count(),
                change(count(count.a()), count(count.b()), countDelta(count))));
        anyShown = true;
      }
    }
    if (byStage.isEmpty()) {
      out.append(String.format(Locale.ROOT, "  none recorded%n"));
    } else if (unchanged > 0) {
      out.append(
          String.format(Locale.ROOT, "  %s %d the same%n", anyShown ? "and" : "all", unchanged));
    }

    out.append(String.format(Locale.ROOT, "test metrics (A -> B, change)%n"));
    String metricsOnlyIn =
        onlyIn(
            metrics.stream().allMatch(m -> m.a() == null),
            metrics.stream().allMatch(m -> m.b() == null));
    if (metrics.isEmpty()) {
      out.append(String.format(Locale.ROOT, "  none recorded%n"));
    } else if (metricsOnlyIn != null) {
      out.append(String.format(Locale.ROOT, "  %s%n", metricsOnlyIn));
    } else {
      for (MetricChange metric : metrics) {
        out.append(
            String.format(
                Locale.ROOT,
                ROW,
                metric.recommender() + " " + metric.metric(),
                change(
                    score(metric.a()),
                    score(metric.b()),
                    metric.delta() == null
                        ? ""
                        : String.format(Locale.ROOT, "%+.4f", metric.delta()))));
      }
    }

    out.append(String.format(Locale.ROOT, "quality (A -> B)%n"));
    out.append(
        String.format(
            Locale.ROOT,
            ROW,
            "status",
            qualityStatus(a.quality) + " -> " + qualityStatus(b.quality)));
    appendChecks(out, "now failing", failing(b.quality), failing(a.quality));
    appendChecks(out, "no longer failing", failing(a.quality), failing(b.quality));
    appendChecks(out, "now warning", warning(b.quality), warning(a.quality));
    appendChecks(out, "no longer warning", warning(a.quality), warning(b.quality));

    out.append(String.format(Locale.ROOT, "model (A -> B)%n"));
    String modelOnlyIn =
        onlyIn(
            model.stream().allMatch(c -> c.a() == null),
            model.stream().allMatch(c -> c.b() == null));
    if (model.isEmpty()) {
      // no field differs: both runs have the same verdict, or neither has one (no metrics either)
      out.append(
          String.format(Locale.ROOT, "  %s%n", metrics.isEmpty() ? "none recorded" : "same"));
    } else if (modelOnlyIn != null) {
      out.append(String.format(Locale.ROOT, "  %s%n", modelOnlyIn));
    } else {
      for (Change change : model) {
        out.append(
            String.format(
                Locale.ROOT, ROW, change.name(), value(change.a()) + " -> " + value(change.b())));
      }
    }
    return out.toString();
  }

  /** "recorded in A only" when B has none of a section, and the other way round; else null. */
  private static String onlyIn(boolean noneInA, boolean noneInB) {
    if (noneInA == noneInB) {
      return null;
    }
    return "recorded in " + (noneInA ? "B" : "A") + " only";
  }

  private static String header(Side side) {
    return String.format(
        Locale.ROOT,
        "%s  %s, finished %s, %s%s",
        side.runId,
        side.status,
        side.finishedAt == null ? "-" : RunLine.seconds(side.finishedAt),
        stages(side),
        side.error == null ? "" : System.lineSeparator() + "  error: " + side.error);
  }

  private static String stages(Side side) {
    String stages =
        side.from == null
            ? "stages unknown"
            : side.from + ".." + (side.to == null ? "export" : side.to);
    return side.baseRunId == null ? stages : stages + ", earlier stages from " + side.baseRunId;
  }

  private static void appendChecks(
      StringBuilder out, String label, Map<String, String> in, Map<String, String> notIn) {
    in.forEach(
        (check, message) -> {
          if (!notIn.containsKey(check)) {
            out.append(String.format(Locale.ROOT, ROW, label + ": " + check, message));
          }
        });
  }

  private static Map<String, String> failing(RunManifest.Quality quality) {
    return checks(quality == null ? List.of() : quality.failing());
  }

  private static Map<String, String> warning(RunManifest.Quality quality) {
    return checks(quality == null ? List.of() : quality.warning());
  }

  private static Map<String, String> checks(List<QualityOutput.Check> checks) {
    Map<String, String> byName = new LinkedHashMap<>();
    checks.forEach(c -> byName.put(c.check(), c.message()));
    return byName;
  }

  private static String qualityStatus(RunManifest.Quality quality) {
    if (quality == null) {
      return "-";
    }
    return quality.status() + (quality.gateFailed() ? " (gate failed)" : "");
  }

  private static String value(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(absent)";
    }
    return value.isTextual() ? value.asText() : value.toString();
  }

  /** {@code A -> B change}, the numbers right-aligned so a column of them reads down. */
  private static String change(String a, String b, String delta) {
    return String.format(Locale.ROOT, "%11s -> %11s  %s", a, b, delta).stripTrailing();
  }

  private static String count(Long value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%,d", value);
  }

  private static String countDelta(CountChange count) {
    Long delta = count.delta();
    if (delta == null) {
      return "";
    }
    String relative =
        count.a() == 0 ? "" : String.format(Locale.ROOT, " (%+.1f%%)", 100.0 * delta / count.a());
    return String.format(Locale.ROOT, "%+,d%s", delta, relative);
  }

  private static String score(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  // ---- JSON ----

  /**
   * For programs: both runs, the options that differ, and every count and metric with its delta.
   */
  ObjectNode json() {
    ObjectNode json = Json.object();
    json.set("a", side(a));
    json.set("b", side(b));
    json.put("same_inputs", a.sameInputs(b));
    json.put("same_id_maps", Objects.equals(a.idMapVersion, b.idMapVersion));
    ArrayNode optionArray = json.putArray("options");
    for (Change change : options) {
      ObjectNode entry = optionArray.addObject();
      entry.put("stage", change.group());
      entry.put("option", change.name());
      entry.set("a", change.a());
      entry.set("b", change.b());
    }
    ArrayNode countArray = json.putArray("counts");
    for (CountChange count : counts) {
      countArray
          .addObject()
          .put("stage", count.stage())
          .put("count", count.count())
          .put("a", count.a())
          .put("b", count.b())
          .put("delta", count.delta());
    }
    ArrayNode metricArray = json.putArray("metrics");
    for (MetricChange metric : metrics) {
      metricArray
          .addObject()
          .put("recommender", metric.recommender())
          .put("metric", metric.metric())
          .put("a", metric.a())
          .put("b", metric.b())
          .put("delta", metric.delta());
    }
    ArrayNode modelArray = json.putArray("model");
    for (Change change : model) {
      ObjectNode entry = modelArray.addObject();
      entry.put("field", change.name());
      entry.set("a", change.a());
      entry.set("b", change.b());
    }
    return json;
  }

  private static ObjectNode side(Side side) {
    ObjectNode json = Json.object();
    json.put("run_id", side.runId);
    json.put("status", side.status);
    json.put("error", side.error);
    json.put("finished_at", side.finishedAt);
    json.put("from", side.from);
    json.put("to", side.to);
    json.put("base_run_id", side.baseRunId);
    json.putPOJO("inputs", side.inputs);
    json.put("id_map_version", side.idMapVersion);
    json.set("quality", side.quality == null ? null : side.quality.json());
    return json;
  }
}
