package dev.recdata.splits;

import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Schema;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Writes train, validation and test from the tasks that cut them: each task runs the {@link
 * GroupCutter} over its partition and hands every row straight to one of three Parquet writers
 * (Spark's own, from {@link ParquetFileFormat}, so the files are exactly what {@code
 * write().parquet()} makes). Spark's partitioned write instead projects the split column out of
 * every row, then sorts each task's rows by split once it holds as many open files as values; at
 * 25M rows that sort and those projections were a third of the split's CPU time.
 *
 * <p>What Spark's commit protocol would do is done here in two small steps. Every task attempt
 * writes files named by partition and attempt; the driver collects, per partition, the one result
 * Spark accepted and deletes every other file (from failed or speculative attempts), then renames
 * the accepted ones by partition alone (the same names in every run) before the run commits. All of
 * it is inside the run's {@link AtomicOutput} staging folder, so a failed run leaves nothing at the
 * target. Row counts per split come from the accepted results, not from reading footers back.
 */
final class SplitFiles {
  private SplitFiles() {}

  /**
   * Parquet settings of the split files, measured on 25M rows (docs/BENCHMARKS.md): writer version
   * 2 (delta encodings), and dictionaries only where they pay: the event, source and rating columns
   * have a handful of values, while user ids (clustered, long runs), item ids (59k values) and
   * timestamps (mostly distinct) cost a hash lookup per value for little or no size gain.
   */
  static final Map<String, String> PARQUET_SETTINGS =
      Map.of(
          "parquet.writer.version",
          "v2",
          "parquet.enable.dictionary",
          "false",
          "parquet.enable.dictionary#" + Schema.EVENT,
          "true",
          "parquet.enable.dictionary#" + Schema.SOURCE,
          "true",
          "parquet.enable.dictionary#" + Schema.RATING,
          "true");

  /** What one accepted task wrote: its files and rows per split (train, validation, test). */
  record TaskFiles(List<String> files, long[] rows) implements Serializable {}

  /**
   * Runs {@code cut} and writes {@code splits/train}, {@code splits/validation} and {@code
   * splits/test} into the staging folder of {@code output}; a split without rows is one empty
   * Parquet file with the schema. Returns rows per split name.
   */
  static Map<String, Long> write(Splitter.PerGroupCut cut, AtomicOutput output) {
    SparkSession spark = cut.grouped().sparkSession();
    StructType schema = Schema.INTERACTIONS;
    Job job;
    try {
      job = Job.getInstance(new Configuration(spark.sparkContext().hadoopConfiguration()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure the split's Parquet writers", e);
    }
    Configuration jobConf = job.getConfiguration();
    PARQUET_SETTINGS.forEach(jobConf::set);
    OutputWriterFactory files =
        new ParquetFileFormat()
            .prepareWrite(spark, job, scala.collection.immutable.Map$.MODULE$.empty(), schema);
    SerializableConfiguration conf = new SerializableConfiguration(jobConf);
    List<String> dirs = new ArrayList<>();
    for (String name : Splitter.SPLIT_NAMES) {
      dirs.add(output.path(SplitWriter.splitPath(name)));
    }
    String writeId = UUID.randomUUID().toString();
    GroupCutter cutter = cut.cutter();
    List<TaskFiles> accepted =
        Splitter.internalRows(cut.grouped())
            .toJavaRDD()
            .mapPartitionsWithIndex(
                (partition, rows) ->
                    List.of(writeTask(cutter, rows, files, conf, schema, dirs, writeId, partition))
                        .iterator(),
                false)
            .collect();

    Map<String, Long> counts = new LinkedHashMap<>();
    Set<String> kept = new HashSet<>();
    for (int s = 0; s < dirs.size(); s++) {
      long rows = 0;
      for (TaskFiles task : accepted) {
        rows += task.rows()[s];
      }
      counts.put(Splitter.SPLIT_NAMES.get(s), rows);
    }
    for (TaskFiles task : accepted) {
      kept.addAll(task.files());
    }
    tidy(spark, dirs, kept, schema);
    settleNames(spark.sparkContext().hadoopConfiguration(), kept);
    return counts;
  }

  /** An accepted file's name while the tasks write: partition, write id, attempt, extension. */
  private static final Pattern ATTEMPT_NAME =
      Pattern.compile("(part-\\d+)-[0-9a-f-]{36}-a\\d+(\\..+)");

  /**
   * Renames the accepted files {@code part-00003-<write id>-a<attempt>.snappy.parquet} to {@code
   * part-00003-c000.snappy.parquet}, as Spark's own writes are named after {@link
   * AtomicOutput#commit}: the same names in every run, whichever attempt Spark accepted. One
   * accepted attempt per partition keeps them unique.
   */
  static void settleNames(Configuration conf, Set<String> kept) {
    for (String file : kept) {
      Path from = new Path(file);
      Matcher name = ATTEMPT_NAME.matcher(from.getName());
      if (!name.matches()) {
        throw new IllegalStateException("unexpected split file name " + from);
      }
      Path to = new Path(from.getParent(), name.group(1) + "-c000" + name.group(2));
      try {
        if (!from.getFileSystem(conf).rename(from, to)) {
          throw new IOException("could not rename " + from + " to " + to);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot name the split file " + from, e);
      }
    }
  }

  /**
   * {@link #keepOnly} for every split folder, failing the run unless every accepted file was seen:
   * a path spelt differently by a task and by the listing would have been deleted as a stray.
   */
  static void tidy(SparkSession spark, List<String> dirs, Set<String> kept, StructType schema) {
    int found = 0;
    for (String dir : dirs) {
      found += keepOnly(spark, new Path(dir), kept, schema);
    }
    if (found != kept.size()) {
      throw new IllegalStateException(
          String.format(
              "the split tasks reported %d files, %d of them found in %s",
              kept.size(), found, dirs));
    }
  }

  private static TaskFiles writeTask(
      GroupCutter cutter,
      Iterator<InternalRow> rows,
      OutputWriterFactory files,
      SerializableConfiguration conf,
      StructType schema,
      List<String> dirs,
      String writeId,
      int partition) {
    int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
    TaskAttemptContext context =
        new TaskAttemptContextImpl(
            conf.value(), new TaskAttemptID("recdata-split", 0, TaskType.MAP, partition, attempt));
    OutputWriter[] writers = new OutputWriter[dirs.size()];
    long[] counts = new long[dirs.size()];
    List<String> written = new ArrayList<>();
    GroupCutter.CutIterator tagged = cutter.cut(rows, false);
    try {
      while (tagged.hasNext()) {
        InternalRow row = tagged.next();
        int split = tagged.tag();
        if (writers[split] == null) {
          String file =
              String.format(
                  "%s/part-%05d-%s-a%d%s",
                  dirs.get(split), partition, writeId, attempt, files.getFileExtension(context));
          writers[split] = files.newInstance(file, schema, context);
          written.add(file);
        }
        writers[split].write(row);
        counts[split]++;
      }
      for (OutputWriter writer : writers) {
        if (writer != null) {
          writer.close();
        }
      }
    } catch (RuntimeException | Error e) {
      // This attempt's files are deleted by the driver (they are not in an accepted result) or with
      // the run.
      for (OutputWriter writer : writers) {
        if (writer != null) {
          try {
            writer.close();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
      }
      throw e;
    }
    List<String> qualified = new ArrayList<>();
    for (String file : written) {
      qualified.add(qualify(conf.value(), file));
    }
    return new TaskFiles(qualified, counts);
  }

  /**
   * Deletes files of attempts Spark did not accept; an empty split gets one empty file with the
   * schema. Returns how many of the {@code kept} files are in {@code dir}.
   */
  static int keepOnly(SparkSession spark, Path dir, Set<String> kept, StructType schema) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    int found = 0;
    boolean any = false;
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.exists(dir)) {
        for (FileStatus file : fs.listStatus(dir)) {
          String path = fs.makeQualified(file.getPath()).toString();
          if (kept.contains(path)) {
            any = true;
            found++;
          } else {
            fs.delete(file.getPath(), true);
          }
        }
        if (!any) {
          fs.delete(dir, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tidy the split files in " + dir, e);
    }
    if (!any) {
      SplitWriter.writeEmpty(spark, schema, dir.toString());
    }
    return found;
  }

  private static String qualify(Configuration conf, String file) {
    Path path = new Path(file);
    try {
      return path.getFileSystem(conf).makeQualified(path).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + file, e);
    }
  }
}
