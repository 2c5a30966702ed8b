package dev.recdata.export.training;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Item and user side features as tensors: genres multi-hot, year, age, gender and occupation
 * one-hot. The vocabularies (column order of the one-hot blocks) come from the data, sorted, and
 * are written to {@code vocabularies.json}; every item and user of the id maps gets a row, unknown
 * values as -1 or all zeros.
 */
public final class Features {
  private Features() {}

  /**
   * Sorted distinct non-null values of a string column (or of a string array column's elements).
   */
  public static List<String> vocabulary(Dataset<Row> rows, String column, boolean array) {
    Column values = array ? functions.explode(col(column)) : col(column);
    List<String> out = new ArrayList<>();
    for (Row row :
        rows.select(values.as("v"))
            .where(col("v").isNotNull())
            .distinct()
            .orderBy("v")
            .collectAsList()) {
      out.add(row.getString(0));
    }
    return out;
  }

  /**
   * {@code item_idx} long, {@code genres} float array (multi-hot over {@code genres}), {@code year}
   * long (-1 unknown).
   */
  public static Dataset<Row> items(Dataset<Row> itemMap, Dataset<Row> items, List<String> genres) {
    Dataset<Row> joined =
        itemMap.join(items, itemMap.col(Schema.ITEM_ID).equalTo(items.col(Schema.ITEM_ID)), "left");
    return joined.select(
        itemMap.col(Schema.ITEM_IDX).cast("long").as(Schema.ITEM_IDX),
        oneHot(col(Schema.GENRES), genres, true).as(Schema.GENRES),
        coalesce(col(Schema.YEAR).cast("long"), lit(-1L)).as(Schema.YEAR));
  }

  /**
   * {@code user_idx}, {@code age} (-1 unknown), {@code gender} and {@code occupation} one-hot
   * floats.
   */
  public static Dataset<Row> users(
      Dataset<Row> userMap, Dataset<Row> users, List<String> genders, List<String> occupations) {
    Dataset<Row> joined =
        userMap.join(users, userMap.col(Schema.USER_ID).equalTo(users.col(Schema.USER_ID)), "left");
    return joined.select(
        userMap.col(Schema.USER_IDX).cast("long").as(Schema.USER_IDX),
        coalesce(col(Schema.AGE).cast("long"), lit(-1L)).as(Schema.AGE),
        oneHot(col(Schema.GENDER), genders, false).as(Schema.GENDER),
        oneHot(col(Schema.OCCUPATION), occupations, false).as(Schema.OCCUPATION));
  }

  private static Column oneHot(Column value, List<String> vocabulary, boolean multi) {
    if (vocabulary.isEmpty()) {
      return functions.array_repeat(lit(0f), 0).cast("array<float>");
    }
    Column[] slots = new Column[vocabulary.size()];
    for (int i = 0; i < slots.length; i++) {
      Column hit =
          multi
              ? coalesce(array_contains(value, lit(vocabulary.get(i))), lit(false))
              : coalesce(value.equalTo(lit(vocabulary.get(i))), lit(false));
      slots[i] = when(hit, lit(1f)).otherwise(lit(0f));
    }
    return array(slots);
  }
}
