package dev.recdata.common;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stage progress for a person at a terminal: what was read, counts, where it went, seconds. It also
 * keeps the seconds per step for the manifest. Printed to stderr so stdout stays free for data a
 * command may emit.
 */
public final class Progress {
  private final String stage;
  private final PrintStream out;
  private final Map<String, Double> secondsPerStep = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private long stepStartNanos = startNanos;

  public Progress(String stage) {
    this(stage, System.err);
  }

  public Progress(String stage, PrintStream out) {
    this.stage = stage;
    this.out = out;
    SparkProgress.stageStarted(stage);
  }

  /** Prints a line such as {@code etl: read 100,000 rows from u.data}. */
  public void info(String format, Object... args) {
    if (out == System.err) {
      SparkProgress.clearShownLine();
    }
    out.println(stage + ": " + String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** Ends the current step: records its seconds and prints the line with them. */
  public void step(String step, String format, Object... args) {
    long now = System.nanoTime();
    double seconds = (now - stepStartNanos) / 1e9;
    stepStartNanos = now;
    secondsPerStep.merge(step, round(seconds), Double::sum);
    info("%s (%.1f s)", String.format(Locale.ROOT, format, args), seconds);
  }

  /** Starts timing a new step without printing, e.g. after a pause for user-facing output. */
  public void restartStep() {
    stepStartNanos = System.nanoTime();
  }

  public double totalSeconds() {
    return round((System.nanoTime() - startNanos) / 1e9);
  }

  public Map<String, Double> secondsPerStep() {
    return new LinkedHashMap<>(secondsPerStep);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000.0) / 1000.0;
  }
}
