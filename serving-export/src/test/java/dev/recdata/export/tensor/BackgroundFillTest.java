package dev.recdata.export.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The driver thread that fills tensor files while Spark computes the next set: fills run one at a
 * time in the order handed over, the export waits for all of them before it commits, a failed fill
 * fails the export, and a failing export stops the thread before its staging folder is deleted.
 */
class BackgroundFillTest {
  @Test
  void fillsRunInTheOrderHandedOverAndFinishWaitsForAll() throws Exception {
    List<String> done = new CopyOnWriteArrayList<>();
    CountDownLatch firstMayEnd = new CountDownLatch(1);
    try (TensorSetWriter.Background background = TensorSetWriter.background()) {
      background.submit(
          () -> {
            await(firstMayEnd);
            done.add("triplets");
          });
      background.submit(() -> done.add("sequences"));
      // handing over does not wait: the caller goes on while the first fill is still running
      assertThat(done).isEmpty();
      firstMayEnd.countDown();
      background.finish();
      assertThat(done).containsExactly("triplets", "sequences");
    }
  }

  @Test
  void aFailedFillFailsFinishWithItsOwnError() {
    try (TensorSetWriter.Background background = TensorSetWriter.background()) {
      background.submit(() -> {});
      background.submit(
          () -> {
            throw new IllegalStateException("tensor set val_eval_batches ended after 3 of its 4");
          });
      background.submit(() -> {});

      assertThatThrownBy(background::finish)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ended after 3 of its 4");
    }
  }

  @Test
  void closeStopsAFillStillRunningAndWaitsForIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    TensorSetWriter.Background background = TensorSetWriter.background();
    background.submit(
        () -> {
          started.countDown();
          try {
            new CountDownLatch(1).await(); // a fill that would never end on its own
          } catch (InterruptedException e) {
            stopped.countDown();
          }
        });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    background.close();

    // close returned only after the fill let go: nothing writes into the staging folder any more
    assertThat(stopped.getCount()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
