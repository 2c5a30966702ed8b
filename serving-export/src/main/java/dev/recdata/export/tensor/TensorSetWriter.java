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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes one tensor set ({@code FOLDER/NAME.safetensors}, {@code FOLDER/npy/NAME/TENSOR.npy},
 * {@code FOLDER/parquet/NAME/}) from a Dataset, in a fixed row order. The rows are sorted once,
 * kept, counted, then streamed to the driver partition by partition with {@code toLocalIterator} in
 * sort order: the driver holds one partition and the writers' buffers, never the set. Tensor files
 * are written on local disk (safetensors needs positional writes) and copied to the output file
 * system afterwards, so s3a:// outputs work.
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
      String lengths) {
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
      this(name, tensors, order, metadata, null);
    }

    boolean ragged() {
      return lengths != null;
    }

    /** Bytes of one row in the fixed-shape tensors (and its offset when the set is ragged). */
    long bytesPerRow() {
      return tensors.stream().filter(t -> !t.ragged()).mapToLong(TensorColumn::bytesPerRow).sum()
          + (ragged() ? DType.I64.bytes() : 0);
    }

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
  public record Written(long rows, List<String> files, long values, long longest) {}

  /** {@code __metadata__} keys of a ragged set: its values in all, and the longest row's. */
  public static final String VALUES = "values";

  public static final String MAX_LENGTH = "max_length";

  public static Written write(
      Dataset<Row> rows,
      TensorSet set,
      Set<Format> formats,
      long shardBytes,
      AtomicOutput output,
      String folder,
      Consumer<Row> eachRow) {
    // Sorted once and kept (spilling to disk when large): the Parquet copy, the count and the
    // driver's partition-by-partition read all see the same ordered partitions, so the sort runs
    // once. DeterministicOrder, not orderBy: the Parquet files' boundaries must not move with the
    // RDD ids of whatever ran before.
    Dataset<Row> sorted =
        DeterministicOrder.sort(rows, set.order().toArray(String[]::new))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> files = new ArrayList<>();
      if (formats.contains(Format.PARQUET)) {
        String relative = folder + "/parquet/" + set.name();
        sorted.write().parquet(output.path(relative));
        files.add(relative);
      }
      long count = sorted.count();
      // a ragged set's file sizes depend on every row's length: one long per row, read first
      long[] lengths =
          set.ragged()
              ? sorted.select(set.lengths()).as(Encoders.LONG()).collectAsList().stream()
                  .mapToLong(Long::longValue)
                  .toArray()
              : null;
      long values = lengths == null ? 0 : Arrays.stream(lengths).sum();
      long longest = lengths == null ? 0 : Arrays.stream(lengths).max().orElse(0);
      TensorSet described = set;
      if (lengths != null) {
        SortedMap<String, String> metadata = new TreeMap<>(set.metadata());
        metadata.put(VALUES, Long.toString(values));
        metadata.put(MAX_LENGTH, Long.toString(longest));
        described = new TensorSet(set.name(), set.tensors(), set.order(), metadata, set.lengths());
      }
      boolean tensors = formats.contains(Format.SAFETENSORS) || formats.contains(Format.NPY);
      if (tensors || eachRow != null) {
        files.addAll(
            streamTensors(
                sorted.toLocalIterator(),
                count,
                lengths,
                values,
                described,
                formats,
                shardBytes,
                output,
                folder,
                eachRow));
      }
      return new Written(count, files, values, longest);
    } finally {
      sorted.unpersist();
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
      Iterator<Row> rows,
      long count,
      long[] lengths,
      long totalValues,
      TensorSet set,
      Set<Format> formats,
      long shardBytes,
      AtomicOutput output,
      String folder,
      Consumer<Row> eachRow) {
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
        TensorSink shardOffsets = shard != null && set.ragged() ? shard.tensor(OFFSETS) : null;
        if (shardOffsets != null) {
          shardOffsets.putLong(0);
        }
        long shardValues = 0;
        for (; row < range.end(); row++) {
          if (!rows.hasNext()) {
            throw new IllegalStateException(
                "tensor set " + set.name() + " ended after " + row + " of its " + count + " rows");
          }
          Row value = rows.next();
          long expectedValues = lengths == null ? -1 : lengths[(int) row];
          for (TensorColumn tensor : set.tensors()) {
            NpyWriter npyWriter = npy.get(tensor.tensor());
            append(
                value,
                tensor,
                expectedValues,
                shard == null ? null : shard.tensor(tensor.tensor()),
                npyWriter == null ? null : npyWriter.tensor());
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
            eachRow.accept(value);
          }
        }
        if (shard != null) {
          shard.close();
        }
      }
      for (NpyWriter writer : npy.values()) {
        writer.close();
      }
      if (rows.hasNext()) {
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
   * Appends one row's values of {@code tensor} to each sink given (either may be null): {@code
   * length} values of a ragged tensor, a fixed tensor's width otherwise.
   */
  static void append(
      Row row, TensorColumn tensor, long length, TensorSink safetensors, TensorSink npy) {
    int appended = 0;
    for (String column : tensor.columns()) {
      Object value = row.get(row.fieldIndex(column));
      if (value instanceof scala.collection.Seq<?> || value instanceof List<?>) {
        List<?> values = value instanceof List<?> list ? list : row.getList(row.fieldIndex(column));
        for (Object element : values) {
          put(tensor, element, safetensors, npy);
          appended++;
        }
      } else {
        put(tensor, value, safetensors, npy);
        appended++;
      }
    }
    long expected = tensor.ragged() ? length : tensor.elementsPerRow();
    if (appended != expected) {
      throw new IllegalStateException(
          "tensor "
              + tensor.tensor()
              + " expects "
              + expected
              + " values in this row, got "
              + appended
              + " in "
              + row);
    }
  }

  private static void put(TensorColumn tensor, Object element, TensorSink a, TensorSink b) {
    if (!(element instanceof Number number)) {
      throw new IllegalStateException("tensor " + tensor.tensor() + " got a non-number " + element);
    }
    for (TensorSink sink : new TensorSink[] {a, b}) {
      if (sink == null) {
        continue;
      }
      switch (tensor.dtype()) {
        case I64 -> sink.putLong(number.longValue());
        case I32 -> sink.putInt(number.intValue());
        case F32 -> sink.putFloat(number.floatValue());
        case I8, U8 -> sink.putByte(number.byteValue());
      }
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
