import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.netlib.util.intW;

/**
 * Benchmark, not part of recdata: the two numeric kernels of MLlib's ALS at rank 32, through the BLAS and LAPACK
 * MLlib itself would load under the same JVM options. Per rating, ALS.NormalEquation.add calls nativeBLAS.dspr and
 * daxpy (nativeBLAS is JNIBLAS when libblas.so.3 loads, else VectorBLAS or Java11BLAS); per user or item row,
 * CholeskySolver calls LAPACK dppsv. Measured in thread CPU seconds, best of 5 rounds after one warm-up, so a loaded
 * machine disturbs it less than a whole run.
 *
 * <p>Usage: {@code AlsBlasKernels}.
 */
public final class AlsBlasKernels {
  public static void main(String[] args) {
    int rank = 32;
    int updates = 2_000_000;
    int solves = 100_000;
    BLAS blas;
    try {
      blas = NativeBLAS.getInstance();
    } catch (Throwable noNativeBlas) {
      blas = JavaBLAS.getInstance();
    }
    LAPACK lapack = LAPACK.getInstance();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Random random = new Random(1);
    double[] factor = new double[rank];
    for (int i = 0; i < rank; i++) {
      factor[i] = random.nextGaussian();
    }
    int packed = rank * (rank + 1) / 2;
    double[] normal = new double[packed];
    double[] rhs = new double[rank];
    double bestUpdate = Double.MAX_VALUE;
    double bestSolve = Double.MAX_VALUE;
    double checksum = 0;
    for (int round = 0; round <= 5; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < updates; i++) {
        blas.dspr("U", rank, 1.0, factor, 1, normal);
        blas.daxpy(rank, 0.5, factor, 1, rhs, 1);
      }
      double update = (threads.getCurrentThreadCpuTime() - start) / 1e9;
      double[] system = new double[packed];
      double[] solution = new double[rank];
      start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < solves; i++) {
        // 4 I plus a small outer product: positive definite, as ALS's regularised normal equations are.
        for (int col = 0, p = 0; col < rank; col++) {
          for (int row = 0; row <= col; row++, p++) {
            system[p] = (row == col ? 4.0 : 0.0) + 0.01 * factor[row] * factor[col];
          }
          solution[col] = factor[col];
        }
        lapack.dppsv("U", rank, 1, system, solution, rank, new intW(0));
        checksum += solution[0];
      }
      double solve = (threads.getCurrentThreadCpuTime() - start) / 1e9;
      if (round > 0) {
        bestUpdate = Math.min(bestUpdate, update);
        bestSolve = Math.min(bestSolve, solve);
      }
    }
    System.out.printf(
        "BLAS %s LAPACK %s: %,d dspr+daxpy %.2f s, %,d dppsv %.2f s (checksum %.6f)%n",
        blas.getClass().getSimpleName(), lapack.getClass().getSimpleName(), updates, bestUpdate, solves,
        bestSolve, checksum);
  }
}
