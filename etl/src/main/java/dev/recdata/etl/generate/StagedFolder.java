package dev.recdata.etl.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.RunIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local-disk twin of {@link dev.recdata.common.AtomicOutput} for plain files: files are written
 * into a hidden sibling {@code .DIR.staging-RUNID} and moved into place only when complete, so a
 * killed run never leaves a half-written ratings.csv where a good one was. A new DIR is the renamed
 * staging folder; into an existing DIR each file is moved with an atomic replace, leaving anything
 * else in DIR alone (never swap away a folder a user may have other things in). Plain java.nio
 * rather than Hadoop's FileSystem, which would add .crc files.
 *
 * <p>Ownership: a file is replaced only when {@link #MARKER} beside it says {@code generate} wrote
 * the folder, so {@code generate --out} pointed at a real MovieLens download refuses instead of
 * overwriting its ratings.csv. Staging folders a killed run left beside the target are removed on
 * the next start, and said so.
 */
final class StagedFolder {
  private final Path target;
  private final Path staging;
  private boolean committed;

  private StagedFolder(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  /**
   * Checks up front that {@code names} can land in {@code out}, so a long run does not fail at the
   * end.
   */
  static StagedFolder begin(String out, List<String> names) {
    Path target = Path.of(out).toAbsolutePath().normalize();
    RecdataException.checkInput(
        !Files.exists(target) || Files.isDirectory(target),
        "--out %s is a file; expected a folder",
        out);
    boolean ours =
        Files.isRegularFile(target.resolve(MARKER)) && writtenByGenerate(target.resolve(MARKER));
    for (String name : names) {
      RecdataException.checkInput(
          ours || !Files.exists(target.resolve(name)),
          "--out %s already holds %s, which recdata generate did not write (no %s of generate beside it);"
              + " choose an empty or new folder, or move that file away yourself",
          out,
          name,
          MARKER);
    }
    for (String name : names) {
      RecdataException.checkInput(
          !Files.isDirectory(target.resolve(name)),
          "--out %s holds a folder named %s; expected no such entry or a file to replace",
          out,
          name);
    }
    Path parent = target.getParent();
    RecdataException.checkInput(
        parent != null, "--out %s has no parent folder to stage files in", out);
    try {
      Files.createDirectories(parent);
      removeDebris(target);
      Path staging = parent.resolve("." + target.getFileName() + ".staging-" + RunIds.newRunId());
      Files.createDirectories(staging);
      return new StagedFolder(target, staging);
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot create a staging folder beside --out %s: %s", out, e);
    }
  }

  /** The file that marks a folder as generate's: {@code {"stage": "generate", ...}}. */
  static final String MARKER = "generate.json";

  /** The marker's {@code "stage"}: the stage that owns the folder. */
  static final String STAGE = "generate";

  private static boolean writtenByGenerate(Path marker) {
    try {
      JsonNode stage = Json.MAPPER.readTree(marker.toFile()).get("stage");
      return stage != null && STAGE.equals(stage.asText());
    } catch (IOException | RuntimeException unreadable) {
      return false; // not ours to replace
    }
  }

  /**
   * Staging folders of this target that killed runs left behind: hidden, named after the target,
   * ours.
   */
  private static void removeDebris(Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".staging-";
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path leftover :
          siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        long bytes = size(leftover);
        deleteRecursively(leftover);
        System.err.printf(
            "generate: removed %s (%,d bytes) left by an interrupted run%n", leftover, bytes);
      }
    }
  }

  private static long size(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Where to write {@code name} before the commit. */
  Path file(String name) {
    return staging.resolve(name);
  }

  Path target() {
    return target;
  }

  /** Moves the finished files into the target folder. */
  void commit(List<String> names) {
    try {
      if (!Files.exists(target)) {
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          committed = true;
          return;
        } catch (FileAlreadyExistsException raced) {
          // Someone created the folder meanwhile: fall through to moving file by file.
        }
      }
      for (String name : names) {
        Files.move(
            staging.resolve(name),
            target.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      committed = true;
      deleteRecursively(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the generated files into " + target, e);
    }
  }

  /** Removes the staging folder after a failure; the target stays as it was. */
  void abort() {
    if (committed) {
      return;
    }
    try {
      deleteRecursively(staging);
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: a leftover hidden staging folder harms nothing and names its run.
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
