package dev.recdata.export.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The model version serve answers from: one immutable {@link ServedRun} behind an atomic reference.
 * {@link #reloadIfChanged} checks a cheap key (which export {@code --run} names, and that export's
 * manifest time); when it changed, the new version is loaded completely and only then swapped in,
 * so a request sees one version whole and a failed load keeps the current one.
 */
public final class ServedModel {
  private final Path run;
  private final Consumer<ServedRun> onSwap;
  private final AtomicReference<ServedRun> current = new AtomicReference<>();
  private volatile String currentKey;

  public ServedModel(Path run, Consumer<ServedRun> onSwap) {
    this.run = run;
    this.onSwap = onSwap;
    String key = key();
    ServedRun loaded = ServedRun.load(run);
    current.set(loaded);
    currentKey = key;
    onSwap.accept(loaded);
  }

  public ServedRun current() {
    return current.get();
  }

  /**
   * Loads and swaps in the version {@code --run} names if it is not the one served; returns true
   * when it swapped. Synchronized so that two pollers never load the same version twice.
   */
  public synchronized boolean reloadIfChanged() {
    String key = key();
    if (Objects.equals(key, currentKey)) {
      return false;
    }
    ServedRun loaded = ServedRun.load(run);
    current.set(loaded);
    currentKey = key;
    onSwap.accept(loaded);
    return true;
  }

  /**
   * The export folder {@code --run} names and its manifest's modification time: a few stat calls.
   */
  private String key() {
    Path export = ServedRun.resolveExportDir(run);
    Path manifest = export.resolve(ServedRun.MANIFEST);
    try {
      long modified = Files.exists(manifest) ? Files.getLastModifiedTime(manifest).toMillis() : 0L;
      return export.toAbsolutePath() + "@" + modified;
    } catch (IOException e) {
      return export.toAbsolutePath() + "@?";
    }
  }
}
