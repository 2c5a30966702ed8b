package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The embedding table sizes the training tensors' headers promise, from etl's id maps. */
class TrainingExportTest {
  private static final SparkSession spark = SharedSpark.session();

  private static Dataset<Row> itemMap(int... indexes) {
    return spark.createDataFrame(
        Arrays.stream(indexes).mapToObj(i -> RowFactory.create(100L + i, i)).toList(),
        Schema.ITEM_ID_MAP);
  }

  @Test
  void aDenseMapsSizeIsItsRowCount() {
    assertThat(TrainingExport.tableSize(itemMap(2, 0, 1), Schema.ITEM_IDX, "etl/id_maps/items"))
        .isEqualTo(3L);
    assertThat(TrainingExport.tableSize(itemMap(), Schema.ITEM_IDX, "etl/id_maps/items")).isZero();
  }

  /** Item 3 in a map of 3 rows would be out of range in a table of num_items = 3 rows. */
  @Test
  void aMapWithAGapIsRefusedRatherThanGivenASizeThatLies() {
    assertThatThrownBy(
            () -> TrainingExport.tableSize(itemMap(0, 1, 3), Schema.ITEM_IDX, "etl/id_maps/items"))
        .isInstanceOf(RecdataException.class)
        .hasMessage(
            "etl/id_maps/items has 3 rows but its largest item_idx is 3: expected the dense indexes"
                + " 0..2 etl writes");
  }
}
