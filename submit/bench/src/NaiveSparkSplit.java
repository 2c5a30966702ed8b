import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.SparkSessions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Benchmark peer, not part of recdata: the split as most Spark code writes it, a row_number and a count window
 * per user over the whole table, then one write partitioned by split. Same session settings as recdata
 * (SparkSessions), same cut as DuckDbSplit (ceil(0.7 n), ceil(0.9 n)).
 *
 * <p>Usage: {@code NaiveSparkSplit INPUT OUT MASTER} with INPUT recdata's canonical interactions Parquet folder.
 */
public final class NaiveSparkSplit {
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: NaiveSparkSplit INPUT OUT MASTER");
      System.exit(2);
    }
    long start = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate("naive window split", args[2]);
    Dataset<Row> interactions = spark.read().parquet(args[0]);
    WindowSpec byUser = Window.partitionBy(col("user_id"));
    WindowSpec byUserInTime = byUser.orderBy(col("ts"), col("item_id"));
    Column rn = col("rn");
    Column n = col("n");
    Dataset<Row> tagged =
        interactions
            .withColumn("rn", row_number().over(byUserInTime))
            .withColumn("n", count(lit(1)).over(byUser))
            .withColumn(
                "split",
                when(rn.leq(ceil(n.multiply(0.7))), "train")
                    .when(rn.leq(ceil(n.multiply(0.9))), "validation")
                    .otherwise("test"))
            .drop("rn", "n");
    tagged.write().mode(SaveMode.Overwrite).partitionBy("split").parquet(args[1]);
    System.out.printf("naive spark split of %s -> %s in %.1f s%n", args[0], args[1], (System.nanoTime() - start) / 1e9);
    spark.stop();
  }
}
