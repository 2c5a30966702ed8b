package dev.recdata.etl.read;

import dev.recdata.etl.RejectReason;
import dev.recdata.etl.RejectReason.Rejection;
import java.util.List;

/**
 * Parses a line of a generic delimited interactions file through resolved column positions. Rows
 * come out in {@link RatingLineParser#SCHEMA}, with a null rating when the mapping has no rating
 * column.
 */
final class GenericCsvParser implements LineParser {
  private static final long serialVersionUID = 1L;

  private final String delimiter;
  private final int fieldCount;
  private final int userIndex;
  private final int itemIndex;
  private final int ratingIndex; // -1: implicit
  private final int tsIndex;
  private final TimestampUnit tsUnit;

  GenericCsvParser(
      String delimiter,
      int fieldCount,
      int userIndex,
      int itemIndex,
      int ratingIndex,
      int tsIndex,
      TimestampUnit tsUnit) {
    this.delimiter = delimiter;
    this.fieldCount = fieldCount;
    this.userIndex = userIndex;
    this.itemIndex = itemIndex;
    this.ratingIndex = ratingIndex;
    this.tsIndex = tsIndex;
    this.tsUnit = tsUnit;
  }

  @Override
  public Rejection parse(byte[] bytes, int length, Object[] values) {
    List<String> f =
        CsvLine.split(
            CsvLine.chomp(new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8)),
            delimiter);
    if (f == null) {
      return RejectReason.UNCLOSED_QUOTE.reject();
    }
    if (f.size() != fieldCount) {
      return RejectReason.WRONG_FIELD_COUNT.reject(
          fieldCount, RatingLineParser.separatorName(delimiter), f.size());
    }
    String userText = f.get(userIndex).trim();
    Long user = id(userText);
    if (user == null) {
      return userText.isEmpty()
          ? RejectReason.EMPTY_USER_ID.reject()
          : RejectReason.BAD_USER_ID.reject(userText);
    }
    String itemText = f.get(itemIndex).trim();
    Long item = id(itemText);
    if (item == null) {
      return itemText.isEmpty()
          ? RejectReason.EMPTY_ITEM_ID.reject()
          : RejectReason.BAD_ITEM_ID.reject(itemText);
    }
    Float rating = null;
    if (ratingIndex >= 0) {
      String ratingText = f.get(ratingIndex).trim();
      if (ratingText.isEmpty()) {
        return RejectReason.EMPTY_RATING.reject();
      }
      try {
        rating = Float.parseFloat(ratingText);
      } catch (NumberFormatException e) {
        rating = Float.NaN;
      }
      if (rating.isNaN() || rating.isInfinite()) {
        return RejectReason.BAD_RATING.reject(ratingText);
      }
    }
    String tsText = f.get(tsIndex).trim();
    if (tsText.isEmpty()) {
      return RejectReason.EMPTY_TIMESTAMP.reject();
    }
    Long micros = Timestamps.toMicros(tsText, tsUnit);
    if (micros == null) {
      return RejectReason.BAD_TIMESTAMP.reject(tsText, Timestamps.expected(tsUnit));
    }
    values[0] = user;
    values[1] = item;
    values[2] = rating;
    values[3] = micros;
    return null;
  }

  private static Long id(String t) {
    if (t.isEmpty() || t.length() > 18) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(t);
  }
}
