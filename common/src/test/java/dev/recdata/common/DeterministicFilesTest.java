package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.SharedSpark;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeterministicFilesTest {
  private final SparkSession spark = SharedSpark.session();
  private final FileSystem local = localFs();

  @TempDir Path tmp;
  private Path written;

  /** One small Parquet file as Spark writes it: a dictionary column, a plain one and nulls. */
  @BeforeEach
  void writeOneFile() throws IOException {
    StructType schema =
        new StructType().add("user", DataTypes.IntegerType).add("event", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(RowFactory.create(i, i % 7 == 0 ? null : "e" + (i % 3)));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
    frame.write().parquet(tmp.resolve("spark").toString());
    written = onlyParquetFile(tmp.resolve("spark"));
  }

  @Test
  void scrambledFooterIsSortedAndMatchesANormalisedCopyByteForByte() throws IOException {
    Path original = copyThroughHadoop(written, tmp.resolve("a/part-00000.parquet"), null);
    Path scrambled =
        copyThroughHadoop(
            written, tmp.resolve("b/part-00000.parquet"), DeterministicFilesTest::reversed);
    assertThat(Files.readAllBytes(scrambled)).isNotEqualTo(Files.readAllBytes(original));

    // Whichever of the two orders this JVM's HashSet produced, at least one of them is not sorted.
    int rewritten =
        DeterministicFiles.normalize(local, hadoop(tmp.resolve("a"))).footersRewritten()
            + DeterministicFiles.normalize(local, hadoop(tmp.resolve("b"))).footersRewritten();

    assertThat(rewritten).isBetween(1, 2);
    assertThat(encodings(original)).allMatch(DeterministicFilesTest::isSorted);
    assertThat(encodings(scrambled)).allMatch(DeterministicFilesTest::isSorted);
    assertThat(Files.readAllBytes(scrambled)).isEqualTo(Files.readAllBytes(original));
    // The checksum file was brought up to date, not dropped: Hadoop verifies it while Spark reads.
    OutputTrees.assertSameBytes(tmp.resolve("a"), tmp.resolve("b"));
    assertThat(Files.exists(tmp.resolve("b/.part-00000.parquet.crc"))).isTrue();
    assertThat(spark.read().parquet(tmp.resolve("b").toString()).collectAsList())
        .containsExactlyElementsOf(spark.read().parquet(written.toString()).collectAsList());
  }

  @Test
  void copyingRewriteGivesTheSameBytesAsThePatchInPlace() throws IOException {
    Path patched =
        copyThroughHadoop(
            written, tmp.resolve("a/part-00000.parquet"), DeterministicFilesTest::descending);
    Path copied =
        copyThroughHadoop(
            written, tmp.resolve("b/part-00000.parquet"), DeterministicFilesTest::descending);

    assertThat(
            DeterministicFiles.sortFooterEncodings(
                local, local.getFileStatus(hadoop(patched)), true))
        .isTrue();
    assertThat(
            DeterministicFiles.sortFooterEncodings(
                local, local.getFileStatus(hadoop(copied)), false))
        .isTrue();

    assertThat(Files.readAllBytes(copied)).isEqualTo(Files.readAllBytes(patched));
    assertThat(spark.read().parquet(copied.toString()).count()).isEqualTo(50);
  }

  @Test
  void sortedFooterIsLeftAloneAndSecondRunChangesNothing() throws IOException {
    Path scrambled =
        copyThroughHadoop(
            written, tmp.resolve("b/part-00000.parquet"), DeterministicFilesTest::descending);
    org.apache.hadoop.fs.Path root = hadoop(tmp.resolve("b"));
    assertThat(DeterministicFiles.normalize(local, root).footersRewritten()).isEqualTo(1);
    byte[] once = Files.readAllBytes(scrambled);

    assertThat(DeterministicFiles.normalize(local, root))
        .isEqualTo(new DeterministicFiles.Changes(0, 0));
    assertThat(Files.readAllBytes(scrambled)).isEqualTo(once);
  }

  @Test
  void sparkWriteIdsAreDroppedFromFileNames() throws IOException {
    assertThat(written.getFileName().toString())
        .matches("part-00000-[0-9a-f-]{36}-c000\\.snappy\\.parquet");

    DeterministicFiles.normalize(local, hadoop(tmp.resolve("spark")));

    try (Stream<Path> files = Files.list(tmp.resolve("spark"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "part-00000-c000.snappy.parquet",
              ".part-00000-c000.snappy.parquet.crc",
              "_SUCCESS",
              "._SUCCESS.crc");
    }
    assertThat(spark.read().parquet(tmp.resolve("spark").toString()).count()).isEqualTo(50);
  }

  @Test
  void namesThatWouldCollideKeepTheirWriteIds() throws IOException {
    Path dir = tmp.resolve("spark");
    String other = written.getFileName().toString().replaceFirst("-[0-9a-f]{8}-", "-00000000-");
    Files.copy(written, dir.resolve(other));

    assertThat(DeterministicFiles.normalize(local, hadoop(dir)).renamed()).isZero();
    assertThat(Files.exists(written)).isTrue();
    assertThat(Files.exists(dir.resolve(other))).isTrue();
  }

  @Test
  void footerThatDoesNotWriteBackToTheSameBytesIsLeftAlone() throws IOException {
    byte[] footer = footer(Files.readAllBytes(written));
    FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
    reorderEncodings(metadata, DeterministicFilesTest::descending);
    byte[] scrambled = serialize(metadata);
    assertThat(DeterministicFiles.sortedFooter(scrambled, "scrambled")).isNotNull();

    // A byte Thrift skips on reading (here: after the end of the struct) would be lost by
    // rewriting.
    byte[] withTrailingByte = Arrays.copyOf(scrambled, scrambled.length + 1);
    assertThat(DeterministicFiles.sortedFooter(withTrailingByte, "trailing byte")).isNull();
  }

  @Test
  void encryptedFooterIsNotTouched() throws IOException {
    Path encrypted = tmp.resolve("enc/part-00000.parquet");
    Files.createDirectories(encrypted.getParent());
    byte[] bytes = Files.readAllBytes(written);
    System.arraycopy(
        "PARE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, bytes.length - 4, 4);
    Files.write(encrypted, bytes);

    assertThat(
            DeterministicFiles.normalize(local, hadoop(encrypted.getParent())).footersRewritten())
        .isZero();
    assertThat(Files.readAllBytes(encrypted)).isEqualTo(bytes);
  }

  /**
   * Copies {@code from} to {@code to} through Hadoop's local file system (which writes the .crc),
   * with every encodings list put in the order {@code reorder} gives (null: as it is), as another
   * JVM's HashSet may have it.
   */
  private Path copyThroughHadoop(Path from, Path to, UnaryOperator<List<Encoding>> reorder)
      throws IOException {
    byte[] bytes = Files.readAllBytes(from);
    if (reorder != null) {
      byte[] footer = footer(bytes);
      FileMetaData metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
      reorderEncodings(metadata, reorder);
      byte[] reversed = serialize(metadata);
      assertThat(reversed).hasSameSizeAs(footer);
      System.arraycopy(reversed, 0, bytes, bytes.length - 8 - footer.length, footer.length);
    }
    try (OutputStream out = local.create(hadoop(to), true)) {
      out.write(bytes);
    }
    return to;
  }

  private static void reorderEncodings(
      FileMetaData metadata, UnaryOperator<List<Encoding>> reorder) {
    for (RowGroup group : metadata.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        chunk
            .getMeta_data()
            .setEncodings(reorder.apply(new ArrayList<>(chunk.getMeta_data().getEncodings())));
      }
    }
  }

  /** Differs from the original in every list of two or more encodings. */
  private static List<Encoding> reversed(List<Encoding> encodings) {
    java.util.Collections.reverse(encodings);
    return encodings;
  }

  /** Unsorted in every list of two or more encodings. */
  private static List<Encoding> descending(List<Encoding> encodings) {
    encodings.sort(java.util.Comparator.comparingInt(Encoding::getValue).reversed());
    return encodings;
  }

  private static List<List<Encoding>> encodings(Path file) throws IOException {
    FileMetaData metadata =
        Util.readFileMetaData(new ByteArrayInputStream(footer(Files.readAllBytes(file))));
    List<List<Encoding>> lists = new ArrayList<>();
    for (RowGroup group : metadata.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        lists.add(chunk.getMeta_data().getEncodings());
      }
    }
    return lists;
  }

  private static boolean isSorted(List<Encoding> encodings) {
    for (int i = 1; i < encodings.size(); i++) {
      if (encodings.get(i - 1).getValue() > encodings.get(i).getValue()) {
        return false;
      }
    }
    return true;
  }

  private static byte[] footer(byte[] file) {
    int n = file.length;
    int length =
        (file[n - 8] & 0xff)
            | (file[n - 7] & 0xff) << 8
            | (file[n - 6] & 0xff) << 16
            | (file[n - 5] & 0xff) << 24;
    return Arrays.copyOfRange(file, n - 8 - length, n - 8);
  }

  private static byte[] serialize(FileMetaData metadata) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Util.writeFileMetaData(metadata, out);
    return out.toByteArray();
  }

  private static Path onlyParquetFile(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parquet =
          files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
      assertThat(parquet).hasSize(1);
      return parquet.get(0);
    }
  }

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private static FileSystem localFs() {
    try {
      return FileSystem.getLocal(SharedSpark.session().sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
