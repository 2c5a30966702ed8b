package dev.recdata.etl.read;

import static dev.recdata.common.RecdataException.checkInput;

import dev.recdata.common.Schema;

/**
 * Which columns of a generic CSV or Parquet input hold the user, item, rating and timestamp.
 * Without a rating column the interactions are implicit (rating null, event "like"). For a CSV
 * without a header, columns are named by position: "_c0", "_c1", ... (Spark's convention) or
 * plainly "0", "1", ...
 *
 * @param userCol user id column (whole numbers)
 * @param itemCol item id column (whole numbers)
 * @param ratingCol explicit rating column, or null for implicit feedback
 * @param tsCol timestamp column
 * @param tsUnit how the timestamp is encoded
 * @param delimiter CSV field delimiter (one character, or a literal string such as "::")
 * @param header whether each CSV file starts with a header line
 */
public record ColumnMapping(
    String userCol,
    String itemCol,
    String ratingCol,
    String tsCol,
    TimestampUnit tsUnit,
    String delimiter,
    boolean header) {

  public ColumnMapping {
    checkInput(userCol != null && !userCol.isBlank(), "the user column name must not be empty");
    checkInput(itemCol != null && !itemCol.isBlank(), "the item column name must not be empty");
    checkInput(tsCol != null && !tsCol.isBlank(), "the timestamp column name must not be empty");
    if (ratingCol != null && ratingCol.isBlank()) {
      ratingCol = null; // an empty --rating-col means "implicit feedback", like leaving it out
    }
    checkInput(
        !userCol.equals(itemCol), "the user and item columns must differ; both are '%s'", userCol);
    tsUnit = tsUnit == null ? TimestampUnit.AUTO : tsUnit;
    if ("\\t".equals(delimiter)) {
      delimiter = "\t"; // a tab typed on a command line arrives as backslash-t
    }
    checkInput(
        delimiter != null && !delimiter.isEmpty(),
        "the CSV delimiter must not be empty (use ',' or '\\t' or ';')");
    checkInput(
        !delimiter.contains("\"") && !delimiter.contains("\n") && !delimiter.contains("\r"),
        "the CSV delimiter %s cannot contain a quote or a line break",
        quoted(delimiter));
  }

  /** The canonical column names (user_id, item_id, rating, ts), auto timestamps, comma, header. */
  public static ColumnMapping defaults() {
    return new ColumnMapping(
        Schema.USER_ID, Schema.ITEM_ID, Schema.RATING, Schema.TS, TimestampUnit.AUTO, ",", true);
  }

  /** True when the input carries explicit ratings. */
  public boolean explicit() {
    return ratingCol != null;
  }

  private static String quoted(String s) {
    return "'" + s.replace("\t", "\\t") + "'";
  }
}
