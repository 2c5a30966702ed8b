package dev.recdata.export.tensor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.DeterministicOrder;
import dev.recdata.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one tensor set ({@code FOLDER/NAME.safetensors}, {@code FOLDER/npy/NAME/TENSOR.npy},
 * {@code FOLDER/parquet/NAME/}) from a Dataset, in a fixed row order. The rows are sorted once and
 * written as Parquet by the executors; the driver then reads those files back in partition order,
 * one row group at a time, column by column ({@link ParquetRows}), into the tensor files: it holds
 * a row group and the writers' buffers, never the set. Tensor files are written on local disk
 * (safetensors needs positional writes) and copied to the output file system afterwards, so s3a://
 * outputs work.
 */
public final class TensorSetWriter {
  private TensorSetWriter() {}

  /**
   * The tensor a set with ragged tensors gets: row r's values are {@code [offsets[r],
   * offsets[r+1])}.
   */
  public static final String OFFSETS = "offsets";

  /**
   * A tensor set: its name, its tensors, the columns that order its rows (a total order: ties would
   * make the bytes depend on scheduling) and the {@code __metadata__} of its safetensors files
   * ({@code count} is added).
   *
   * @param lengths the column holding each row's number of values in its ragged tensors; null when
   *     the set has none. A set with ragged tensors also gets {@link #OFFSETS} I64 {@code [rows +
   *     1]}, which starts at 0 in every file (a shard's offsets count from its own first value).
   */
  public record TensorSet(
      String name,
      List<TensorColumn> tensors,
      List<String> order,
      SortedMap<String, String> metadata,
      String lengths,
      long uniformKeyRows,
      boolean arrivesSorted) {
    public TensorSet {
      tensors = List.copyOf(tensors);
      order = List.copyOf(order);
      metadata = new TreeMap<>(metadata);
      if ((lengths == null) != tensors.stream().noneMatch(TensorColumn::ragged)) {
        throw new IllegalArgumentException(
            "tensor set " + name + ": ragged tensors need a length column, and only they do");
      }
    }

    /** A set of fixed-shape tensors only. */
    public TensorSet(
        String name,
        List<TensorColumn> tensors,
        List<String> order,
        SortedMap<String, String> metadata) {
      this(name, tensors, order, metadata, null, 0, false);
    }

    /** A set with ragged tensors, their lengths in column {@code lengths}. */
    public TensorSet(
        String name,
        List<TensorColumn> tensors,
        List<String> order,
        SortedMap<String, String> metadata,
        String lengths) {
      this(name, tensors, order, metadata, lengths, 0, false);
    }

    /**
     * This set, its first order column a 64-bit hash uniform over the longs (a seeded shuffle key),
     * about {@code expectedRows} rows: sorted by {@link DeterministicOrder#sortByUniformKey},
     * without a sampling pass over the rows.
     */
    public TensorSet orderedByUniformKey(long expectedRows) {
      return new TensorSet(
          name, tensors, order, metadata, lengths, Math.max(1, expectedRows), arrivesSorted);
    }

    /**
     * This set, whose rows arrive already in {@code order}: partitions in ascending ranges, each
     * sorted (a flatMap over {@link DeterministicOrder#clusterBy}'s output). Written as they come,
     * without another sort; the caller's promise, which the tests of each such set check.
     */
    public TensorSet presorted() {
      return new TensorSet(name, tensors, order, metadata, lengths, uniformKeyRows, true);
    }

    boolean ragged() {
      return lengths != null;
    }

    /** Bytes of one row in the fixed-shape tensors (and its offset when the set is ragged). */
    long bytesPerRow() {
      return tensors.stream().filter(t -> !t.ragged()).mapToLong(TensorColumn::bytesPerRow).sum()
          + (ragged() ? DType.I64.bytes() : 0);
    }

    /**
     * About how many bytes a row of this set takes, for sizing partitions: its fixed-shape tensors,
     * and {@value #RAGGED_VALUES_ESTIMATE} values when ragged (an evaluation list of the default
     * 100 negatives and its positives).
     */
    long bytesPerRowEstimate() {
      return bytesPerRow() + (ragged() ? RAGGED_VALUES_ESTIMATE * bytesPerValue() : 0);
    }

    static final int RAGGED_VALUES_ESTIMATE = 100;

    /** Bytes of one value across the ragged tensors. */
    long bytesPerValue() {
      return tensors.stream()
          .filter(TensorColumn::ragged)
          .mapToLong(TensorColumn::bytesPerRow)
          .sum();
    }

    /** The specs of a file holding {@code rows} rows with {@code values} ragged values in all. */
    List<TensorSpec> specs(long rows, long values) {
      List<TensorSpec> specs = new ArrayList<>();
      for (TensorColumn tensor : tensors) {
        specs.add(tensor.spec(tensor.ragged() ? values : rows));
      }
      if (ragged()) {
        specs.add(TensorSpec.of(OFFSETS, DType.I64, rows + 1));
      }
      return specs;
    }
  }

  /**
   * Rows written and the files (relative to the output root) that hold the set; for a ragged set
   * also its values in all and the longest row's (0 otherwise).
   */
  public record Written(long rows, long values, long longest) {}

  /** {@code __metadata__} keys of a ragged set: its values in all, and the longest row's. */
  public static final String VALUES = "values";

  public static final String MAX_LENGTH = "max_length";

  /**
   * Writes {@code rows} as {@code set}. The rows are sorted once and written as Parquet (the
   * requested {@code parquet/NAME} copy, or a scratch copy in the staging folder that is deleted
   * afterwards); the tensor files are then filled on the driver from those Parquet files, read in
   * partition order with {@link ParquetRows}. Nothing is cached in Spark's memory, no Spark job
   * runs per partition, and the row count comes from the files' footers.
   *
   * @param eachRow called with every row in order, after its tensors were appended; null for none
   * @param background fills the tensor files (and runs {@code eachRow}) on its driver thread once
   *     the Parquet files are written, while the caller goes on to the next set's Spark jobs; the
   *     row count, values and longest row are known when this returns. Null: filled before this
   *     returns.
   */
  public static Written write(
      Dataset<Row> rows,
      TensorSet set,
      Set<Format> formats,
      long shardBytes,
      AtomicOutput output,
      String folder,
      EachRow eachRow,
      Background background) {
    // DeterministicOrder, not orderBy: the Parquet files' boundaries must not move with the RDD
    // ids of whatever ran before.
    String[] order = set.order().toArray(String[]::new);
    Dataset<Row> sorted =
        set.arrivesSorted()
            ? rows
            : set.uniformKeyRows() > 0
                ? DeterministicOrder.sortByUniformKey(rows, set.uniformKeyRows(), order)
                : DeterministicOrder.sort(rows, set.bytesPerRowEstimate(), order);
    boolean parquet = formats.contains(Format.PARQUET);
    boolean tensors = formats.contains(Format.SAFETENSORS) || formats.contains(Format.NPY);
    if (!parquet && !tensors && eachRow == null) {
      return new Written(sorted.count(), 0, 0);
    }
    String relative =
        parquet ? folder + "/parquet/" + set.name() : folder + "/_scratch-parquet-" + set.name();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(output.path(relative));
    // the scratch copy is deleted by whoever reads it last: here, or the fill when it runs later
    boolean scratchHandedOff = false;
    try {
      org.apache.spark.sql.DataFrameWriter<Row> writer = sorted.write();
      if (set.uniformKeyRows() > 0) {
        // a random 64-bit key has no repeats for a dictionary to share: Parquet would build one
        // per page, then give up on it, for 35M keys at 25M ratings
        writer = writer.option("parquet.enable.dictionary#" + order[0], "false");
      }
      writer.parquet(dir.toString());
      List<org.apache.hadoop.fs.Path> parts = partFiles(dir, output.conf());
      long count = ParquetRows.count(output.conf(), parts);
      // a ragged set's file sizes depend on every row's length: one long per row, read first
      long[] lengths = set.ragged() ? lengths(parts, set.lengths(), count, output) : null;
      long values = lengths == null ? 0 : Arrays.stream(lengths).sum();
      long longest = lengths == null ? 0 : Arrays.stream(lengths).max().orElse(0);
      TensorSet described = set;
      if (lengths != null) {
        SortedMap<String, String> metadata = new TreeMap<>(set.metadata());
        metadata.put(VALUES, Long.toString(values));
        metadata.put(MAX_LENGTH, Long.toString(longest));
        described =
            new TensorSet(
                set.name(),
                set.tensors(),
                set.order(),
                metadata,
                set.lengths(),
                set.uniformKeyRows(),
                set.arrivesSorted());
      }
      if (tensors || eachRow != null) {
        List<String> columns = new ArrayList<>();
        set.tensors().forEach(t -> t.columns().forEach(c -> addOnce(columns, c)));
        if (eachRow != null) {
          eachRow.columns().forEach(c -> addOnce(columns, c));
        }
        TensorSet filled = described;
        Runnable fill =
            () -> {
              try (ParquetRows cursor = new ParquetRows(output.conf(), parts, columns)) {
                streamTensors(
                    new RowCursor(cursor, columns),
                    count,
                    lengths,
                    values,
                    filled,
                    tensors ? formats : Set.of(),
                    shardBytes,
                    output,
                    folder,
                    eachRow);
              } finally {
                if (!parquet) {
                  deleteScratch(dir, output.conf());
                }
              }
            };
        scratchHandedOff = true;
        if (background == null) {
          fill.run();
        } else {
          background.submit(fill);
        }
      }
      return new Written(count, values, longest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tensor set " + set.name(), e);
    } finally {
      if (!parquet && !scratchHandedOff) {
        deleteScratch(dir, output.conf());
      }
    }
  }

  /** A driver thread that fills tensor sets' files in the order they were handed over. */
  public static Background background() {
    return new Background();
  }

  /**
   * Fills the tensor files of sets whose Parquet copies are written, one set at a time on one
   * driver thread, while the executors compute the next set. The fill is the driver's share of a
   * set (decoding the Parquet files, writing the tensors), single-threaded; run in line, a core sat
   * idle through it (about 20 s of a 25M export). The files are the same either way: each set's are
   * written by one thread, from its own files, in row order.
   */
  public static final class Background implements AutoCloseable {
    private final java.util.concurrent.ExecutorService thread =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "recdata-tensor-files");
              t.setDaemon(true);
              return t;
            });
    // handed over and waited for by the thread that runs the export
    private final List<java.util.concurrent.Future<?>> pending = new ArrayList<>();

    private Background() {}

    /** Queues {@code fill} behind the fills handed over before it. */
    public void submit(Runnable fill) {
      pending.add(thread.submit(fill));
    }

    /** Waits until every queued fill is done; the first one that failed is rethrown. */
    public void finish() {
      for (java.util.concurrent.Future<?> fill : pending) {
        try {
          fill.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while tensor files were written", e);
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    }

    /**
     * Stops the thread, interrupting a fill still running, and waits for it to stop: a failed run
     * deletes its staging folder only after nothing writes into it any more.
     */
    @Override
    public void close() {
      thread.shutdownNow();
      try {
        if (!thread.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) {
          throw new IllegalStateException("tensor files were still being written after 5 minutes");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A consumer of every row of a set in order (sequences.txt beside the sequence tensors): the
   * columns it reads, which the writer reads beside the tensors' own.
   */
  public record EachRow(List<String> columns, Consumer<RowCursor> action) {
    public EachRow {
      columns = List.copyOf(columns);
    }
  }

  /** The current row of a set being streamed, by column name. */
  public static final class RowCursor {
    private final ParquetRows rows;
    private final Map<String, Integer> positions = new HashMap<>();

    RowCursor(ParquetRows rows, List<String> columns) {
      this.rows = rows;
      for (int i = 0; i < columns.size(); i++) {
        positions.put(columns.get(i), i);
      }
    }

    boolean next() {
      return rows.next();
    }

    ParquetRows.Values values(String column) {
      Integer position = positions.get(column);
      if (position == null) {
        throw new IllegalArgumentException("column " + column + " is not read");
      }
      return rows.values(position);
    }

    /** The row's value of a scalar integral column. */
    public long getLong(String column) {
      ParquetRows.Values values = values(column);
      if (values.size != 1) {
        throw new IllegalStateException(column + " holds " + values.size + " values, not one");
      }
      return values.getLong(0);
    }

    /** The row's values of an integral list column (or its one value, for a scalar). */
    public long[] getLongs(String column) {
      ParquetRows.Values values = values(column);
      long[] out = new long[values.size];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.getLong(i);
      }
      return out;
    }
  }

  private static void addOnce(List<String> columns, String column) {
    if (!columns.contains(column)) {
      columns.add(column);
    }
  }

  /**
   * The data files Spark wrote into {@code dir}, in partition order: {@code
   * part-PARTITION-JOB-cFILE...}, by partition number, then file number (a partition may be cut
   * into several files).
   */
  static List<org.apache.hadoop.fs.Path> partFiles(
      org.apache.hadoop.fs.Path dir, org.apache.hadoop.conf.Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<org.apache.hadoop.fs.Path> parts = new ArrayList<>();
    for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(dir)) {
      String name = status.getPath().getName();
      if (status.isFile() && name.startsWith("part-") && name.endsWith(".parquet")) {
        parts.add(status.getPath());
      }
    }
    parts.sort(
        Comparator.comparing(TensorSetWriter::partitionOf).thenComparing(TensorSetWriter::fileOf));
    return parts;
  }

  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("part-(\\d+)-(?:.*-c(\\d+)\\.)?.*");

  private static long partitionOf(org.apache.hadoop.fs.Path part) {
    java.util.regex.Matcher m = PART.matcher(part.getName());
    if (!m.matches()) {
      throw new IllegalStateException("not a Spark part file name: " + part);
    }
    return Long.parseLong(m.group(1));
  }

  private static long fileOf(org.apache.hadoop.fs.Path part) {
    java.util.regex.Matcher m = PART.matcher(part.getName());
    return m.matches() && m.group(2) != null ? Long.parseLong(m.group(2)) : 0;
  }

  private static long[] lengths(
      List<org.apache.hadoop.fs.Path> parts, String column, long count, AtomicOutput output) {
    long[] lengths = new long[Math.toIntExact(count)];
    int row = 0;
    try (ParquetRows rows = new ParquetRows(output.conf(), parts, List.of(column))) {
      while (rows.next()) {
        lengths[row++] = rows.values(0).getLong(0);
      }
    }
    if (row != lengths.length) {
      throw new IllegalStateException(
          "the Parquet files hold " + row + " rows, their footers " + count);
    }
    return lengths;
  }

  private static void deleteScratch(
      org.apache.hadoop.fs.Path dir, org.apache.hadoop.conf.Configuration conf) {
    try {
      dir.getFileSystem(conf).delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch folder " + dir, e);
    }
  }

  /**
   * Rows per safetensors shard: all rows when they fit under {@code shardBytes} of data, else as
   * many as fit (at least 1).
   */
  static long rowsPerShard(long rows, long bytesPerRow, long shardBytes) {
    if (bytesPerRow == 0 || rows <= shardBytes / bytesPerRow) {
      return Math.max(rows, 1);
    }
    return Math.max(1, shardBytes / bytesPerRow);
  }

  /** One safetensors file's rows {@code [begin, end)} and the ragged values they hold. */
  record Shard(long begin, long end, long values) {}

  /**
   * The files of a set: one when its data fits under {@code shardBytes}, else consecutive row
   * ranges of at most that much data each (at least one row). {@code lengths} are a ragged set's
   * values per row (null for a fixed-shape set, whose shards all hold the same number of rows).
   */
  static List<Shard> shards(long rows, long[] lengths, TensorSet set, long shardBytes) {
    List<Shard> shards = new ArrayList<>();
    if (lengths == null) {
      long perShard = rowsPerShard(rows, set.bytesPerRow(), shardBytes);
      for (long begin = 0; begin < rows || shards.isEmpty(); begin += perShard) {
        shards.add(new Shard(begin, Math.min(rows, begin + perShard), 0));
      }
      return shards;
    }
    long begin = 0;
    long values = 0;
    long bytes = DType.I64.bytes(); // the offsets' leading 0
    for (int row = 0; row < rows; row++) {
      long rowBytes = set.bytesPerRow() + lengths[row] * set.bytesPerValue();
      if (row > begin && bytes + rowBytes > shardBytes) {
        shards.add(new Shard(begin, row, values));
        begin = row;
        values = 0;
        bytes = DType.I64.bytes();
      }
      values += lengths[row];
      bytes += rowBytes;
    }
    shards.add(new Shard(begin, rows, values));
    return shards;
  }

  private static List<String> streamTensors(
      RowCursor rows,
      long count,
      long[] lengths,
      long totalValues,
      TensorSet set,
      Set<Format> formats,
      long shardBytes,
      AtomicOutput output,
      String folder,
      EachRow eachRow) {
    Path local = createTempDirectory();
    try {
      SortedMap<String, String> metadata = new TreeMap<>(set.metadata());
      metadata.put("count", Long.toString(count));
      List<Shard> shards = shards(count, lengths, set, shardBytes);
      boolean sharded = shards.size() > 1;

      Map<String, NpyWriter> npy = new HashMap<>();
      if (formats.contains(Format.NPY)) {
        Files.createDirectories(local.resolve("npy").resolve(set.name()));
        for (TensorSpec spec : set.specs(count, totalValues)) {
          npy.put(
              spec.name(),
              NpyWriter.create(
                  local.resolve("npy").resolve(set.name()).resolve(spec.name() + ".npy"), spec));
        }
      }
      boolean safetensors = formats.contains(Format.SAFETENSORS);
      List<String> shardFiles = new ArrayList<>();
      ObjectNode index = Json.object();
      index.set("metadata", Json.MAPPER.valueToTree(metadata));
      index.put("total_rows", count);
      var shardList = index.putArray("shards");

      // per tensor: its columns' values (refilled row by row) and its .npy sink
      ParquetRows.Values[][] columnValues = new ParquetRows.Values[set.tensors().size()][];
      TensorSink[] npySinks = new TensorSink[set.tensors().size()];
      for (int t = 0; t < columnValues.length; t++) {
        TensorColumn tensor = set.tensors().get(t);
        columnValues[t] =
            tensor.columns().stream().map(rows::values).toArray(ParquetRows.Values[]::new);
        NpyWriter writer = npy.get(tensor.tensor());
        npySinks[t] = writer == null ? null : writer.tensor();
      }
      NpyWriter npyOffsets = npy.get(OFFSETS);
      long valuesWritten = 0;
      if (npyOffsets != null) {
        npyOffsets.tensor().putLong(0);
      }
      long row = 0;
      for (Shard range : shards) {
        SafetensorsWriter shard = null;
        if (safetensors) {
          String file =
              sharded
                  ? String.format(
                      "%s-%05d-of-%05d.safetensors",
                      set.name(), shardFiles.size() + 1, shards.size())
                  : set.name() + ".safetensors";
          shardFiles.add(file);
          shardList
              .addObject()
              .put("file", file)
              .putArray("rows")
              .add(range.begin())
              .add(range.end());
          SortedMap<String, String> shardMetadata = new TreeMap<>(metadata);
          if (sharded) {
            shardMetadata.put("shard_rows", "[" + range.begin() + ", " + range.end() + "]");
          }
          shard =
              SafetensorsWriter.create(
                  local.resolve(file),
                  set.specs(range.end() - range.begin(), range.values()),
                  shardMetadata);
        }
        TensorSink[] shardSinks = null;
        if (shard != null) {
          shardSinks = new TensorSink[set.tensors().size()];
          for (int t = 0; t < shardSinks.length; t++) {
            shardSinks[t] = shard.tensor(set.tensors().get(t).tensor());
          }
        }
        TensorSink shardOffsets = shard != null && set.ragged() ? shard.tensor(OFFSETS) : null;
        if (shardOffsets != null) {
          shardOffsets.putLong(0);
        }
        long shardValues = 0;
        for (; row < range.end(); row++) {
          if (!rows.next()) {
            throw new IllegalStateException(
                "tensor set " + set.name() + " ended after " + row + " of its " + count + " rows");
          }
          long expectedValues = lengths == null ? -1 : lengths[(int) row];
          for (int t = 0; t < set.tensors().size(); t++) {
            TensorColumn tensor = set.tensors().get(t);
            append(
                columnValues[t],
                tensor,
                expectedValues,
                shardSinks == null ? null : shardSinks[t],
                npySinks[t]);
          }
          if (set.ragged()) {
            shardValues += expectedValues;
            valuesWritten += expectedValues;
            if (shardOffsets != null) {
              shardOffsets.putLong(shardValues);
            }
            if (npyOffsets != null) {
              npyOffsets.tensor().putLong(valuesWritten);
            }
          }
          if (eachRow != null) {
            eachRow.action().accept(rows);
          }
        }
        if (shard != null) {
          shard.close();
        }
      }
      for (NpyWriter writer : npy.values()) {
        writer.close();
      }
      if (rows.next()) {
        throw new IllegalStateException(
            "tensor set " + set.name() + " has more rows than the " + count + " counted");
      }
      if (sharded) {
        Files.write(
            local.resolve(set.name() + ".safetensors.index.json"),
            Json.MAPPER.writeValueAsBytes(index));
      }
      return copyOut(local, output, folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tensor set " + set.name(), e);
    } finally {
      deleteLocal(local);
    }
  }

  /**
   * Appends one row's values of {@code tensor} (its columns' values, in order) to each sink given
   * (either may be null): {@code length} values of a ragged tensor, a fixed tensor's width
   * otherwise. Values convert to the tensor's type as Java's numeric casts do.
   */
  static void append(
      ParquetRows.Values[] columns,
      TensorColumn tensor,
      long length,
      TensorSink safetensors,
      TensorSink npy) {
    int appended = 0;
    for (ParquetRows.Values values : columns) {
      for (int i = 0; i < values.size; i++) {
        if (safetensors != null) {
          put(tensor.dtype(), values, i, safetensors);
        }
        if (npy != null) {
          put(tensor.dtype(), values, i, npy);
        }
      }
      appended += values.size;
    }
    long expected = tensor.ragged() ? length : tensor.elementsPerRow();
    if (appended != expected) {
      throw new IllegalStateException(
          "tensor "
              + tensor.tensor()
              + " expects "
              + expected
              + " values in this row, got "
              + appended);
    }
  }

  private static void put(DType dtype, ParquetRows.Values values, int i, TensorSink sink) {
    switch (dtype) {
      case I64 -> sink.putLong(values.getLong(i));
      case I32 -> sink.putInt((int) values.getLong(i));
      case F32 -> sink.putFloat((float) values.getDouble(i));
      case I8, U8 -> sink.putByte((byte) values.getLong(i));
    }
  }

  private static List<String> copyOut(Path local, AtomicOutput output, String folder)
      throws IOException {
    List<String> files = new ArrayList<>();
    List<Path> locals;
    try (Stream<Path> walk = Files.walk(local)) {
      locals = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : locals) {
      String relative = folder + "/" + local.relativize(file).toString().replace('\\', '/');
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output.path(relative));
      FileSystem fs = target.getFileSystem(output.conf());
      fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(file.toUri()), target);
      files.add(relative);
    }
    return files;
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("recdata-export-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a local scratch folder for tensor files", e);
    }
  }

  private static void deleteLocal(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: the scratch folder is under java.io.tmpdir.
    }
  }
}
