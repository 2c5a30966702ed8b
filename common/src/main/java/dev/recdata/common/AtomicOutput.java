package dev.recdata.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits a stage's output folder all at once, replacing only what recdata wrote.
 *
 * <p>Everything is written into a hidden staging folder beside the target ({@code
 * .DIR.staging-RUNID}). {@link #commit()} then moves the old output aside ({@code
 * .DIR.previous-RUNID}), renames the staging folder in and deletes the old one. A kill can stop
 * this at any point, so {@link #begin} first repairs what a killed run left beside the same target:
 * a target missing while a {@code .previous-*} folder exists is the last good output caught between
 * the two renames, and is renamed back; every other staging and previous folder of this target is
 * debris and is deleted, and each repair is printed. Between the repair and the ownership check
 * nothing else is touched.
 *
 * <p>Ownership: the target is replaced only when it is absent, an empty folder, or an output of the
 * same stage ({@link OutputOwner}); a regular file or any other folder stops the run with exit 2
 * before any work, and again at commit in case one appeared meanwhile.
 *
 * <p>On HDFS and local file systems each rename is atomic. On object stores (s3a) a rename is a
 * copy: the swap is then short but not atomic, which is why the pipeline publishes whole runs
 * through a {@code latest} pointer instead of overwriting in place. One run at a time per target: a
 * second concurrent run on the same target would take the first one's staging folder for debris.
 */
public final class AtomicOutput {
  private static final String STAGING = ".staging-";
  private static final String PREVIOUS = ".previous-";

  private final Configuration conf;
  private final FileSystem fs;
  private final Path target;
  private final String shown;
  private final Path staging;
  private final String runId;
  private final OutputOwner owner;
  private boolean committed;

  private AtomicOutput(
      Configuration conf,
      FileSystem fs,
      Path target,
      String shown,
      String runId,
      OutputOwner owner) {
    this.conf = conf;
    this.shown = shown;
    this.fs = fs;
    this.target = target;
    this.runId = runId;
    this.owner = owner;
    this.staging = sibling(target, STAGING + runId);
  }

  /**
   * Repairs debris of killed runs beside {@code targetDir}, checks that recdata may replace it and
   * prepares the staging folder; nothing is visible at the target until {@link #commit()}.
   */
  public static AtomicOutput begin(
      Configuration conf, String targetDir, String runId, OutputOwner owner) {
    Path target = new Path(targetDir);
    FileSystem fs;
    try {
      fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot reach the output %s: %s", targetDir, e.getMessage());
    }
    AtomicOutput output = new AtomicOutput(conf, fs, target, targetDir, runId, owner);
    try {
      output.restoreInterruptedSwap();
      checkReplaceable(fs, target, targetDir, owner);
      output.removeDebris();
      if (!fs.mkdirs(output.staging)) {
        throw new IOException("mkdirs returned false");
      }
      return output;
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot create output folder beside %s: %s", targetDir, e.getMessage());
    }
  }

  /**
   * Exit 2 unless recdata may replace {@code targetDir} with {@code owner}'s output (see {@link
   * #begin}); for a command that must refuse before it reads any input. Changes nothing.
   */
  public static void checkTarget(Configuration conf, String targetDir, OutputOwner owner) {
    Path target = new Path(targetDir);
    try {
      checkReplaceable(target.getFileSystem(conf), target, targetDir, owner);
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot reach the output %s: %s", targetDir, e.getMessage());
    }
  }

  /**
   * Exit 2 unless recdata may replace {@code target} with {@code owner}'s output: absent, an empty
   * folder, or a folder {@code owner}'s stage wrote.
   */
  private static void checkReplaceable(FileSystem fs, Path target, String shown, OutputOwner owner)
      throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (FileNotFoundException absent) {
      return;
    }
    if (!status.isDirectory()) {
      throw RecdataException.badInput(
          "output %s is a file, not a folder: recdata writes the %s output as a folder and replaces only folders it"
              + " wrote itself; remove the file or choose another output path",
          shown, owner.stage());
    }
    FileStatus[] entries = fs.listStatus(target);
    if (entries.length == 0 || owner.wrote(fs, target)) {
      return;
    }
    String listed =
        Arrays.stream(entries)
            .map(e -> e.getPath().getName() + (e.isDirectory() ? "/" : ""))
            .sorted()
            .limit(3)
            .collect(Collectors.joining(", "));
    throw RecdataException.badInput(
        "output %s is a folder recdata did not write (it holds %s%s and no %s written by recdata %s); recdata"
            + " replaces only an absent or empty folder or its own %s output: choose another output path, or move the"
            + " folder away",
        shown,
        listed,
        entries.length > 3 ? " and " + (entries.length - 3) + " more" : "",
        owner.manifest(),
        owner.stage(),
        owner.stage());
  }

  /**
   * A target missing while a {@code .previous-*} folder exists: a kill between the commit's
   * renames. Put it back.
   */
  private void restoreInterruptedSwap() throws IOException {
    if (fs.exists(target)) {
      return;
    }
    List<FileStatus> previous = debris(PREVIOUS);
    if (previous.isEmpty()) {
      return;
    }
    FileStatus newest =
        previous.stream()
            .max(Comparator.comparingLong(FileStatus::getModificationTime))
            .orElseThrow();
    if (!fs.rename(newest.getPath(), target)) {
      throw new IOException("could not restore " + newest.getPath() + " to " + target);
    }
    note(
        "restored the last good output %s from %s (a run was stopped while committing)",
        target, newest.getPath().getName());
  }

  /**
   * Deletes every staging and previous folder a killed run left beside the target, saying what it
   * removed.
   */
  private void removeDebris() throws IOException {
    List<FileStatus> found = new ArrayList<>(debris(STAGING));
    found.addAll(debris(PREVIOUS));
    for (FileStatus leftover : found) {
      long bytes = fs.getContentSummary(leftover.getPath()).getLength();
      fs.delete(leftover.getPath(), true);
      note("removed %s (%,d bytes) left by an interrupted run", leftover.getPath(), bytes);
    }
  }

  private List<FileStatus> debris(String kind) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return List.of();
    }
    String prefix = "." + target.getName() + kind;
    return Arrays.stream(fs.listStatus(parent, p -> p.getName().startsWith(prefix))).toList();
  }

  private void note(String format, Object... args) {
    new Progress(owner.stage()).info(format, args);
  }

  private static Path sibling(Path target, String suffix) {
    return new Path(target.getParent(), "." + target.getName() + suffix);
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
      checkReplaceable(fs, target, shown, owner);
      CrashPoints.at(owner.stage(), "commit.staged");
      Path previous = sibling(target, PREVIOUS + runId);
      boolean hadPrevious = fs.exists(target);
      if (hadPrevious && !fs.rename(target, previous)) {
        throw new IOException("could not move the previous output " + target + " aside");
      }
      CrashPoints.at(owner.stage(), "commit.moved-aside");
      if (!fs.rename(staging, target)) {
        if (hadPrevious) {
          fs.rename(previous, target);
        }
        throw new IOException("could not move " + staging + " to " + target);
      }
      committed = true;
      CrashPoints.at(owner.stage(), "commit.swapped");
      if (hadPrevious) {
        fs.delete(previous, true);
      }
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
      // Best effort: the next run on this target finds the staging folder and removes it.
    }
  }
}
