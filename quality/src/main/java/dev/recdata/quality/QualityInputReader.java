package dev.recdata.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the quality stage checks: a split folder ({@code splits/train|validation|test} or
 * {@code splits/fold=i/train|test}, plus {@code manifest.json}) or an etl folder ({@code interactions} plus
 * {@code manifest.json}). Reads only; the checks live in {@link Checks}.
 */
public final class QualityInputReader {
  private QualityInputReader() {}

  private static final String[] PARTS = {
    Schema.Layout.TRAIN, Schema.Layout.VALIDATION, Schema.Layout.TEST
  };

  public static QualityInput read(SparkSession spark, String dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    JsonNode manifest = Json.readIfExists(conf, new Path(root, Schema.Layout.MANIFEST).toString());
    Path splits = new Path(root, Schema.Layout.SPLITS);
    if (HadoopPaths.exists(conf, splits)) {
      return readSplit(spark, conf, dir, splits, manifest);
    }
    Path interactions = new Path(root, Schema.Layout.INTERACTIONS);
    if (HadoopPaths.exists(conf, interactions)) {
      Dataset<Row> rows = readParts(spark, interactions.toString()).withColumn(Metrics.SPLIT, lit(Metrics.ALL));
      return new QualityInput(
          QualityInput.ETL,
          dir,
          manifest,
          text(manifest, "run_id"),
          null,
          new double[0],
          0,
          List.of(),
          null,
          null,
          List.of(new QualityInput.Group("", List.of(Metrics.ALL), rows)));
    }
    throw RecdataException.badInput(
        "%s is neither a split folder nor an etl folder: expected %s/ (from split) or %s/ (from etl) in it",
        dir, Schema.Layout.SPLITS, Schema.Layout.INTERACTIONS);
  }

  private static QualityInput readSplit(
      SparkSession spark, Configuration conf, String dir, Path splits, JsonNode manifest) {
    List<QualityInput.Group> groups = new ArrayList<>();
    List<Path> folds = folds(conf, splits);
    if (folds.isEmpty()) {
      groups.add(group(spark, conf, "", splits));
    } else {
      for (Path fold : folds) {
        groups.add(group(spark, conf, fold.getName(), fold));
      }
    }
    JsonNode counts = manifest == null ? null : manifest.get("counts");
    Long expected = null;
    if (counts != null && counts.hasNonNull("input")) {
      expected = counts.get("input").asLong() - counts.path("impressions_excluded").asLong(0);
    }
    double[] ratios = new double[0];
    if (manifest != null && manifest.path("ratios").isArray()) {
      JsonNode r = manifest.get("ratios");
      ratios = new double[r.size()];
      for (int i = 0; i < r.size(); i++) {
        ratios[i] = r.get(i).asDouble();
      }
    }
    List<Instant> cutoffs = new ArrayList<>();
    if (manifest != null && manifest.path("cutoffs").isArray()) {
      for (JsonNode c : manifest.get("cutoffs")) {
        cutoffs.add(parseInstant(c.asText(), dir));
      }
    }
    JsonNode etlManifest = null;
    String inputPath = manifest == null ? null : text(manifest.path("input"), "path");
    if (inputPath != null) {
      try {
        etlManifest = Json.readIfExists(conf, new Path(inputPath, Schema.Layout.MANIFEST).toString());
      } catch (RuntimeException e) {
        // The split may have read a raw file or a path this machine cannot reach; the etl counts are optional.
        etlManifest = null;
      }
    }
    return new QualityInput(
        QualityInput.SPLIT,
        dir,
        manifest,
        text(manifest, "run_id"),
        text(manifest, "strategy"),
        ratios,
        manifest == null ? 0 : manifest.path("min_interactions").asInt(0),
        cutoffs,
        expected,
        etlManifest,
        groups);
  }

  private static QualityInput.Group group(
      SparkSession spark, Configuration conf, String name, Path folder) {
    List<String> parts = new ArrayList<>();
    Dataset<Row> tagged = null;
    for (String part : PARTS) {
      Path path = new Path(folder, part);
      if (!HadoopPaths.exists(conf, path)) {
        continue;
      }
      parts.add(part);
      Dataset<Row> rows = readParts(spark, path.toString()).withColumn(Metrics.SPLIT, lit(part));
      tagged = tagged == null ? rows : tagged.unionByName(rows);
    }
    RecdataException.checkInput(
        parts.contains(Schema.Layout.TRAIN) && parts.size() >= 2,
        "split folder %s has parts %s: expected %s and at least one of %s, %s",
        folder,
        parts,
        Schema.Layout.TRAIN,
        Schema.Layout.VALIDATION,
        Schema.Layout.TEST);
    return new QualityInput.Group(name, parts, tagged);
  }

  /** Reads one Parquet folder and keeps the canonical columns, failing with the folder name if one is missing. */
  private static Dataset<Row> readParts(SparkSession spark, String path) {
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw RecdataException.badInput(e, "cannot read Parquet folder %s: %s", path, e.getMessage());
    }
    List<String> present = Arrays.asList(rows.columns());
    List<Column> columns = new ArrayList<>();
    for (var field : Schema.INTERACTIONS.fields()) {
      RecdataException.checkInput(
          present.contains(field.name()),
          "Parquet folder %s has columns %s: expected the canonical column %s",
          path,
          present,
          field.name());
      columns.add(col(field.name()).cast(field.dataType()).as(field.name()));
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  private static List<Path> folds(Configuration conf, Path splits) {
    try {
      FileSystem fs = splits.getFileSystem(conf);
      List<Path> folds = new ArrayList<>();
      for (FileStatus status : fs.listStatus(splits)) {
        if (status.isDirectory() && status.getPath().getName().startsWith("fold=")) {
          folds.add(status.getPath());
        }
      }
      folds.sort((a, b) -> Integer.compare(foldIndex(a), foldIndex(b)));
      return folds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + splits, e);
    }
  }

  private static int foldIndex(Path fold) {
    try {
      return Integer.parseInt(fold.getName().substring("fold=".length()));
    } catch (NumberFormatException e) {
      throw RecdataException.badInput("fold folder %s: expected fold=<number>", fold);
    }
  }


  private static String text(JsonNode node, String field) {
    return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
  }

  /** ISO-8601 with or without an offset; without one the time is UTC, like the session time zone. */
  static Instant parseInstant(String value, String dir) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw RecdataException.badInput(
            "cutoff %s in %s/manifest.json is not ISO-8601: expected e.g. 2024-01-31T00:00:00Z", value, dir);
      }
    }
  }
}
