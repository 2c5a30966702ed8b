package dev.recdata.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM (or script) the integration tests start, with stdout and stderr in one log file under
 * target/, and waits on what it logs rather than on the clock. Closing kills it and everything it
 * started.
 */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      ChildProcess child = new ChildProcess(name, builder.start(), log);
      // A test JVM that dies (or a failing test) must not leave clusters and drivers running.
      Runtime.getRuntime().addShutdownHook(new Thread(child::close, "stop-" + name));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first group of {@code pattern} once it appears in the log; fails if the process dies or
   * time runs out.
   */
  public String awaitLog(Pattern pattern, Duration timeout) {
    String[] found = new String[1];
    await(
        "'" + pattern + "' in " + log,
        timeout,
        () -> {
          Matcher m = pattern.matcher(output());
          if (m.find()) {
            found[0] = m.groupCount() >= 1 ? m.group(1) : m.group();
            return true;
          }
          if (!process.isAlive()) {
            throw new IllegalStateException(
                name + " exited with " + process.exitValue() + ":\n" + tail());
          }
          return false;
        });
    return found[0];
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still running after " + timeout + ":\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The first descendant process whose command line contains {@code marker}, if any. */
  public Optional<ProcessHandle> descendant(String marker) {
    return process
        .descendants()
        .filter(
            p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .findFirst();
  }

  public String tail() {
    String out = output();
    return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
  }

  /** Polls {@code condition} every 50 ms until it holds; the deadline only bounds a hang. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
