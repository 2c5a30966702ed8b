package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  private static final OutputOwner OWNER = OutputOwner.of("test", "manifest.json");
  private final SparkSession spark = SharedSpark.session();
  private final Configuration conf = spark.sparkContext().hadoopConfiguration();
  private final StructType schema = new StructType().add("n", DataTypes.IntegerType);

  private Dataset<Row> rows(int... values) {
    return spark.createDataFrame(
        java.util.Arrays.stream(values).mapToObj(v -> RowFactory.create(v)).toList(), schema);
  }

  /**
   * One whole stage run: data plus the manifest that makes the folder recognisably the test
   * stage's.
   */
  private void writeAndCommit(String target, String runId, int... values) {
    AtomicOutput out = AtomicOutput.begin(conf, target, runId, OWNER);
    rows(values).write().parquet(out.path("data"));
    Json.write(
        conf, out.path("manifest.json"), Json.object().put("stage", "test").put("run_id", runId));
    out.commit();
  }

  private List<Integer> read(String target) {
    return spark.read().parquet(target + "/data").as(Encoders.INT()).collectAsList();
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> listing = Files.list(folder)) {
      return listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void failedRunLeavesThePreviousOutputUntouched(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    writeAndCommit(target, "run1", 1, 2, 3);

    AtomicOutput second = AtomicOutput.begin(conf, target, "run2", OWNER);
    rows(9).write().parquet(second.path("data"));
    // The run dies before commit: the staged rows must never become visible.
    second.abort();

    assertThat(read(target)).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(names(tmp)).containsExactly("out");
  }

  @Test
  void rerunReplacesItsOwnOutputWhole(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    writeAndCommit(target, "r1", 1, 2);
    writeAndCommit(target, "r2", 7);
    assertThat(read(target)).containsExactly(7);
    assertThat(names(tmp)).containsExactly("out");
  }

  @Test
  void aFolderRecdataDidNotWriteIsRefusedAndLeftAsItWas(@TempDir Path tmp) throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("mydocs"));
    Files.writeString(docs.resolve("thesis.txt"), "precious");

    assertThatThrownBy(() -> AtomicOutput.begin(conf, docs.toString(), "r", OWNER))
        .isInstanceOfSatisfying(RecdataException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining(docs.toString())
        .hasMessageContaining("thesis.txt")
        .hasMessageContaining("did not write");
    assertThat(Files.readString(docs.resolve("thesis.txt"))).isEqualTo("precious");
    assertThat(names(docs)).containsExactly("thesis.txt");
    assertThat(names(tmp)).containsExactly("mydocs");
  }

  @Test
  void anotherStagesOutputIsForeignToo(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    writeAndCommit(target, "r1", 1);
    OutputOwner other = OutputOwner.of("other", "manifest.json");
    assertThatThrownBy(() -> AtomicOutput.begin(conf, target, "r2", other))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("no manifest.json written by recdata other");
    assertThat(read(target)).containsExactly(1);
  }

  @Test
  void aRegularFileIsRefusedAndLeftAsItWas(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> AtomicOutput.begin(conf, file.toString(), "r", OWNER))
        .isInstanceOfSatisfying(RecdataException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("is a file");
    assertThat(Files.readString(file)).isEqualTo("keep me");
    assertThat(names(tmp)).containsExactly("notes.txt");
  }

  @Test
  void anEmptyFolderIsAcceptedAsTheTarget(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    writeAndCommit(empty.toString(), "r1", 5);
    assertThat(read(empty.toString())).containsExactly(5);
  }

  @Test
  void aFolderThatAppearsDuringTheRunIsNotReplacedAtCommit(@TempDir Path tmp) throws Exception {
    Path target = tmp.resolve("out");
    AtomicOutput out = AtomicOutput.begin(conf, target.toString(), "r1", OWNER);
    rows(1).write().parquet(out.path("data"));
    Files.createDirectories(target);
    Files.writeString(target.resolve("someone-elses.txt"), "x");
    assertThatThrownBy(out::commit)
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("someone-elses.txt");
    out.abort();
    assertThat(names(target)).containsExactly("someone-elses.txt");
    assertThat(names(tmp)).containsExactly("out");
  }

  @Test
  void aKillBetweenTheCommitRenamesIsRepairedByTheNextRun(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    writeAndCommit(target, "good", 1, 2, 3);
    // The state a kill leaves between the two renames: the good output moved aside, the new one
    // still staged.
    Files.move(tmp.resolve("out"), tmp.resolve(".out.previous-killed"));
    AtomicOutput killed = AtomicOutput.begin(conf, tmp.resolve("elsewhere").toString(), "x", OWNER);
    killed.abort();
    Files.createDirectories(tmp.resolve(".out.staging-killed/data"));

    ByteArrayOutputStream said = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
    AtomicOutput next;
    try {
      next = AtomicOutput.begin(conf, target, "next", OWNER);
    } finally {
      System.setErr(err);
    }
    // The last good output is back before anything else happens, and the debris is gone.
    assertThat(read(target)).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(names(tmp)).containsExactly(".out.staging-next", "out");
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("restored the last good output")
        .contains(".out.staging-killed");
    next.abort();
    assertThat(names(tmp)).containsExactly("out");
  }

  @Test
  void aKillAfterTheSwapLeavesOnlyDebrisTheNextRunRemoves(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    writeAndCommit(tmp.resolve("old").toString(), "old", 1);
    writeAndCommit(target, "new", 2);
    // The state a kill leaves after the swap, before the old output was deleted.
    Files.move(tmp.resolve("old"), tmp.resolve(".out.previous-killed"));
    assertThat(names(tmp)).containsExactly(".out.previous-killed", "out");
    AtomicOutput.begin(conf, target, "next", OWNER).abort();
    assertThat(read(target)).containsExactly(2);
    assertThat(names(tmp)).containsExactly("out");
  }
}
