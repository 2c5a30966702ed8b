import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark, not part of recdata: ALS.fit alone (rank 32, 10 iterations, reg 0.1, 4 blocks, local[2]) on a
 * split's train folder, FITS times in one JVM (the first includes JIT warm-up), and which BLAS and LAPACK MLlib
 * loaded. Run it under different JVM options to compare MLlib's BLAS paths (docs/BENCHMARKS.md).
 *
 * <p>Usage: {@code AlsFitSeconds TRAIN_PARQUET FITS}.
 */
public final class AlsFitSeconds {
  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> train =
        spark.read().parquet(args[0])
            .select(col("user_id").cast("int"), col("item_id").cast("int"), col("rating"))
            .cache();
    long rows = train.count();
    StringBuilder seconds = new StringBuilder();
    double checksum = 0;
    for (int fit = 0; fit < Integer.parseInt(args[1]); fit++) {
      long start = System.nanoTime();
      ALSModel model =
          new ALS().setRank(32).setMaxIter(10).setRegParam(0.1).setNumBlocks(4).setSeed(42)
              .setUserCol("user_id").setItemCol("item_id").setRatingCol("rating")
              .fit(train);
      // Forces both factor tables; the checksum shows whether two BLAS paths give the same model.
      checksum =
          model.itemFactors().selectExpr("aggregate(features, 0D, (a, x) -> a + x) AS s")
              .agg(sum("s")).first().getDouble(0);
      seconds.append(String.format(" %.2f", (System.nanoTime() - start) / 1e9));
    }
    System.out.printf(
        "rows %d nativeBLAS %s javaBLAS %s LAPACK %s checksum %.9f fit_seconds%s%n",
        rows,
        org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS().getClass().getSimpleName(),
        org.apache.spark.ml.linalg.BLAS$.MODULE$.javaBLAS().getClass().getSimpleName(),
        dev.ludovic.netlib.lapack.LAPACK.getInstance().getClass().getSimpleName(),
        checksum,
        seconds);
    spark.stop();
  }
}
