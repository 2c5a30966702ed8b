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
   * A tensor set: its name, its tensors, the columns that order its rows (a total order: ties would
   * make the bytes depend on scheduling) and the {@code __metadata__} of its safetensors files
   * ({@code count} is added).
   */
  public record TensorSet(
      String name,
      List<TensorColumn> tensors,
      List<String> order,
      SortedMap<String, String> metadata) {
    public TensorSet {
      tensors = List.copyOf(tensors);
      order = List.copyOf(order);
      metadata = new TreeMap<>(metadata);
    }

    long bytesPerRow() {
      return tensors.stream().mapToLong(TensorColumn::bytesPerRow).sum();
    }
  }

  /** Rows written and the files (relative to the output root) that hold the set. */
  public record Written(long rows, List<String> files) {}

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
      boolean tensors = formats.contains(Format.SAFETENSORS) || formats.contains(Format.NPY);
      if (tensors || eachRow != null) {
        files.addAll(
            streamTensors(
                sorted.toLocalIterator(),
                count,
                set,
                formats,
                shardBytes,
                output,
                folder,
                eachRow));
      }
      return new Written(count, files);
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

  private static List<String> streamTensors(
      Iterator<Row> rows,
      long count,
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
      long perShard = rowsPerShard(count, set.bytesPerRow(), shardBytes);
      long shards = Math.max(1, (count + perShard - 1) / perShard);
      boolean sharded = shards > 1;

      Map<String, NpyWriter> npy = new HashMap<>();
      if (formats.contains(Format.NPY)) {
        Files.createDirectories(local.resolve("npy").resolve(set.name()));
        for (TensorColumn tensor : set.tensors()) {
          npy.put(
              tensor.tensor(),
              NpyWriter.create(
                  local.resolve("npy").resolve(set.name()).resolve(tensor.tensor() + ".npy"),
                  tensor.spec(count)));
        }
      }
      boolean safetensors = formats.contains(Format.SAFETENSORS);
      List<String> shardFiles = new ArrayList<>();
      ObjectNode index = Json.object();
      index.set("metadata", Json.MAPPER.valueToTree(metadata));
      index.put("total_rows", count);
      var shardList = index.putArray("shards");

      SafetensorsWriter shard = null;
      long shardEnd = -1;
      for (long row = 0; row < count || (row == 0 && shard == null && safetensors); row++) {
        if (safetensors && (shard == null || row == shardEnd)) {
          if (shard != null) {
            shard.close();
          }
          long begin = row;
          long end = Math.min(count, begin + perShard);
          shardEnd = end;
          String file =
              sharded
                  ? String.format(
                      "%s-%05d-of-%05d.safetensors", set.name(), shardFiles.size() + 1, shards)
                  : set.name() + ".safetensors";
          shardFiles.add(file);
          shardList.addObject().put("file", file).putArray("rows").add(begin).add(end);
          List<TensorSpec> specs = set.tensors().stream().map(t -> t.spec(end - begin)).toList();
          SortedMap<String, String> shardMetadata = new TreeMap<>(metadata);
          if (sharded) {
            shardMetadata.put("shard_rows", "[" + begin + ", " + end + "]");
          }
          shard = SafetensorsWriter.create(local.resolve(file), specs, shardMetadata);
        }
        if (row == count) {
          break; // an empty set: one file with zero-row tensors
        }
        if (!rows.hasNext()) {
          throw new IllegalStateException(
              "tensor set " + set.name() + " ended after " + row + " of its " + count + " rows");
        }
        Row value = rows.next();
        for (TensorColumn tensor : set.tensors()) {
          NpyWriter npyWriter = npy.get(tensor.tensor());
          append(
              value,
              tensor,
              shard == null ? null : shard.tensor(tensor.tensor()),
              npyWriter == null ? null : npyWriter.tensor());
        }
        if (eachRow != null) {
          eachRow.accept(value);
        }
      }
      if (shard != null) {
        shard.close();
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

  /** Appends one row's values of {@code tensor} to each sink given (either may be null). */
  static void append(Row row, TensorColumn tensor, TensorSink safetensors, TensorSink npy) {
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
    if (appended != tensor.elementsPerRow()) {
      throw new IllegalStateException(
          "tensor "
              + tensor.tensor()
              + " expects "
              + tensor.elementsPerRow()
              + " values per row, got "
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
