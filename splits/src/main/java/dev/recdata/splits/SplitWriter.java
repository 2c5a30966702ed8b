package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes tagged rows into the staged split folder: Parquet per split (or per fold and role) and, on
 * request, SASRec-style sequence files. All paths are inside the {@link AtomicOutput} staging
 * folder.
 */
final class SplitWriter {
  private SplitWriter() {}

  static final String SEQUENCES = SplitOutput.SEQUENCES;
  // Not dot- or underscore-prefixed: Spark skips such paths when reading the counts back.
  private static final String TAGGED = "tagged.tmp";
  private static final String TARGET_FOLD = "_target_fold";
  private static final String CONCURRENT_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";

  /** {@code train} etc. relative to the output root ({@link SplitOutput} owns the layout). */
  static String splitPath(String split) {
    return SplitOutput.partPath(split);
  }

  static String foldPath(int fold, String split) {
    return SplitOutput.foldPartPath(fold, split);
  }

  /**
   * Writes train, validation and test from {@link Splitter#SPLIT}-tagged rows in one pass: one
   * write partitioned by split, whose {@code split=train} folders are then renamed, so the data is
   * read and shuffled once rather than once per split. A split without rows is written as an empty
   * Parquet file with the schema, so readers never special-case it. Returns rows per split name.
   */
  static Map<String, Long> writeSplits(Dataset<Row> tagged, AtomicOutput output) {
    SparkSession spark = tagged.sparkSession();
    String taggedDir = output.path(TAGGED);
    writePartitioned(tagged, taggedDir, Splitter.SPLIT_NAMES.size(), Splitter.SPLIT);
    Map<String, Long> counts = new LinkedHashMap<>();
    Splitter.SPLIT_NAMES.forEach(name -> counts.put(name, 0L));
    // Row counts come from the Parquet footers: no data pages are read.
    for (Row row :
        spark.read().parquet(taggedDir).groupBy(Splitter.SPLIT).count().collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    StructType schema = tagged.drop(Splitter.SPLIT).schema();
    for (String name : Splitter.SPLIT_NAMES) {
      moveOrWriteEmpty(
          spark,
          schema,
          taggedDir + "/" + Splitter.SPLIT + "=" + name,
          output.path(splitPath(name)));
    }
    delete(output, taggedDir);
    return counts;
  }

  /**
   * Writes {@code fold=i/train} and {@code fold=i/test} for every fold from {@link
   * Splitter#FOLD}-tagged rows, again in one write: each row is repeated once per fold as train or
   * test.
   */
  static List<SplitSummary.FoldCount> writeFolds(
      Dataset<Row> tagged, AtomicOutput output, int folds) {
    SparkSession spark = tagged.sparkSession();
    String taggedDir = output.path(TAGGED);
    Dataset<Row> perFold =
        tagged
            .withColumn(TARGET_FOLD, explode(sequence(lit(0), lit(folds - 1))))
            .withColumn(
                Splitter.SPLIT,
                when(col(Splitter.FOLD).equalTo(col(TARGET_FOLD)), Splitter.TEST)
                    .otherwise(Splitter.TRAIN))
            .drop(Splitter.FOLD)
            .withColumnRenamed(TARGET_FOLD, Splitter.FOLD);
    writePartitioned(perFold, taggedDir, 2 * folds, Splitter.FOLD, Splitter.SPLIT);
    long[][] counts = new long[folds][2];
    for (Row row :
        spark
            .read()
            .parquet(taggedDir)
            .groupBy(Splitter.FOLD, Splitter.SPLIT)
            .count()
            .collectAsList()) {
      counts[row.getInt(0)][Splitter.TEST.equals(row.getString(1)) ? 1 : 0] = row.getLong(2);
    }
    StructType schema = tagged.drop(Splitter.FOLD).schema();
    List<SplitSummary.FoldCount> result = new ArrayList<>();
    for (int fold = 0; fold < folds; fold++) {
      for (String name : List.of(Splitter.TRAIN, Splitter.TEST)) {
        String source =
            taggedDir + "/" + Splitter.FOLD + "=" + fold + "/" + Splitter.SPLIT + "=" + name;
        moveOrWriteEmpty(spark, schema, source, output.path(foldPath(fold, name)));
      }
      result.add(new SplitSummary.FoldCount(fold, counts[fold][0], counts[fold][1]));
    }
    delete(output, taggedDir);
    return result;
  }

  /**
   * Writes {@code sequences/<split>.txt}: lines {@code user item} ordered by user, then time, then
   * item, with 1-based ids numbered in ascending order of the original ids over all splits
   * together, so an id means the same user or item in every file. The maps are {@code
   * sequences/user_ids.txt} and {@code item_ids.txt} (lines {@code index original_id}).
   */
  static void writeSequences(SparkSession spark, AtomicOutput output) {
    Dataset<Row> all = null;
    for (String name : Splitter.SPLIT_NAMES) {
      Dataset<Row> split =
          spark.read().parquet(output.path(splitPath(name))).withColumn(Splitter.SPLIT, lit(name));
      all = all == null ? split : all.unionByName(split);
    }
    Dataset<Row> users = denseIds(all, Schema.USER_ID, Schema.USER_ID_MAP);
    Dataset<Row> items = denseIds(all, Schema.ITEM_ID, Schema.ITEM_ID_MAP);
    users.persist(StorageLevel.MEMORY_AND_DISK());
    items.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> indexed = all.join(users, Schema.USER_ID).join(items, Schema.ITEM_ID);
      for (String name : Splitter.SPLIT_NAMES) {
        Dataset<Row> lines =
            indexed
                .filter(col(Splitter.SPLIT).equalTo(name))
                .orderBy(col(Schema.USER_IDX), col(Schema.TS), col(Schema.ITEM_IDX))
                .select(concat_ws(" ", col(Schema.USER_IDX), col(Schema.ITEM_IDX)));
        writeSingleTextFile(output, lines, SEQUENCES + "/" + name + ".txt");
      }
      writeSingleTextFile(
          output,
          users
              .orderBy(Schema.USER_IDX)
              .select(concat_ws(" ", col(Schema.USER_IDX), col(Schema.USER_ID))),
          SEQUENCES + "/user_ids.txt");
      writeSingleTextFile(
          output,
          items
              .orderBy(Schema.ITEM_IDX)
              .select(concat_ws(" ", col(Schema.ITEM_IDX), col(Schema.ITEM_ID))),
          SEQUENCES + "/item_ids.txt");
    } finally {
      users.unpersist();
      items.unpersist();
    }
  }

  /**
   * 1-based indexes of the distinct values of {@code idColumn} in ascending order. zipWithIndex
   * numbers the sorted ranges in partition order, so no step gathers the ids in one task (a window
   * without a partition key would).
   */
  private static Dataset<Row> denseIds(Dataset<Row> rows, String idColumn, StructType mapSchema) {
    JavaRDD<Row> indexed =
        rows.select(idColumn)
            .distinct()
            .orderBy(idColumn)
            .javaRDD()
            .zipWithIndex()
            .map(pair -> RowFactory.create(pair._1().getLong(0), Math.toIntExact(pair._2() + 1)));
    return rows.sparkSession().createDataFrame(indexed, mapSchema);
  }

  /** {@code sequences/...} relative to the output root. */
  static String sequencesPath(String file) {
    return file;
  }

  /**
   * One partitioned write. With concurrent writers enabled Spark keeps one open file per partition
   * value instead of sorting every task's rows by the partition columns first, which would be a
   * second full sort.
   */
  private static void writePartitioned(
      Dataset<Row> rows, String dir, int partitionValues, String... columns) {
    SparkSession spark = rows.sparkSession();
    String previous =
        spark.conf().contains(CONCURRENT_WRITERS) ? spark.conf().get(CONCURRENT_WRITERS) : null;
    spark.conf().set(CONCURRENT_WRITERS, String.valueOf(partitionValues));
    try {
      rows.write().partitionBy(columns).parquet(dir);
    } finally {
      if (previous == null) {
        spark.conf().unset(CONCURRENT_WRITERS);
      } else {
        spark.conf().set(CONCURRENT_WRITERS, previous);
      }
    }
  }

  /** Writes ordered one-column lines as exactly one file at {@code splits/<relative>}. */
  private static void writeSingleTextFile(
      AtomicOutput output, Dataset<Row> lines, String relative) {
    String tmp = output.path(TAGGED + "-text");
    // coalesce(1) after a sort concatenates the sorted ranges in order, so the file keeps the
    // order.
    lines.coalesce(1).write().text(tmp);
    Path target = new Path(output.path(sequencesPath(relative)));
    try {
      FileSystem fs = target.getFileSystem(output.conf());
      fs.mkdirs(target.getParent());
      FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*"));
      if (parts == null || parts.length == 0) {
        fs.create(target, true).close();
      } else if (!fs.rename(parts[0].getPath(), target)) {
        throw new IOException("could not move " + parts[0].getPath() + " to " + target);
      }
      fs.delete(new Path(tmp), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static void moveOrWriteEmpty(
      SparkSession spark, StructType schema, String source, String target) {
    Path from = new Path(source);
    Path to = new Path(target);
    try {
      FileSystem fs = from.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(from)) {
        fs.mkdirs(to.getParent());
        if (!fs.rename(from, to)) {
          throw new IOException("could not move " + from + " to " + to);
        }
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + source + " to " + target, e);
    }
    writeEmpty(spark, schema, target);
  }

  /**
   * One empty Parquet file with the schema at {@code target}, so readers of a split never
   * special-case it.
   */
  static void writeEmpty(SparkSession spark, StructType schema, String target) {
    spark.createDataFrame(List.<Row>of(), schema).write().parquet(target);
  }

  private static void delete(AtomicOutput output, String dir) {
    Path path = new Path(dir);
    try {
      path.getFileSystem(output.conf()).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
