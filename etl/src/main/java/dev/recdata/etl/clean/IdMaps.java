package dev.recdata.etl.clean;

import static dev.recdata.common.Schema.EVENT;
import static dev.recdata.common.Schema.ITEM_ID;
import static dev.recdata.common.Schema.USER_ID;
import static org.apache.spark.sql.functions.col;

import dev.recdata.common.DeterministicOrder;
import dev.recdata.common.Schema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Dense 0-based indices for the ids of the cleaned interactions, as matrix-factorisation trainers
 * want them: index order is id order, so the same data always gets the same maps.
 */
public final class IdMaps {
  private IdMaps() {}

  /** (user_id, user_idx), ordered by user_id, user_idx = 0..n-1 ({@link Schema#USER_ID_MAP}). */
  public static Dataset<Row> users(Dataset<Row> interactions) {
    return denseIndex(interactions, USER_ID, Schema.USER_ID_MAP);
  }

  /** (item_id, item_idx), ordered by item_id, item_idx = 0..n-1 ({@link Schema#ITEM_ID_MAP}). */
  public static Dataset<Row> items(Dataset<Row> interactions) {
    return denseIndex(interactions, ITEM_ID, Schema.ITEM_ID_MAP);
  }

  /**
   * Distinct ids, range-sorted, then {@code zipWithIndex}: it numbers rows by partition index and
   * position, and a sorted dataset's partitions are consecutive id ranges, so index order is id
   * order whatever the partition boundaries are. That avoids both collecting the ids to the driver
   * and a row_number() window without partitioning, which would pull every id into one task.
   * zipWithIndex runs one small job to count each partition; the distinct's shuffle output is
   * reused by the job that writes the map.
   */
  private static Dataset<Row> denseIndex(
      Dataset<Row> interactions, String idColumn, StructType schema) {
    Dataset<Row> sortedIds =
        DeterministicOrder.sort(
            interactions
                .where(col(EVENT).isin((Object[]) Cleaning.EVENTS))
                .select(col(idColumn))
                .distinct(),
            idColumn);
    JavaRDD<Row> indexed = sortedIds.javaRDD().zipWithIndex().map(IdMaps::toRow);
    return interactions.sparkSession().createDataFrame(indexed, schema);
  }

  private static Row toRow(Tuple2<Row, Long> idAndIndex) {
    return RowFactory.create(idAndIndex._1().getLong(0), Math.toIntExact(idAndIndex._2()));
  }
}
