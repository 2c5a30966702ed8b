package dev.recdata.etl.clean;

import static dev.recdata.etl.clean.Rows.impression;
import static dev.recdata.etl.clean.Rows.interactions;
import static dev.recdata.etl.clean.Rows.like;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class IdMapsTest {
  @Test
  void usersAndItemsGetDenseIndicesInIdOrder() {
    Dataset<Row> input =
        interactions(
            like(30, 7, "2020-01-01T00:00:00Z"),
            like(10, 900, "2020-01-02T00:00:00Z"),
            impression(20, 7, "2020-01-03T00:00:00Z"),
            like(10, 5, "2020-01-04T00:00:00Z"));

    Dataset<Row> users = IdMaps.users(input);
    Dataset<Row> items = IdMaps.items(input);

    assertThat(users.schema()).isEqualTo(Schema.USER_ID_MAP);
    assertThat(items.schema()).isEqualTo(Schema.ITEM_ID_MAP);
    assertThat(pairs(users)).containsExactly("10->0", "20->1", "30->2");
    assertThat(pairs(items)).containsExactly("5->0", "7->1", "900->2");
  }

  @Test
  void indicesAreDenseAcrossPartitionsAndIdenticalAcrossRunsAndInputOrders() {
    List<Long> ids =
        new ArrayList<>(IntStream.range(0, 300).mapToObj(i -> 1000L + 7L * i).toList());
    Collections.shuffle(ids, new Random(42));
    Row[] rows =
        ids.stream().map(id -> like(id, id % 13, "2020-01-01T00:00:00Z")).toArray(Row[]::new);
    Dataset<Row> shuffled = interactions(rows).repartition(5);
    Collections.reverse(ids);
    Row[] reversedRows =
        ids.stream().map(id -> like(id, id % 13, "2020-01-01T00:00:00Z")).toArray(Row[]::new);
    Dataset<Row> reversed = interactions(reversedRows).repartition(3);

    List<String> first = pairs(IdMaps.users(shuffled));
    List<String> second = pairs(IdMaps.users(reversed));

    List<String> expected =
        IntStream.range(0, 300).mapToObj(i -> (1000L + 7L * i) + "->" + i).toList();
    assertThat(first).isEqualTo(expected);
    assertThat(second).isEqualTo(first);
    assertThat(pairs(IdMaps.items(shuffled)))
        .isEqualTo(IntStream.range(0, 13).mapToObj(i -> i + "->" + i).toList());
  }

  /** "id->idx" in the map's own order. */
  private static List<String> pairs(Dataset<Row> map) {
    return map.collectAsList().stream().map(r -> r.getLong(0) + "->" + r.getInt(1)).toList();
  }
}
