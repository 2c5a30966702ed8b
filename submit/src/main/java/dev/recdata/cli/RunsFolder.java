package dev.recdata.cli;

import dev.recdata.common.CrashPoints;
import dev.recdata.common.Progress;
import dev.recdata.common.RecdataException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The pipeline's root folder: {@code OUT/runs/RUN_ID/} per run and {@code OUT/latest}, a one-line
 * file naming the newest complete run. Everything here that deletes follows one rule: only run
 * folders recdata made (named like a run id, under a root that holds nothing but {@code runs/} and
 * {@code latest}), never the one {@code latest} names, and never a run that may still be running.
 *
 * <p>A run folder is <em>complete</em> (its {@code pipeline.json} says so, or predates the status
 * field), <em>failed</em> ({@code pipeline.json} with {@code "status": "failed"}, kept for
 * inspection until {@code runs gc}) or <em>unfinished</em> (no {@code pipeline.json}: killed, or
 * still running; {@code .pipeline.lock} names the process).
 */
final class RunsFolder {
  static final String RUNS = "runs";
  static final String LATEST = "latest";
  static final String MANIFEST = RunManifest.FILE;
  static final String LOCK = ".pipeline.lock";
  private static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
  private static final Set<String> ROOT_ENTRIES = Set.of(RUNS, LATEST);

  enum Status {
    COMPLETE,
    FAILED,
    UNFINISHED
  }

  /**
   * @param manifest the run's pipeline.json; null while it is unfinished
   */
  record RunFolder(String id, Path path, Status status, boolean running, RunManifest manifest) {
    /** {@code complete}, {@code failed}, {@code running} or {@code unfinished}. */
    String statusLabel() {
      if (status == Status.UNFINISHED) {
        return running ? "running" : "unfinished";
      }
      return status.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Configuration conf;
  private final Path root;
  private final FileSystem fs;

  RunsFolder(Configuration conf, String out) {
    this.conf = conf;
    this.root = new Path(out);
    try {
      this.fs = root.getFileSystem(conf);
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot reach --out %s: %s", out, e.getMessage());
    }
  }

  Path root() {
    return root;
  }

  Path runDir(String runId) {
    return new Path(new Path(root, RUNS), runId);
  }

  /**
   * Exit 2 unless {@code --out} is absent, an empty folder or a pipeline root (nothing but {@code
   * runs/}, {@code latest} and hidden files): the pipeline never writes into, let alone cleans, a
   * folder that is not its own.
   */
  void checkIsPipelineRoot() {
    try {
      FileStatus status;
      try {
        status = fs.getFileStatus(root);
      } catch (FileNotFoundException absent) {
        return;
      }
      RecdataException.checkInput(
          status.isDirectory(),
          "--out %s is a file, not a folder: the pipeline keeps its runs in OUT/runs/ and the pointer OUT/latest;"
              + " choose another --out",
          root);
      List<String> foreign =
          Arrays.stream(fs.listStatus(root))
              .map(s -> s.getPath().getName())
              .filter(name -> !name.startsWith(".") && !ROOT_ENTRIES.contains(name))
              .sorted()
              .toList();
      RecdataException.checkInput(
          foreign.isEmpty(),
          "--out %s is a folder the pipeline did not make (it holds %s%s; a pipeline root holds only runs/ and latest):"
              + " choose a new or empty folder, or an earlier pipeline's --out",
          root,
          String.join(", ", foreign.subList(0, Math.min(3, foreign.size()))),
          foreign.size() > 3 ? " and " + (foreign.size() - 3) + " more" : "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /**
   * Every folder under {@code OUT/runs} named like a run id, oldest first. Other entries are not
   * ours: ignored.
   */
  List<RunFolder> runs() {
    Path runs = new Path(root, RUNS);
    try {
      if (!fs.exists(runs)) {
        return List.of();
      }
      List<RunFolder> found = new ArrayList<>();
      for (FileStatus entry : fs.listStatus(runs)) {
        String id = entry.getPath().getName();
        if (entry.isDirectory() && RUN_ID.matcher(id).matches()) {
          found.add(describe(id, entry.getPath()));
        }
      }
      found.sort(Comparator.comparing(RunFolder::id));
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runs, e);
    }
  }

  private RunFolder describe(String id, Path path) throws IOException {
    RunManifest manifest = RunManifest.readIfPresent(conf, path);
    if (manifest != null) {
      return new RunFolder(
          id, path, manifest.failed() ? Status.FAILED : Status.COMPLETE, false, manifest);
    }
    return new RunFolder(id, path, Status.UNFINISHED, mayBeRunning(new Path(path, LOCK)), null);
  }

  /**
   * False only when the lock names a process on this host that is gone (a kill); a lock from
   * another host, or no lock yet (a run in its first milliseconds), counts as possibly running.
   */
  private boolean mayBeRunning(Path lock) throws IOException {
    if (!fs.exists(lock)) {
      return true;
    }
    String owner;
    try (var in = fs.open(lock)) {
      owner = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    int at = owner.indexOf('@');
    if (at < 0 || !owner.substring(at + 1).equals(hostName())) {
      return true;
    }
    try {
      return ProcessHandle.of(Long.parseLong(owner.substring(0, at)))
          .map(ProcessHandle::isAlive)
          .orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static final Pattern LATEST_BACK = Pattern.compile("latest~(\\d+)");

  /**
   * The finished run {@code ref} names: a run id, {@code latest} (the run {@code OUT/latest}
   * names), {@code latest~N} (the Nth complete run before it, in run id order) or {@code previous}
   * ({@code latest~1}). Exit 2 naming the run when there is no such run or it has not finished.
   */
  RunFolder finishedRun(String ref) {
    List<RunFolder> runs = runs();
    String id = ref;
    var back = LATEST_BACK.matcher(ref);
    if (ref.equals(LATEST) || ref.equals("previous") || back.matches()) {
      String latest = latestRunId();
      RecdataException.checkInput(
          latest != null, "%s: %s/%s names no run yet: run the pipeline first", ref, root, LATEST);
      int steps =
          ref.equals(LATEST) ? 0 : ref.equals("previous") ? 1 : Integer.parseInt(back.group(1));
      List<String> complete =
          runs.stream()
              .filter(r -> r.status() == Status.COMPLETE && r.id().compareTo(latest) <= 0)
              .map(RunFolder::id)
              .toList();
      RecdataException.checkInput(
          steps < complete.size(),
          "%s: there are only %d complete run(s) up to latest (%s) in %s",
          ref,
          complete.size(),
          latest,
          new Path(root, RUNS));
      id = complete.get(complete.size() - 1 - steps);
    }
    String wanted = id;
    RunFolder run =
        runs.stream()
            .filter(r -> r.id().equals(wanted))
            .findFirst()
            .orElseThrow(
                () ->
                    RecdataException.badInput(
                        "run %s does not exist: %s holds %s",
                        ref,
                        new Path(root, RUNS),
                        runs.isEmpty()
                            ? "no runs"
                            : runs.size()
                                + " run(s), the newest "
                                + runs.get(runs.size() - 1).id()));
    RecdataException.checkInput(
        run.manifest() != null,
        "run %s has not finished: %s has no %s (%s)",
        ref,
        run.path(),
        MANIFEST,
        run.running() ? "it may still be running" : "it was stopped before the end");
    return run;
  }

  /** Marks a run folder as this process's until its pipeline.json is written. */
  void lock(String runId) {
    Path lock = new Path(runDir(runId), LOCK);
    try (OutputStream out = fs.create(lock, false)) {
      out.write(
          (ProcessHandle.current().pid() + "@" + hostName() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + lock, e);
    }
  }

  void unlock(String runId) {
    Path lock = new Path(runDir(runId), LOCK);
    try {
      fs.delete(lock, false); // a checksummed file system deletes the .crc beside it too
    } catch (IOException ignored) {
      // a stale lock on a finished run is never read: pipeline.json decides
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "");
    }
  }

  /** The run id {@code OUT/latest} names, or null before the first complete run. */
  String latestRunId() {
    Path latest = new Path(root, LATEST);
    try {
      Optional<String> named = readPointer(latest);
      if (named.isPresent()) {
        return named.get();
      }
      // A kill between removing the old pointer and renaming the new one in (object stores, where a
      // rename cannot
      // replace): the new pointer is complete in its temporary file.
      return pendingPointer().map(p -> p.runId).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + latest, e);
    }
  }

  private Optional<String> readPointer(Path file) throws IOException {
    if (!fs.exists(file)) {
      return Optional.empty();
    }
    try (var in = fs.open(file)) {
      String runId = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return runId.isEmpty() ? Optional.empty() : Optional.of(runId);
    }
  }

  private record Pending(Path file, String runId) {}

  /**
   * The newest {@code .latest.RUN_ID} whose content is its complete run id and whose run finished.
   */
  private Optional<Pending> pendingPointer() throws IOException {
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    List<Pending> pending = new ArrayList<>();
    for (FileStatus s :
        fs.listStatus(
            root,
            p -> p.getName().startsWith("." + LATEST + ".") && !p.getName().endsWith(".crc"))) {
      String id = s.getPath().getName().substring(LATEST.length() + 2);
      Optional<String> content = readPointer(s.getPath());
      if (content.isPresent()
          && content.get().equals(id)
          && fs.exists(new Path(runDir(id), MANIFEST))) {
        pending.add(new Pending(s.getPath(), id));
      }
    }
    return pending.stream().max(Comparator.comparing(Pending::runId));
  }

  /**
   * Points {@code OUT/latest} at {@code runId}: the new pointer is written to a temporary file and
   * renamed over the old one, so a reader sees the old run or the new one. On a local disk the
   * rename replaces atomically (and no .crc is kept beside it, which could disagree with the file
   * for a moment); where a rename cannot replace (object stores), the old pointer is removed first
   * and {@link #latestRunId} falls back to the temporary file.
   */
  void publishLatest(String runId) {
    Path latest = new Path(root, LATEST);
    Path tmp = new Path(root, "." + LATEST + "." + runId);
    byte[] content = (runId + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if ("file".equals(fs.getUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(latest).toUri());
        java.nio.file.Path localTmp = java.nio.file.Path.of(fs.makeQualified(tmp).toUri());
        Files.write(localTmp, content);
        Files.deleteIfExists(local.resolveSibling("." + LATEST + ".crc"));
        CrashPoints.at("pipeline", "latest.written");
        Files.move(
            localTmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      try (OutputStream stream = fs.create(tmp, true)) {
        stream.write(content);
      }
      CrashPoints.at("pipeline", "latest.written");
      if (fs.exists(latest)) {
        fs.delete(latest, false);
      }
      CrashPoints.at("pipeline", "latest.removed");
      if (!fs.rename(tmp, latest)) {
        throw new IOException("rename " + tmp + " -> " + latest + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + latest, e);
    }
  }

  /**
   * Repairs what a killed pipeline left: a pointer caught mid-publish is put in place, stale
   * temporary pointers are removed, and unfinished runs that are certainly not running any more are
   * deleted (older than the newest complete run, or their process on this host is gone). Says what
   * it removed.
   */
  void recover(Progress progress) {
    try {
      if (!fs.exists(root)) {
        return;
      }
      Path latest = new Path(root, LATEST);
      if (!fs.exists(latest)) {
        Optional<Pending> pending = pendingPointer();
        if (pending.isPresent()) {
          publishLatest(pending.get().runId);
          progress.info(
              "restored %s -> runs/%s (a run was stopped while publishing it)",
              latest, pending.get().runId);
        }
      }
      for (FileStatus s : fs.listStatus(root, p -> p.getName().startsWith("." + LATEST + "."))) {
        fs.delete(s.getPath(), false);
      }
      removeDeadRuns(progress, runs());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair " + root, e);
    }
  }

  private void removeDeadRuns(Progress progress, List<RunFolder> runs) throws IOException {
    String newestComplete =
        runs.stream()
            .filter(r -> r.status() == Status.COMPLETE)
            .map(RunFolder::id)
            .reduce((a, b) -> b)
            .orElse("");
    for (RunFolder run : runs) {
      boolean dead =
          run.status() == Status.UNFINISHED
              && (!run.running() || run.id().compareTo(newestComplete) < 0);
      if (dead) {
        delete(progress, run, "unfinished (stopped before its pipeline.json was written)");
      }
    }
  }

  private void delete(Progress progress, RunFolder run, String why) throws IOException {
    long bytes = fs.getContentSummary(run.path()).getLength();
    fs.delete(run.path(), true);
    progress.info("removed run %s, %s (%,d bytes)", run.id(), why, bytes);
  }

  /**
   * {@code runs gc}: removes dead unfinished runs, and with {@code keep} every finished run
   * (complete or failed) but the {@code keep} newest. Never the run {@code latest} names, never a
   * run that may still be running. Returns the ids removed.
   */
  List<String> gc(Integer keep, Progress progress) {
    checkIsPipelineRoot();
    try {
      recover(progress);
      List<RunFolder> runs = runs();
      String latest = latestRunId();
      List<String> removed = new ArrayList<>();
      if (keep != null) {
        List<RunFolder> finished =
            runs.stream().filter(r -> r.status() != Status.UNFINISHED).toList();
        for (RunFolder run : finished.subList(0, Math.max(0, finished.size() - keep))) {
          if (!run.id().equals(latest)) {
            delete(
                progress,
                run,
                run.status() == Status.FAILED
                    ? "failed, beyond --keep " + keep
                    : "beyond --keep " + keep);
            removed.add(run.id());
          }
        }
      }
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + root, e);
    }
  }
}
