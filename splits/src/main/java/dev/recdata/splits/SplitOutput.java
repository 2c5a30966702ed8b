package dev.recdata.splits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.DatasetNames;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.OutputOwner;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema.Layout;
import dev.recdata.common.Versions;
import dev.recdata.etl.EtlOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The split output contract: {@code train/}, {@code validation/}, {@code test/} (or {@code
 * fold=i/{train,test}}), optional {@code sequences/}, and {@code manifest.json}, all directly in
 * the split folder. Only this class knows the layout and the manifest's keys; quality, als, export
 * and the pipeline read a split through {@link #read}.
 *
 * <p>Format 1 (before manifests carried a version) kept the parts one level down, in {@code
 * splits/}; such folders, and a folder that holds a split in {@code splits/} (a pipeline run
 * folder), are still read.
 *
 * @param dir the split folder (holding the manifest)
 * @param groups the holdout split as one group named "", or one group per fold ({@code fold=i}) in
 *     fold order
 * @param counts the manifest's row counts, which quality stores as metrics as they are; null
 *     without a manifest
 */
public record SplitOutput(
    String dir,
    int formatVersion,
    String runId,
    String strategy,
    double[] ratios,
    int minInteractions,
    List<Instant> cutoffs,
    String inputPath,
    String upstreamRunId,
    JsonNode counts,
    boolean kfold,
    List<Group> groups) {

  public static final String STAGE = "split";
  public static final String MANIFEST = Layout.MANIFEST;

  /**
   * 1: parts in {@code splits/}, no version in the manifest; 2: parts in the split folder itself.
   */
  public static final int FORMAT_VERSION = 2;

  public static final String SEQUENCES = "sequences";

  /**
   * An output is recognised by its manifest: only such a folder (or an empty one) is ever replaced.
   */
  public static final OutputOwner OWNER = OutputOwner.of(STAGE, MANIFEST);

  private static final String RUN_ID = "run_id";
  private static final String FOLD_PREFIX = "fold=";
  private static final Pattern FOLD = Pattern.compile("fold=(\\d+)");

  /**
   * One train/evaluation pair in {@code folder}; a part the split does not have ({@code validation}
   * in two-way and k-fold splits) is null.
   */
  public record Group(String name, String folder, String train, String validation, String test) {
    /** The parts present, in the order train, validation, test, with their folders. */
    public Map<String, String> parts() {
      Map<String, String> parts = new LinkedHashMap<>();
      if (train != null) {
        parts.put(Layout.TRAIN, train);
      }
      if (validation != null) {
        parts.put(Layout.VALIDATION, validation);
      }
      if (test != null) {
        parts.put(Layout.TEST, test);
      }
      return parts;
    }
  }

  /** {@code train} etc. relative to the split folder, where the split stage writes them. */
  public static String partPath(String part) {
    return part;
  }

  /** {@code fold=i/train} etc. relative to the split folder. */
  public static String foldPartPath(int fold, String part) {
    return FOLD_PREFIX + fold + "/" + part;
  }

  /** {@code sequences/FILE} relative to the split folder. */
  public static String sequencesPath(String file) {
    return SEQUENCES + "/" + file;
  }

  /**
   * Rows the split's parts hold together (input minus impressions), from the manifest; null without
   * one.
   */
  public Long expectedRows() {
    if (counts == null || !counts.hasNonNull("input")) {
      return null;
    }
    return counts.get("input").asLong() - counts.path("impressions_excluded").asLong(0);
  }

  /**
   * The etl output this split was cut from, when its manifest names one this machine can read; else
   * null.
   */
  public EtlOutput upstreamEtl(Configuration conf) {
    if (inputPath == null) {
      return null;
    }
    try {
      return EtlOutput.readIfPresent(conf, inputPath);
    } catch (RuntimeException e) {
      // The split may have read a raw file or a path this machine cannot reach; the etl output is
      // optional here.
      return null;
    }
  }

  /**
   * The dataset this split was cut from, for the tables dashboards group runs by: the etl output's
   * ({@link EtlOutput#datasetName}) when it is readable, else named after the split's input or, for
   * a split without a manifest, this folder.
   */
  public String datasetName(Configuration conf) {
    EtlOutput etl = upstreamEtl(conf);
    if (etl != null) {
      return etl.datasetName();
    }
    return DatasetNames.fromPath(inputPath != null ? inputPath : dir);
  }

  /** Folds of a k-fold split, null for a holdout split. */
  public Integer folds() {
    return kfold ? groups.size() : null;
  }

  /**
   * The first group's train and test, the holdout split export needs; exit 2 for a k-fold split.
   */
  public Group holdout(String option) {
    RecdataException.checkInput(
        !kfold && groups.get(0).train() != null && groups.get(0).test() != null,
        "%s %s is a %s split without train/ and test/: export needs a train/validation/test split (k-fold"
            + " splits are not exported)",
        option,
        dir,
        kfold ? "k-fold" : "holdout");
    return groups.get(0);
  }

  /** Whether {@code path} holds a split output (or a folder with one in {@code splits/}). */
  public static boolean isAt(Configuration conf, String path) {
    return locate(conf, new Path(path)) != null;
  }

  /**
   * The split at {@code path}: a split folder of any format, or a folder holding one in {@code
   * splits/} (a pipeline run folder). Exit 2 saying what {@code path} holds when it is neither, and
   * for a manifest newer than this build.
   */
  public static SplitOutput read(Configuration conf, String path, String option) {
    Located at = locate(conf, new Path(path));
    RecdataException.checkInput(
        at != null,
        "%s %s holds no split output (expected %s with train/ or fold=i/ written by split; it %s)",
        option,
        path,
        MANIFEST,
        ManifestFile.whatIsAt(conf, new Path(path)));
    JsonNode manifest = at.manifest;
    int version =
        manifest == null
            ? at.version
            : ManifestFile.version(manifest, new Path(at.dir, MANIFEST), STAGE, FORMAT_VERSION);
    Path root = version == 1 ? new Path(at.dir, Layout.SPLITS) : at.dir;
    List<Group> groups = new ArrayList<>();
    boolean kfold = !HadoopPaths.exists(conf, new Path(root, Layout.TRAIN));
    if (!kfold) {
      groups.add(group(conf, "", root));
    } else {
      for (Path fold : folds(conf, root)) {
        groups.add(group(conf, fold.getName(), fold));
      }
      RecdataException.checkInput(
          !groups.isEmpty(),
          "%s has neither train/ nor fold=i/ folders: not a split written by split",
          root);
    }
    List<Instant> cutoffs = new ArrayList<>();
    double[] ratios = null;
    if (manifest != null && manifest.path("ratios").isArray()) {
      JsonNode r = manifest.get("ratios");
      ratios = new double[r.size()];
      for (int i = 0; i < r.size(); i++) {
        ratios[i] = r.get(i).asDouble();
      }
    }
    if (manifest != null && manifest.path("cutoffs").isArray()) {
      for (JsonNode c : manifest.get("cutoffs")) {
        cutoffs.add(parseInstant(c.asText(), new Path(at.dir, MANIFEST)));
      }
    }
    return new SplitOutput(
        at.dir.toString(),
        version,
        text(manifest, RUN_ID),
        text(manifest, "strategy"),
        ratios,
        manifest == null ? 0 : manifest.path("min_interactions").asInt(0),
        List.copyOf(cutoffs),
        manifest == null ? null : text(manifest.path("input"), "path"),
        manifest == null ? null : text(manifest.path("input"), "upstream_run_id"),
        manifest == null ? null : manifest.get("counts"),
        kfold,
        List.copyOf(groups));
  }

  /**
   * Where a split is found from {@code path}, its manifest (null for a hand-made split) and layout
   * version.
   */
  private record Located(Path dir, JsonNode manifest, int version) {}

  private static Located locate(Configuration conf, Path path) {
    for (Path dir : List.of(path, new Path(path, Layout.SPLITS))) {
      JsonNode manifest = ManifestFile.readIfStage(conf, dir, MANIFEST, STAGE);
      if (manifest != null) {
        return new Located(dir, manifest, 0);
      }
    }
    // Without a manifest (parts written by hand, or by another tool): the layout says the version.
    if (hasParts(conf, new Path(path, Layout.SPLITS))) {
      return new Located(path, null, 1);
    }
    if (hasParts(conf, path)) {
      return new Located(path, null, FORMAT_VERSION);
    }
    return null;
  }

  private static boolean hasParts(Configuration conf, Path root) {
    return HadoopPaths.exists(conf, new Path(root, Layout.TRAIN)) || !folds(conf, root).isEmpty();
  }

  private static Group group(Configuration conf, String name, Path folder) {
    return new Group(
        name,
        folder.toString(),
        present(conf, new Path(folder, Layout.TRAIN)),
        present(conf, new Path(folder, Layout.VALIDATION)),
        present(conf, new Path(folder, Layout.TEST)));
  }

  private static String present(Configuration conf, Path part) {
    return HadoopPaths.exists(conf, part) ? part.toString() : null;
  }

  private static List<Path> folds(Configuration conf, Path root) {
    if (!HadoopPaths.exists(conf, root)) {
      return List.of();
    }
    try {
      List<Path> folds = new ArrayList<>();
      for (FileStatus status : root.getFileSystem(conf).listStatus(root)) {
        if (status.isDirectory() && FOLD.matcher(status.getPath().getName()).matches()) {
          folds.add(status.getPath());
        }
      }
      folds.sort(Comparator.comparingInt(SplitOutput::foldNumber));
      return folds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static int foldNumber(Path fold) {
    Matcher m = FOLD.matcher(fold.getName());
    return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  private static String text(JsonNode node, String field) {
    return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
  }

  /**
   * ISO-8601 with or without an offset; without one the time is UTC, like the session time zone.
   */
  static Instant parseInstant(String value, Path file) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw RecdataException.badInput(
            "cutoff %s in %s is not ISO-8601: expected e.g. 2024-01-31T00:00:00Z", value, file);
      }
    }
  }

  /**
   * Writes {@code dir/manifest.json} for the split {@code summary} describes. Every key is always
   * present; options that do not apply to the strategy are {@code null}, and so are
   * train/validation/test for a k-fold split, whose rows are counted per fold.
   *
   * @param upstream the etl output the interactions came from, or null
   */
  static ObjectNode write(
      Configuration conf,
      String dir,
      SplitSummary summary,
      SplitOptions options,
      EtlOutput upstream,
      String inputPath,
      JsonNode inMemoryEtl,
      Map<String, Double> secondsPerStep,
      double totalSeconds) {
    Strategy strategy = options.strategy();
    ObjectNode manifest = ManifestFile.start(STAGE, FORMAT_VERSION);
    manifest.put(RUN_ID, summary.runId());
    manifest.put("created_at", Instant.now().toString());
    manifest.put("strategy", strategy.cliName());
    double[] ratios = options.ratios();
    if (ratios == null) {
      manifest.putNull("ratios");
    } else {
      ArrayNode array = manifest.putArray("ratios");
      for (double ratio : ratios) {
        array.add(ratio);
      }
    }
    putOrNull(manifest, "k", strategy == Strategy.LEAVE_LAST, options.k());
    putOrNull(manifest, "seed", strategy.isRandom(), options.seed());
    putOrNull(manifest, "folds", strategy == Strategy.KFOLD, options.folds());
    manifest.put("min_interactions", options.minInteractions());
    manifest.put("group_by", options.groupBy().cliName());
    if (strategy == Strategy.GLOBAL_TIME) {
      ArrayNode cutoffs = manifest.putArray("cutoffs");
      summary.cutoffs().forEach(cutoff -> cutoffs.add(cutoff.toString()));
    } else {
      manifest.putNull("cutoffs");
    }
    manifest.put("text_format", options.sequences() ? "sequences" : null);
    ObjectNode input = manifest.putObject("input");
    input.put("path", inputPath);
    input.put("upstream_run_id", upstream == null ? null : upstream.runId());
    input.put("upstream_stage", upstream == null ? null : EtlOutput.STAGE);
    // raw files: what etl run in memory read, rejected (in OUT/rejects/) and removed; else null
    manifest.set("in_memory_etl", inMemoryEtl);
    ObjectNode counts = manifest.putObject("counts");
    counts.put("input", summary.input());
    counts.put("impressions_excluded", summary.impressionsExcluded());
    counts.put("train", summary.train());
    counts.put("validation", summary.validation());
    counts.put("test", summary.test());
    counts.put("users", summary.users());
    String group = summary.groupBy().cliName();
    if (summary.groupBy() != GroupBy.USER) {
      counts.put(group + "s", summary.groups());
    }
    counts.put(group + "s_below_min_interactions", summary.groupsBelowMin());
    ArrayNode folds = manifest.putArray("folds_counts");
    for (SplitSummary.FoldCount fold : summary.folds()) {
      ObjectNode node = folds.addObject();
      node.put("fold", fold.fold());
      node.put("train", fold.train());
      node.put("test", fold.test());
    }
    manifest.set("versions", Versions.asJson());
    ObjectNode seconds = manifest.putObject("seconds");
    secondsPerStep.forEach(seconds::put);
    seconds.put("total", totalSeconds);
    Json.write(conf, new Path(dir, MANIFEST).toString(), manifest);
    return manifest;
  }

  private static void putOrNull(ObjectNode node, String key, boolean applies, long value) {
    if (applies) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }
}
