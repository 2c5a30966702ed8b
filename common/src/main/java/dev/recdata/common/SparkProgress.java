package dev.recdata.common;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * The line a person watches while a long Spark job runs: what recdata is doing (the job description
 * {@link SparkSessions#describe} set), tasks done of the running stages, rows read so far and the
 * elapsed time, e.g. {@code etl: write canonical Parquet | tasks 12/40 | 1,234,567 rows read | 42
 * s}.
 *
 * <p>On a terminal the line is redrawn in place every second once a job has run for {@value
 * #TERMINAL_AFTER_SECONDS} s, and erased when it ends or when {@link Progress} prints. When stderr
 * is a file (spark-submit's driver log, a cron job's log) a redrawn line would be hundreds of lines
 * of debris, so a job only gets a plain line once it has run for {@value #PLAIN_EVERY_SECONDS} s
 * and then one every {@value #PLAIN_EVERY_SECONDS} s: a week of cron logs stays readable and a
 * stalled job is still visible. {@code RECDATA_PROGRESS=terminal|plain|off} overrides the guess
 * (Java only knows whether stdin and stdout are a terminal, not stderr).
 *
 * <p>Spark's own console progress bar stays off (SparkSessions): it shows stage numbers, not what
 * the stage is for, and redraws on stderr even when that is a file.
 */
public final class SparkProgress extends SparkListener {
  /** How the line is shown. */
  public enum Mode {
    TERMINAL,
    PLAIN,
    OFF
  }

  static final int TERMINAL_AFTER_SECONDS = 2;
  static final int PLAIN_EVERY_SECONDS = 30;

  private static final Object ATTACH_LOCK = new Object();
  private static SparkContext attachedTo;
  private static SparkProgress shownLine;

  private final Mode mode;
  private final PrintStream out;
  private final LongSupplier nanoClock;

  /** Running jobs by id, oldest first: the line shows the oldest, which the others wait on. */
  private final Map<Integer, RunningJob> jobs = new LinkedHashMap<>();

  /** Running stages by id: tasks total and done, rows read by finished tasks. */
  private final Map<Integer, long[]> stages = new LinkedHashMap<>();

  private boolean lineShown;

  /** The stage whose {@link Progress} was made last: names a job nobody described. */
  private static volatile String currentStage;

  static void stageStarted(String stage) {
    currentStage = stage;
  }

  private record RunningJob(String description, long startNanos, long[] lastPlainNanos) {}

  SparkProgress(Mode mode, PrintStream out, LongSupplier nanoClock) {
    this.mode = mode;
    this.out = out;
    this.nanoClock = nanoClock;
  }

  /**
   * Attaches a progress listener to the context once (getOrCreate hands the same session to every
   * command a JVM runs) and starts its one-second ticker, a daemon thread that dies with the JVM.
   */
  public static void attach(SparkContext context) {
    Mode mode = modeFromEnvironment();
    if (mode == Mode.OFF) {
      return;
    }
    synchronized (ATTACH_LOCK) {
      if (attachedTo == context) {
        return;
      }
      attachedTo = context;
      SparkProgress progress = new SparkProgress(mode, System.err, System::nanoTime);
      context.addSparkListener(progress);
      ScheduledExecutorService ticker =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "recdata-progress");
                thread.setDaemon(true);
                return thread;
              });
      ticker.scheduleAtFixedRate(
          () -> {
            if (context.isStopped()) {
              progress.clearLine();
              ticker.shutdown();
            } else {
              progress.tick();
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
    }
  }

  static Mode modeFromEnvironment() {
    String setting = System.getenv("RECDATA_PROGRESS");
    if (setting != null && !setting.isBlank()) {
      try {
        return Mode.valueOf(setting.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        // an unknown value must not stop a run over a cosmetic setting: fall back to the guess
      }
    }
    return System.console() != null ? Mode.TERMINAL : Mode.PLAIN;
  }

  /** Erases the terminal line, if one is shown, before {@link Progress} prints a line. */
  static void clearShownLine() {
    SparkProgress shown;
    synchronized (ATTACH_LOCK) {
      shown = shownLine;
    }
    if (shown != null) {
      shown.clearLine();
    }
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    String description = jobStart.properties().getProperty("spark.job.description");
    jobs.put(
        jobStart.jobId(),
        new RunningJob(
            description != null
                ? description
                : (currentStage == null ? "" : currentStage + ": ")
                    + "Spark job "
                    + jobStart.jobId(),
            nanoClock.getAsLong(),
            new long[] {nanoClock.getAsLong()}));
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd jobEnd) {
    jobs.remove(jobEnd.jobId());
    if (jobs.isEmpty()) {
      clearLine();
    }
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    StageInfo stage = submitted.stageInfo();
    stages.put(stage.stageId(), new long[] {stage.numTasks(), 0, 0});
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
    stages.remove(completed.stageInfo().stageId());
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    long[] stage = stages.get(taskEnd.stageId());
    if (stage == null || !taskEnd.taskInfo().successful()) {
      return;
    }
    stage[1]++;
    TaskMetrics metrics = taskEnd.taskMetrics();
    if (metrics != null) {
      stage[2] += metrics.inputMetrics().recordsRead() + metrics.shuffleReadMetrics().recordsRead();
    }
  }

  /** The line for the oldest running job, or null when no job runs. */
  synchronized String line() {
    if (jobs.isEmpty()) {
      return null;
    }
    RunningJob job = jobs.values().iterator().next();
    long tasks = 0;
    long done = 0;
    long rows = 0;
    for (long[] stage : stages.values()) {
      tasks += stage[0];
      done += stage[1];
      rows += stage[2];
    }
    long seconds = (nanoClock.getAsLong() - job.startNanos()) / 1_000_000_000L;
    StringBuilder line = new StringBuilder(job.description());
    line.append(String.format(Locale.ROOT, " | tasks %,d/%,d", done, tasks));
    if (rows > 0) {
      line.append(String.format(Locale.ROOT, " | %,d rows read", rows));
    }
    return line.append(String.format(Locale.ROOT, " | %d s", seconds)).toString();
  }

  /** Called every second: redraws the terminal line or, sparsely, prints a plain one. */
  synchronized void tick() {
    if (jobs.isEmpty()) {
      return;
    }
    RunningJob job = jobs.values().iterator().next();
    long now = nanoClock.getAsLong();
    long runningSeconds = (now - job.startNanos()) / 1_000_000_000L;
    if (mode == Mode.TERMINAL && runningSeconds >= TERMINAL_AFTER_SECONDS) {
      // \r back to the start of the line, \033[K erases what a longer previous line left
      out.print("\r" + line() + "\033[K");
      out.flush();
      lineShown = true;
      synchronized (ATTACH_LOCK) {
        shownLine = this;
      }
    } else if (mode == Mode.PLAIN
        && (now - job.lastPlainNanos()[0]) / 1_000_000_000L >= PLAIN_EVERY_SECONDS) {
      job.lastPlainNanos()[0] = now;
      out.println(line());
      out.flush();
    }
  }

  synchronized void clearLine() {
    if (lineShown) {
      out.print("\r\033[K");
      out.flush();
      lineShown = false;
    }
  }
}
