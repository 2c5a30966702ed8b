package dev.recdata.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits a stage's output folder all at once. Everything is written into a hidden staging folder beside the
 * target ({@code .DIR.staging-RUNID}); only when the whole stage succeeded does {@link #commit()} swap it in,
 * so a failed or killed run leaves the last good output untouched and re-running is safe.
 *
 * <p>On HDFS and local file systems the final rename is atomic. On object stores (s3a) a rename is a copy:
 * the swap is then short but not atomic, which is why the pipeline publishes whole runs through a
 * {@code latest} pointer instead of overwriting in place.
 */
public final class AtomicOutput {
  private final Configuration conf;
  private final Path target;
  private final Path staging;
  private final FileSystem fs;
  private boolean committed;

  private AtomicOutput(Configuration conf, Path target, String runId) throws IOException {
    this.conf = conf;
    this.target = target;
    this.fs = target.getFileSystem(conf);
    Path qualified = fs.makeQualified(target);
    Path parent = qualified.getParent();
    this.staging = new Path(parent, "." + qualified.getName() + ".staging-" + runId);
  }

  /** Prepares a staging folder for {@code targetDir}; nothing is visible at the target until commit. */
  public static AtomicOutput begin(Configuration conf, String targetDir, String runId) {
    try {
      AtomicOutput output = new AtomicOutput(conf, new Path(targetDir), runId);
      if (output.fs.exists(output.staging)) {
        output.fs.delete(output.staging, true);
      }
      output.fs.mkdirs(output.staging);
      return output;
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot create output folder beside %s: %s", targetDir, e.getMessage());
    }
  }

  /** A path inside the staging folder, e.g. {@code path("interactions")}. */
  public String path(String relative) {
    return new Path(staging, relative).toString();
  }

  public String stagingDir() {
    return staging.toString();
  }

  public String targetDir() {
    return target.toString();
  }

  public Configuration conf() {
    return conf;
  }

  /** Replaces the target with the staged output. */
  public void commit() {
    DeterministicFiles.normalize(fs, staging);
    try {
      Path previous = new Path(staging.getParent(), "." + target.getName() + ".previous-" + UUID.randomUUID());
      boolean hadPrevious = fs.exists(target);
      if (hadPrevious && !fs.rename(target, previous)) {
        throw new IOException("could not move the previous output " + target + " aside");
      }
      if (!fs.rename(staging, target)) {
        if (hadPrevious) {
          fs.rename(previous, target);
        }
        throw new IOException("could not move " + staging + " to " + target);
      }
      if (hadPrevious) {
        fs.delete(previous, true);
      }
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit output " + target, e);
    }
  }

  /** Deletes the staging folder after a failure; the previous output stays as it was. */
  public void abort() {
    if (committed) {
      return;
    }
    try {
      fs.delete(staging, true);
    } catch (IOException ignored) {
      // Best effort: a leftover hidden staging folder is replaced by the next run with the same id.
    }
  }
}
