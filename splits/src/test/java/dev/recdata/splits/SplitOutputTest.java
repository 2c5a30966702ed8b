package dev.recdata.splits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a split folder is found and read: today's layout, the layout before format versions, and
 * refusals.
 */
class SplitOutputTest {
  private final Configuration conf = new Configuration();

  private void manifest(Path dir, Integer version) {
    var manifest =
        Json.object().put("stage", "split").put("run_id", "r1").put("strategy", "user-ratio");
    if (version != null) {
      manifest.put("format_version", version);
    }
    Json.write(conf, dir.resolve("manifest.json").toString(), manifest);
  }

  private static void parts(Path root, String... names) throws Exception {
    for (String name : names) {
      Files.createDirectories(root.resolve(name));
    }
  }

  @Test
  void todaysLayoutHoldsThePartsBesideTheManifest(@TempDir Path tmp) throws Exception {
    parts(tmp, "train", "validation", "test");
    manifest(tmp, SplitOutput.FORMAT_VERSION);

    SplitOutput split = SplitOutput.read(conf, tmp.toString(), "--input");

    assertThat(split.formatVersion()).isEqualTo(2);
    assertThat(split.kfold()).isFalse();
    assertThat(split.groups()).hasSize(1);
    assertThat(split.groups().get(0).train()).endsWith(tmp.getFileName() + "/train");
    assertThat(split.groups().get(0).parts()).containsOnlyKeys("train", "validation", "test");
  }

  @Test
  void aVersionOneSplitAndAnOldRunFolderHoldingOneStillLoad(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    Path old = run.resolve("splits");
    parts(old.resolve("splits"), "fold=1/train", "fold=1/test", "fold=0/train", "fold=0/test");
    manifest(old, null);

    for (Path given : new Path[] {old, run}) {
      SplitOutput split = SplitOutput.read(conf, given.toString(), "--splits");
      assertThat(split.formatVersion()).isEqualTo(1);
      assertThat(split.runId()).isEqualTo("r1");
      assertThat(split.kfold()).isTrue();
      assertThat(split.groups())
          .extracting(SplitOutput.Group::name)
          .containsExactly("fold=0", "fold=1");
      assertThat(split.groups().get(1).test()).endsWith("splits/splits/fold=1/test");
    }
  }

  @Test
  void aNewerFormatIsRefusedNamingTheFileAndTheVersions(@TempDir Path tmp) throws Exception {
    parts(tmp, "train", "test");
    manifest(tmp, 9);

    assertThatThrownBy(() -> SplitOutput.read(conf, tmp.toString(), "--input"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining(tmp.resolve("manifest.json").toString())
        .hasMessageContaining("format_version 9")
        .hasMessageContaining("1 to " + SplitOutput.FORMAT_VERSION)
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);
  }

  @Test
  void aFolderWithoutASplitSaysWhatItHolds(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("report.json"), "{\"stage\": \"quality\"}");

    assertThatThrownBy(() -> SplitOutput.read(conf, tmp.toString(), "--splits"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--splits " + tmp + " holds no split output")
        .hasMessageContaining("it holds report.json");
  }
}
