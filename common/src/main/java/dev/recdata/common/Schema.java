package dev.recdata.common;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The canonical dataset every stage reads and writes: column names, event kinds and Spark schemas,
 * declared once so no stage spells {@code "user_id"} by hand.
 */
public final class Schema {
  private Schema() {}

  // interactions/
  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";
  public static final String RATING = "rating";
  public static final String TS = "ts";
  public static final String EVENT = "event";
  public static final String SOURCE = "source";

  // id_maps/
  public static final String USER_IDX = "user_idx";
  public static final String ITEM_IDX = "item_idx";

  // items/ and users/
  public static final String TITLE = "title";
  public static final String GENRES = "genres";
  public static final String YEAR = "year";
  public static final String AGE = "age";
  public static final String GENDER = "gender";
  public static final String OCCUPATION = "occupation";
  public static final String ZIP = "zip";

  // rejects/
  public static final String REJECT_FILE = "file";
  public static final String REJECT_LINE = "line";
  public static final String REJECT_RAW = "raw";
  public static final String REJECT_REASON = "reason";

  /**
   * One of etl's closed set of reject codes ({@code bad_item_id}); {@link #REJECT_REASON} names the
   * value.
   */
  public static final String REJECT_REASON_CODE = "reason_code";

  /** An explicit rating from a dataset such as MovieLens. */
  public static final String EVENT_RATING = "rating";

  /**
   * A positive implicit interaction: the user liked the item (feedback) or rated it at or above a
   * threshold.
   */
  public static final String EVENT_LIKE = "like";

  /** An item shown to the user and passed over: kept for negative sampling, never a positive. */
  public static final String EVENT_IMPRESSION = "impression";

  public static final StructType INTERACTIONS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(USER_ID, DataTypes.LongType, false),
            DataTypes.createStructField(ITEM_ID, DataTypes.LongType, false),
            DataTypes.createStructField(RATING, DataTypes.FloatType, true),
            DataTypes.createStructField(TS, DataTypes.TimestampType, false),
            DataTypes.createStructField(EVENT, DataTypes.StringType, false),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false)
          });

  /**
   * The order of one user's events in etl's output and in every per-user split: time, then item,
   * event, source and rating (nulls first), all ascending, so even exact duplicates have one order.
   * etl writes {@link #INTERACTIONS} clustered by user (each user's events in one file, users
   * ascending) in this order; the split stage relies on it to cut users without a shuffle (see the
   * etl manifest's {@value #CLUSTERED_BY_KEY}).
   */
  public static final java.util.List<String> USER_EVENT_ORDER =
      java.util.List.of(TS, ITEM_ID, EVENT, SOURCE, RATING);

  /**
   * The etl manifest key naming the column the interactions files are clustered by ({@value
   * #USER_ID}).
   */
  public static final String CLUSTERED_BY_KEY = "interactions_clustered_by";

  public static final StructType REJECTS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false),
            DataTypes.createStructField(REJECT_FILE, DataTypes.StringType, true),
            DataTypes.createStructField(REJECT_LINE, DataTypes.LongType, true),
            DataTypes.createStructField(REJECT_RAW, DataTypes.StringType, true),
            DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, false),
            DataTypes.createStructField(REJECT_REASON_CODE, DataTypes.StringType, false)
          });

  public static final StructType ITEMS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ITEM_ID, DataTypes.LongType, false),
            DataTypes.createStructField(TITLE, DataTypes.StringType, true),
            DataTypes.createStructField(
                GENRES, DataTypes.createArrayType(DataTypes.StringType, false), true),
            DataTypes.createStructField(YEAR, DataTypes.IntegerType, true)
          });

  public static final StructType USERS =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(USER_ID, DataTypes.LongType, false),
            DataTypes.createStructField(AGE, DataTypes.IntegerType, true),
            DataTypes.createStructField(GENDER, DataTypes.StringType, true),
            DataTypes.createStructField(OCCUPATION, DataTypes.StringType, true),
            DataTypes.createStructField(ZIP, DataTypes.StringType, true)
          });

  public static final StructType USER_ID_MAP =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(USER_ID, DataTypes.LongType, false),
            DataTypes.createStructField(USER_IDX, DataTypes.IntegerType, false)
          });

  public static final StructType ITEM_ID_MAP =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ITEM_ID, DataTypes.LongType, false),
            DataTypes.createStructField(ITEM_IDX, DataTypes.IntegerType, false)
          });

  /** Folder names inside an etl output directory. */
  public static final class Layout {
    private Layout() {}

    public static final String INTERACTIONS = "interactions";
    public static final String ITEMS = "items";
    public static final String USERS = "users";
    public static final String ID_MAPS = "id_maps";
    public static final String USER_MAP = "id_maps/users";
    public static final String ITEM_MAP = "id_maps/items";
    public static final String REJECTS = "rejects";
    public static final String MANIFEST = "manifest.json";
    public static final String SPLITS = "splits";
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
  }
}
