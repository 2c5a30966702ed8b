package dev.recdata.als;

import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Recommends from one ordered catalogue shared by every user: each user reads it from their own
 * start position (wrapping around) and keeps the first K items they have not seen. The most-popular
 * baseline reads from the top, the random baseline from a seeded random start in a seeded shuffle.
 *
 * <p>Why this shape: the catalogue (59k ids at MovieLens 25M scale) is broadcast once and each user
 * costs O(K + their history). Cross-joining users with the K + longest-history most popular items,
 * the obvious alternative, makes every user pay for the heaviest user's history (billions of rows
 * at 25M).
 */
final class ListWalk {
  private ListWalk() {}

  static final String START = "start";

  static final StructType OUTPUT =
      new StructType()
          .add(Schema.USER_ID, DataTypes.LongType, false)
          .add(
              RankingMetrics.RECOMMENDED,
              DataTypes.createArrayType(DataTypes.LongType, false),
              false);

  /**
   * {@code (user_id, recommended)} for {@code queries (user_id, start int, excluded array<bigint>
   * or null)}: the first K ids of {@code order} from {@code start} on that are not excluded, fewer
   * only when the catalogue runs out.
   */
  static Dataset<Row> firstUnseen(SparkSession spark, Dataset<Row> queries, long[] order, int k) {
    Broadcast<long[]> catalogue =
        spark.sparkContext().broadcast(order, scala.reflect.ClassTag$.MODULE$.apply(long[].class));
    Dataset<Row> input = queries.select(Schema.USER_ID, START, BlockTopK.EXCLUDED);
    MapPartitionsFunction<Row, Row> walk =
        rows -> {
          long[] items = catalogue.value();
          return new Iterator<Row>() {
            @Override
            public boolean hasNext() {
              return rows.hasNext();
            }

            @Override
            public Row next() {
              Row row = rows.next();
              Set<Long> excluded = row.isNullAt(2) ? Set.of() : new HashSet<>(row.<Long>getList(2));
              // the row encoder takes a Scala Seq for an array column
              return RowFactory.create(
                  row.getLong(0),
                  CollectionConverters.asScala(walk(items, row.getInt(1), excluded, k)).toSeq());
            }
          };
        };
    return input.mapPartitions(walk, Encoders.row(OUTPUT));
  }

  /**
   * The first k ids of {@code order} from {@code start}, wrapping once around, that are not
   * excluded.
   */
  static List<Long> walk(long[] order, int start, Set<Long> excluded, int k) {
    List<Long> kept = new ArrayList<>(k);
    for (int step = 0; step < order.length && kept.size() < k; step++) {
      long item = order[(int) ((start + (long) step) % order.length)];
      if (!excluded.contains(item)) {
        kept.add(item);
      }
    }
    return kept;
  }
}
