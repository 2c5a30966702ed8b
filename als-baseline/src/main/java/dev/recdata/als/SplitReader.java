package dev.recdata.als;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a folder written by {@code split}: {@code splits/{train,validation,test}} or {@code
 * splits/fold=i/{train,test}}, its manifest, and the etl id maps when the manifest's input holds them.
 */
final class SplitReader {
  private SplitReader() {}

  private static final Pattern FOLD = Pattern.compile("fold=(\\d+)");

  /** One train/test pair; {@code validation} is null in k-fold splits or when the split has none. */
  record Fold(String name, Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test) {}

  /** The split folder's content; the id maps are null when the etl output is not reachable. */
  record SplitInput(
      List<Fold> folds, boolean kfold, JsonNode manifest, Dataset<Row> userMap, Dataset<Row> itemMap, String idMapSource) {}

  static SplitInput read(SparkSession spark, String input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(input);
    Path splits = new Path(root, Layout.SPLITS);
    RecdataException.checkInput(
        HadoopPaths.exists(conf, splits), "no split folder in %s: expected %s/{train,validation,test} or %s/fold=i/{train,test} (run split first)",
        input, splits, splits);
    JsonNode manifest = Json.readIfExists(conf, new Path(root, Layout.MANIFEST).toString());
    List<Fold> folds = new ArrayList<>();
    boolean kfold;
    if (HadoopPaths.exists(conf, new Path(splits, Layout.TRAIN))) {
      kfold = false;
      Path validation = new Path(splits, Layout.VALIDATION);
      folds.add(
          new Fold(
              "holdout",
              parquet(spark, conf, new Path(splits, Layout.TRAIN)),
              HadoopPaths.exists(conf, validation) ? parquet(spark, conf, validation) : null,
              parquet(spark, conf, new Path(splits, Layout.TEST))));
    } else {
      kfold = true;
      List<FileStatus> foldDirs = new ArrayList<>();
      try {
        FileSystem fs = splits.getFileSystem(conf);
        for (FileStatus status : fs.listStatus(splits)) {
          if (status.isDirectory() && FOLD.matcher(status.getPath().getName()).matches()) {
            foldDirs.add(status);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + splits, e);
      }
      RecdataException.checkInput(
          !foldDirs.isEmpty(), "%s has neither train/ nor fold=i/ folders: not a split written by split", splits);
      foldDirs.sort(Comparator.comparingInt(SplitReader::foldNumber));
      for (FileStatus dir : foldDirs) {
        folds.add(
            new Fold(
                dir.getPath().getName(),
                parquet(spark, conf, new Path(dir.getPath(), Layout.TRAIN)),
                null,
                parquet(spark, conf, new Path(dir.getPath(), Layout.TEST))));
      }
    }
    Dataset<Row> userMap = null;
    Dataset<Row> itemMap = null;
    String idMapSource = null;
    String etl = manifest == null ? null : manifest.path("input").path("path").asText(null);
    if (etl != null
        && HadoopPaths.exists(conf, new Path(etl, Layout.USER_MAP))
        && HadoopPaths.exists(conf, new Path(etl, Layout.ITEM_MAP))) {
      userMap = spark.read().parquet(new Path(etl, Layout.USER_MAP).toString()).select(Schema.USER_ID, Schema.USER_IDX);
      itemMap = spark.read().parquet(new Path(etl, Layout.ITEM_MAP).toString()).select(Schema.ITEM_ID, Schema.ITEM_IDX);
      idMapSource = etl;
    }
    return new SplitInput(folds, kfold, manifest, userMap, itemMap, idMapSource);
  }

  private static int foldNumber(FileStatus status) {
    Matcher m = FOLD.matcher(status.getPath().getName());
    return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  private static Dataset<Row> parquet(SparkSession spark, Configuration conf, Path path) {
    RecdataException.checkInput(HadoopPaths.exists(conf, path), "missing split part %s", path);
    Dataset<Row> rows = spark.read().parquet(path.toString());
    for (String column : Schema.INTERACTIONS.fieldNames()) {
      RecdataException.checkInput(
          List.of(rows.columns()).contains(column),
          "%s has no column %s: expected the canonical interactions columns %s",
          path, column, List.of(Schema.INTERACTIONS.fieldNames()));
    }
    return rows.select(
        rows.col(Schema.USER_ID).cast("bigint").as(Schema.USER_ID),
        rows.col(Schema.ITEM_ID).cast("bigint").as(Schema.ITEM_ID),
        rows.col(Schema.RATING).cast("float").as(Schema.RATING),
        rows.col(Schema.TS),
        rows.col(Schema.EVENT),
        rows.col(Schema.SOURCE));
  }

}
