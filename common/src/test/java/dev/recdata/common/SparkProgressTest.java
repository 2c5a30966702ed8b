package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The progress line on a real Spark job that is held mid-stage: one of two tasks of the second
 * stage has finished (500 shuffled rows read), the other waits on a latch, and the test moves a
 * clock instead of sleeping.
 */
class SparkProgressTest {
  private static final long SECOND = 1_000_000_000L;

  /** Tasks run in this JVM (local master), so a static latch holds them where the test wants. */
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  private static final CountDownLatch HELD = new CountDownLatch(1);

  private record Watched(SparkProgress progress, AtomicLong clock, ByteArrayOutputStream out) {
    String printed() {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static Watched watch(SparkProgress.Mode mode) {
    AtomicLong clock = new AtomicLong(1_000 * SECOND);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SparkProgress progress =
        new SparkProgress(mode, new PrintStream(out, true, StandardCharsets.UTF_8), clock::get);
    return new Watched(progress, clock, out);
  }

  @Test
  void showsWhatTheJobIsForTasksDoneRowsAndSecondsThenGoesAwayWhenItEnds() throws Exception {
    SparkSession spark = SharedSpark.session();
    SparkContext context = spark.sparkContext();
    Watched plain = watch(SparkProgress.Mode.PLAIN);
    Watched terminal = watch(SparkProgress.Mode.TERMINAL);
    context.addSparkListener(plain.progress());
    context.addSparkListener(terminal.progress());
    try {
      CompletableFuture<Long> job =
          CompletableFuture.supplyAsync(
              () -> {
                SparkSessions.describe(spark, "etl", "write canonical Parquet");
                return spark
                    .range(0, 1_000, 1, 2)
                    .repartition(2)
                    .toJavaRDD()
                    .mapPartitionsWithIndex(SparkProgressTest::holdPartitionOne, false)
                    .count();
              });
      assertThat(HELD.await(60, TimeUnit.SECONDS)).as("partition 1 started").isTrue();
      // partition 0 of the second stage has finished: wait until the listeners have seen its end
      waitForTaskEnd(context, plain.progress());

      assertThat(plain.progress().line())
          .isEqualTo("etl: write canonical Parquet | tasks 1/2 | 500 rows read | 0 s");

      // a file gets nothing for a short job, one line once it has run 30 s, then one per 30 s
      plain.clock().addAndGet(29 * SECOND);
      plain.progress().tick();
      assertThat(plain.printed()).isEmpty();
      plain.clock().addAndGet(SECOND);
      plain.progress().tick();
      plain.clock().addAndGet(SECOND);
      plain.progress().tick();
      assertThat(plain.printed())
          .isEqualTo("etl: write canonical Parquet | tasks 1/2 | 500 rows read | 30 s\n");

      // a terminal gets the line redrawn in place after 2 s, erased when recdata prints
      terminal.clock().addAndGet(SECOND);
      terminal.progress().tick();
      assertThat(terminal.printed()).isEmpty();
      terminal.clock().addAndGet(2 * SECOND);
      terminal.progress().tick();
      assertThat(terminal.printed())
          .isEqualTo("\retl: write canonical Parquet | tasks 1/2 | 500 rows read | 3 s\033[K");
      SparkProgress.clearShownLine();
      assertThat(terminal.printed()).endsWith("\033[K\r\033[K");

      RELEASE.countDown();
      assertThat(job.get(60, TimeUnit.SECONDS)).isEqualTo(1_000L);
      context.listenerBus().waitUntilEmpty();
      assertThat(plain.progress().line()).isNull();
      terminal.progress().tick();
      assertThat(terminal.printed()).endsWith("3 s\033[K\r\033[K");
    } finally {
      RELEASE.countDown();
      context.removeSparkListener(plain.progress());
      context.removeSparkListener(terminal.progress());
    }
  }

  private static Iterator<Long> holdPartitionOne(int partition, Iterator<Long> rows)
      throws InterruptedException {
    List<Long> all = new java.util.ArrayList<>();
    rows.forEachRemaining(all::add);
    if (partition == 1) {
      HELD.countDown();
      RELEASE.await(60, TimeUnit.SECONDS);
    }
    return all.iterator();
  }

  /** Partition 0 may still be finishing when partition 1 is held: wait for its end event. */
  private static void waitForTaskEnd(SparkContext context, SparkProgress progress)
      throws Exception {
    long deadline = System.nanoTime() + 60 * SECOND;
    do {
      context.listenerBus().waitUntilEmpty();
    } while (!progress.line().contains("tasks 1/2") && System.nanoTime() < deadline);
  }

  @Test
  void aJobNobodyDescribedIsNamedAfterTheStageThatRunsIt() {
    Watched plain = watch(SparkProgress.Mode.PLAIN);
    new Progress("split", new PrintStream(new ByteArrayOutputStream(), true));
    plain
        .progress()
        .onJobStart(
            new org.apache.spark.scheduler.SparkListenerJobStart(
                7,
                0L,
                scala.jdk.javaapi.CollectionConverters.asScala(
                        List.<org.apache.spark.scheduler.StageInfo>of())
                    .toSeq(),
                new java.util.Properties()));
    assertThat(plain.progress().line()).isEqualTo("split: Spark job 7 | tasks 0/0 | 0 s");
  }
}
