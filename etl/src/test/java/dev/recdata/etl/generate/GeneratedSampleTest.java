package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedSampleTest {
  @TempDir Path dir;

  /**
   * A file system that is not {@code LocalFileSystem}, as s3a:// is not: files go through copy-up.
   */
  public static final class RemoteLikeFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("remote:///");
    }

    @Override
    public String getScheme() {
      return "remote";
    }
  }

  @Test
  void sampleOnAnotherFileSystemHasTheSameBytesAsALocalOne() throws Exception {
    Path local = dir.resolve("local");
    Path remote = dir.resolve("remote");
    Configuration conf = new Configuration();
    conf.set("fs.remote.impl", RemoteLikeFileSystem.class.getName());
    conf.setBoolean("fs.remote.impl.disable.cache", true);

    GeneratedSample.generate(conf, GenerateOptions.forRows(local.toString(), 5_000, 7));
    GenerateSummary summary =
        GeneratedSample.generate(conf, GenerateOptions.forRows("remote://" + remote, 5_000, 7));

    assertThat(summary.rows()).isEqualTo(5_000);
    for (String file :
        new String[] {MovieLensGenerator.RATINGS_FILE, MovieLensGenerator.MOVIES_FILE}) {
      assertThat(Files.readAllBytes(remote.resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(local.resolve(file)));
    }
  }

  @Test
  void fileUriWritesTheLocalFolder() {
    Path out = dir.resolve("sample");
    GeneratedSample.generate(
        new Configuration(), GenerateOptions.forRows(out.toUri().toString(), 1_000, 7));
    assertThat(out.resolve(MovieLensGenerator.RATINGS_FILE)).isRegularFile();
    assertThat(out.resolve(MovieLensGenerator.MOVIES_FILE)).isRegularFile();
  }
}
