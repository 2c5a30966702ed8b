package dev.recdata.splits;

import dev.recdata.common.Schema;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The order of one group's events as a comparator of Spark's internal rows, for inputs that arrive
 * clustered by group but whose in-group order the split does not take on trust: optionally a seeded
 * hash key first (random strategies), then {@link Schema#USER_EVENT_ORDER}. It orders exactly as
 * Spark's ascending sort on the same columns does (strings by UTF-8 bytes, a null rating first,
 * -0.0 equal to 0.0, NaN largest), so a clustered input and a shuffled one give identical splits.
 */
final class EventOrder implements Comparator<InternalRow>, Serializable {
  private static final long serialVersionUID = 1L;

  private final int orderKey;
  private final int ts;
  private final int item;
  private final int event;
  private final int source;
  private final int rating;

  /**
   * @param schema the rows' schema
   * @param orderKeyColumn a bigint column compared before everything else, or null
   */
  EventOrder(StructType schema, String orderKeyColumn) {
    List<String> names = Arrays.asList(schema.fieldNames());
    this.orderKey = orderKeyColumn == null ? -1 : names.indexOf(orderKeyColumn);
    this.ts = names.indexOf(Schema.TS);
    this.item = names.indexOf(Schema.ITEM_ID);
    this.event = names.indexOf(Schema.EVENT);
    this.source = names.indexOf(Schema.SOURCE);
    this.rating = names.indexOf(Schema.RATING);
  }

  @Override
  public int compare(InternalRow a, InternalRow b) {
    int c = orderKey < 0 ? 0 : Long.compare(a.getLong(orderKey), b.getLong(orderKey));
    if (c == 0) {
      // a timestamp is its microseconds since the epoch
      c = Long.compare(a.getLong(ts), b.getLong(ts));
    }
    if (c == 0) {
      c = Long.compare(a.getLong(item), b.getLong(item));
    }
    if (c == 0) {
      // UTF8String compares unsigned UTF-8 bytes, as Spark's sort does
      c = a.getUTF8String(event).compareTo(b.getUTF8String(event));
    }
    if (c == 0) {
      c = a.getUTF8String(source).compareTo(b.getUTF8String(source));
    }
    if (c == 0) {
      c = compareRating(a, b);
    }
    return c;
  }

  private int compareRating(InternalRow a, InternalRow b) {
    boolean aNull = a.isNullAt(rating);
    boolean bNull = b.isNullAt(rating);
    if (aNull || bNull) {
      return aNull == bNull ? 0 : aNull ? -1 : 1;
    }
    float x = a.getFloat(rating);
    float y = b.getFloat(rating);
    // as Spark's SQLOrderingUtil.compareFloats: -0.0 equals 0.0, NaN is largest
    return x == y ? 0 : Float.compare(x, y);
  }
}
