package dev.recdata.export.tensor;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.DeterministicOrder;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side Parquet reader the tensor files are filled from, on files Spark wrote. */
class ParquetRowsTest {
  private static final SparkSession spark = SharedSpark.session();
  private final Configuration conf = new Configuration();

  @TempDir Path dir;

  private static final StructType TYPES =
      new StructType()
          .add("l", DataTypes.LongType, false)
          .add("i", DataTypes.IntegerType, false)
          .add("b", DataTypes.ByteType, false)
          .add("f", DataTypes.FloatType, false)
          .add("d", DataTypes.DoubleType, true)
          .add("longs", DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add("floats", DataTypes.createArrayType(DataTypes.FloatType, true), true);

  private List<org.apache.hadoop.fs.Path> write(Dataset<Row> rows, String name) throws Exception {
    String out = dir.resolve(name).toString();
    rows.write().parquet(out);
    return TensorSetWriter.partFiles(new org.apache.hadoop.fs.Path(out), conf);
  }

  /**
   * Every type a tensor is filled from, as scalars and as list elements, with an empty list and
   * extreme values: read back exactly, a byte as its signed value, a float without rounding.
   */
  @Test
  void readsEachTypeAndListsAsSparkWroteThem() throws Exception {
    List<Row> rows =
        List.of(
            RowFactory.create(
                Long.MIN_VALUE, -7, (byte) -128, 0.1f, 2.5, List.of(1L, 2L, 3L), List.of(0.5f)),
            RowFactory.create(Long.MAX_VALUE, 7, (byte) 127, -0f, -1e300, List.of(), List.of()),
            RowFactory.create(0L, 0, (byte) 1, Float.MIN_VALUE, 0.0, List.of(9L), List.of(1f, 2f)));
    List<org.apache.hadoop.fs.Path> parts =
        write(spark.createDataFrame(rows, TYPES).coalesce(1), "types");
    assertThat(ParquetRows.count(conf, parts)).isEqualTo(3);
    List<String> read = new ArrayList<>();
    try (ParquetRows cursor =
        new ParquetRows(conf, parts, List.of("l", "i", "b", "f", "d", "longs", "floats"))) {
      while (cursor.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < 7; c++) {
          ParquetRows.Values v = cursor.values(c);
          row.append(c == 0 ? "" : " ").append('[');
          for (int i = 0; i < v.size; i++) {
            row.append(i == 0 ? "" : ",")
                .append(v.floating ? Double.toString(v.getDouble(i)) : Long.toString(v.getLong(i)));
          }
          row.append(']');
        }
        read.add(row.toString());
      }
    }
    assertThat(read)
        .containsExactly(
            "[-9223372036854775808] [-7] [-128] [" + (double) 0.1f + "] [2.5] [1,2,3] [0.5]",
            "[9223372036854775807] [7] [127] [-0.0] [-1.0E300] [] []",
            "[0] [0] [1] [" + (double) Float.MIN_VALUE + "] [0.0] [9] [1.0,2.0]");
  }

  /**
   * Files of a sorted set, read in partition order across several files per partition (part-P-…
   * -cF) and several row groups per file, give the rows in the set's order: what the tensors
   * promise.
   */
  @Test
  void partFilesAreReadInPartitionOrder() throws Exception {
    Dataset<Row> shuffled =
        spark
            .range(20_000)
            .select(
                org.apache.spark.sql.functions.xxhash64(col("id")).as("key"), col("id").as("id"))
            .repartition(4);
    Dataset<Row> sorted = DeterministicOrder.sortByUniformKey(shuffled, 2_000_000, "key", "id");
    String out = dir.resolve("sorted").toString();
    sorted
        .write()
        .option("parquet.block.size", 4096)
        .option("maxRecordsPerFile", 3_000)
        .parquet(out);
    List<org.apache.hadoop.fs.Path> parts =
        TensorSetWriter.partFiles(new org.apache.hadoop.fs.Path(out), conf);
    assertThat(parts).hasSize(8); // two partitions of 10,000 rows, four files each
    assertThat(parts.get(3).getName()).startsWith("part-00000-").contains("-c003.");
    assertThat(parts.get(4).getName()).startsWith("part-00001-").contains("-c000.");
    List<Long> keys = new ArrayList<>();
    try (ParquetRows cursor = new ParquetRows(conf, parts, List.of("key"))) {
      while (cursor.next()) {
        keys.add(cursor.values(0).getLong(0));
      }
    }
    assertThat(keys).hasSize(20_000).isSorted();
  }

  /** A null where a tensor needs a number is an error naming the column, not a zero. */
  @Test
  void aNullValueOrListIsAnErrorNamingTheColumn() throws Exception {
    List<Row> rows =
        List.of(
            RowFactory.create(1L, 1, (byte) 1, 1f, null, List.of(1L), List.of(1f)),
            RowFactory.create(2L, 2, (byte) 2, 2f, 2.0, List.of(2L), null));
    List<org.apache.hadoop.fs.Path> parts =
        write(spark.createDataFrame(rows, TYPES).coalesce(1), "nulls");
    try (ParquetRows cursor = new ParquetRows(conf, parts, List.of("d"))) {
      assertThatThrownBy(cursor::next).hasMessageContaining("column d has a null value");
    }
    try (ParquetRows cursor = new ParquetRows(conf, parts, List.of("floats"))) {
      assertThat(cursor.next()).isTrue();
      assertThatThrownBy(cursor::next).hasMessageContaining("column floats has a null list");
    }
    List<Row> nullElement =
        List.<Row>of(
            RowFactory.create(
                1L, 1, (byte) 1, 1f, 1.0, List.of(1L), java.util.Arrays.asList(1f, null)));
    List<org.apache.hadoop.fs.Path> elementParts =
        write(spark.createDataFrame(nullElement, TYPES).coalesce(1), "element");
    try (ParquetRows cursor = new ParquetRows(conf, elementParts, List.of("floats"))) {
      assertThatThrownBy(cursor::next).hasMessageContaining("column floats has a null value");
    }
    try (ParquetRows cursor = new ParquetRows(conf, elementParts, List.of("missing"))) {
      assertThatThrownBy(cursor::next).hasMessageContaining("has no column missing");
    }
  }
}
