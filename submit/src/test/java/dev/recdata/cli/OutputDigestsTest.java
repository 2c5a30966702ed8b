package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.ExecutionMode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Speed work must not change the data: for the same input and seed, etl, split and export write the
 * same rows in the same order as the build that recorded {@code golden/output-digests.tsv}. Each
 * Parquet dataset is digested row by row in file order (so re-partitioning the same rows into other
 * part files is allowed, reordering or changing a row is not), npy tensors and text files byte by
 * byte, manifests by their {@code counts}. Run ids, timestamps and the safetensors headers that
 * carry them are left out; safetensors data is the npy data.
 *
 * <p>A change that is meant to change outputs re-records the file: {@code mvn -pl submit test
 * -Dtest=OutputDigestsTest -Drecdata.recordDigests=true}, and the diff of the .tsv shows which
 * outputs moved.
 */
class OutputDigestsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/output-digests.tsv");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private void run(String... args) {
    SharedSpark.session();
    int code = Recdata.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("recdata %s: %s", String.join(" ", args), err).isZero();
  }

  /**
   * Both of Spark's execution modes write the same recorded rows: a small input runs on interpreted
   * expressions by default ({@link ExecutionMode}), a large one on generated code, and the digests
   * were recorded with generated code.
   */
  @ParameterizedTest
  @ValueSource(strings = {"interpreted", "codegen"})
  void etlSplitAndExportWriteTheRecordedRowsInTheRecordedOrder(String mode, @TempDir Path tmp)
      throws Exception {
    String ml = tmp.resolve("ml").toString();
    String etl = tmp.resolve("etl").toString();
    String splits = tmp.resolve("splits").toString();
    String export = tmp.resolve("export").toString();
    run("generate", "--out", ml, "--rows", "20000", "--seed", "7", "--threads", "2");
    System.setProperty("recdata.execution", mode);
    try {
      run("etl", "--input", ml, "--out", etl);
      run("split", "--input", etl, "--out", splits);
      run("export", "--etl", etl, "--splits", splits, "--out", export);
      assertThat(SharedSpark.session().conf().get("spark.sql.codegen.wholeStage"))
          .as("whole-stage code generation after a run in mode %s", mode)
          .isEqualTo(mode.equals("codegen") ? "true" : "false");
    } finally {
      System.clearProperty("recdata.execution");
    }

    Map<String, String> digests = new TreeMap<>();
    digests.putAll(digestTree("etl", Path.of(etl)));
    digests.putAll(digestTree("splits", Path.of(splits)));
    digests.putAll(digestTree("export", Path.of(export)));
    assertThat(digests).as("outputs digested").hasSizeGreaterThan(20);

    String actual = render(digests);
    if (Boolean.getBoolean("recdata.recordDigests")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual);
    }
    assertThat(GOLDEN).as("recorded digests (-Drecdata.recordDigests=true writes them)").exists();
    assertThat(actual)
        .as(
            "etl, split and export outputs against %s: a row added, dropped, changed or moved shows"
                + " as a changed line; re-record only for a change meant to alter outputs",
            GOLDEN)
        .isEqualTo(Files.readString(GOLDEN));
  }

  /**
   * A planted change of one value in one row moves the digest of its dataset, and only that one.
   */
  @Test
  void aChangedOrMovedRowChangesItsDatasetsDigest(@TempDir Path tmp) throws Exception {
    var spark = SharedSpark.session();
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    spark.sql("SELECT id, id * 2 AS v FROM range(100)").coalesce(1).write().parquet(a.toString());
    spark
        .sql("SELECT id, IF(id = 57, 0, id * 2) AS v FROM range(100)")
        .coalesce(1)
        .write()
        .parquet(b.toString());
    spark
        .sql("SELECT id, id * 2 AS v FROM range(100) ORDER BY id DESC")
        .coalesce(1)
        .write()
        .parquet(c.toString());
    String digestA = parquetDigest(a);
    assertThat(parquetDigest(b)).isNotEqualTo(digestA);
    assertThat(parquetDigest(c)).isNotEqualTo(digestA);
    // the same rows in the same order, written as two part files: the same digest
    Path d = tmp.resolve("d");
    spark.sql("SELECT id, id * 2 AS v FROM range(0, 100, 1, 2)").write().parquet(d.toString());
    assertThat(Files.list(d).filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(2);
    assertThat(parquetDigest(d)).isEqualTo(digestA);
  }

  private static String render(Map<String, String> digests) {
    StringBuilder text =
        new StringBuilder(
            "# OutputDigestsTest: generate --rows 20000 --seed 7, etl, split, export (no ALS);"
                + " path<TAB>sha256 of rows in file order, bytes, or manifest counts\n");
    digests.forEach((path, digest) -> text.append(path).append('\t').append(digest).append('\n'));
    return text.toString();
  }

  /**
   * Every Parquet dataset (a folder of part files), npy file, text file and manifest under {@code
   * dir}, keyed by {@code label/relative path}.
   */
  private static Map<String, String> digestTree(String label, Path dir) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      String relative = label + "/" + dir.relativize(file).toString().replace('\\', '/');
      if (name.startsWith(".") || name.startsWith("_")) {
        continue; // checksums and _SUCCESS markers
      }
      if (name.endsWith(".parquet")) {
        String dataset = label + "/" + dir.relativize(file.getParent()).toString();
        digests.computeIfAbsent(dataset, k -> parquetDigest(file.getParent()));
      } else if (name.endsWith(".npy")
          || name.endsWith(".txt")
          || name.endsWith(".jsonl")
          || name.equals("vocabularies.json")) {
        digests.put(relative, sha256(Files.readAllBytes(file)));
      } else if (name.equals("manifest.json")) {
        JsonNode counts = Json.MAPPER.readTree(file.toFile()).get("counts");
        if (counts != null) {
          digests.put(
              relative + "#counts", sha256(counts.toString().getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    return digests;
  }

  /** SHA-256 of the rows of a Parquet folder, part files in name order, rows in file order. */
  private static String parquetDigest(Path folder) {
    List<Path> parts;
    try (Stream<Path> list = Files.list(folder)) {
      parts = list.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    MessageDigest digest = sha256();
    long rows = 0;
    List<String> schema = new ArrayList<>();
    for (Path part : parts) {
      var frame = SharedSpark.session().read().parquet(part.toString());
      if (schema.isEmpty()) {
        schema.add(frame.schema().simpleString());
      }
      // one small file is one partition: toLocalIterator yields its rows in file order
      Iterator<Row> it = frame.toLocalIterator();
      while (it.hasNext()) {
        digest.update((it.next().toString() + "\n").getBytes(StandardCharsets.UTF_8));
        rows++;
      }
    }
    digest.update(String.join(",", schema).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest()) + "\t" + rows + " rows";
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
