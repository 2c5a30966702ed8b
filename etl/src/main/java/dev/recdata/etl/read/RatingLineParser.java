package dev.recdata.etl.read;

import dev.recdata.common.Schema;
import dev.recdata.etl.RejectReason;
import dev.recdata.etl.RejectReason.Rejection;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Parses a MovieLens ratings line, "user SEP item SEP rating SEP epoch-seconds", straight from its
 * bytes: one scan for the separators, digits accumulated by hand, no String, no regex, no exception
 * on the valid path. This is the hot loop of the etl stage (25M lines for MovieLens 25M).
 */
final class RatingLineParser implements LineParser {
  private static final long serialVersionUID = 1L;

  /** The parsed values: ids, rating, and the timestamp in microseconds (Spark's timestamp unit). */
  static final String TS_MICROS = "ts_micros";

  static final StructType SCHEMA =
      new StructType()
          .add(Schema.USER_ID, DataTypes.LongType, false)
          .add(Schema.ITEM_ID, DataTypes.LongType, false)
          .add(Schema.RATING, DataTypes.FloatType, true)
          .add(TS_MICROS, DataTypes.LongType, false);

  private static final int FIELDS = 4;

  /**
   * 9999-12-31T23:59:59Z: anything later is a garbled timestamp, and would overflow microseconds.
   */
  static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

  private static final long EMPTY = -1;
  private static final long INVALID = -2;

  private final byte[] separator;
  private final String separatorName;
  private final RatingScale scale;

  RatingLineParser(String separator, RatingScale scale) {
    this.separator = separator.getBytes(StandardCharsets.US_ASCII);
    this.separatorName = separatorName(separator);
    this.scale = scale;
  }

  /** "tab-separated", "comma-separated", "'::'-separated": how a reason names a separator. */
  static String separatorName(String separator) {
    return switch (separator) {
      case "\t" -> "tab-separated";
      case "," -> "comma-separated";
      case ";" -> "semicolon-separated";
      case "|" -> "pipe-separated";
      default -> "'" + separator + "'-separated";
    };
  }

  @Override
  public Rejection parse(byte[] b, int length, Object[] values) {
    int end = length;
    while (end > 0 && (b[end - 1] == '\r' || b[end - 1] == ' ')) {
      end--;
    }
    int[] bounds = new int[FIELDS + 1]; // field i spans [bounds[i], bounds[i+1] - separator.length)
    int fields = 1;
    int sep = separator.length;
    int i = 0;
    while (i <= end - sep) {
      if (matchesSeparator(b, i)) {
        if (fields < FIELDS + 1) {
          bounds[fields] = i + sep;
        }
        fields++;
        i += sep;
      } else {
        i++;
      }
    }
    if (fields != FIELDS) {
      return RejectReason.WRONG_FIELD_COUNT.reject(FIELDS, separatorName, fields);
    }
    int userEnd = bounds[1] - sep;
    int itemEnd = bounds[2] - sep;
    int ratingEnd = bounds[3] - sep;

    long user = parseWhole(b, 0, userEnd);
    if (user < 0) {
      return user == EMPTY
          ? RejectReason.EMPTY_USER_ID.reject()
          : RejectReason.BAD_USER_ID.reject(text(b, 0, userEnd));
    }
    long item = parseWhole(b, bounds[1], itemEnd);
    if (item < 0) {
      return item == EMPTY
          ? RejectReason.EMPTY_ITEM_ID.reject()
          : RejectReason.BAD_ITEM_ID.reject(text(b, bounds[1], itemEnd));
    }
    double rating = parseDecimal(b, bounds[2], ratingEnd);
    if (Double.isNaN(rating)) {
      String text = text(b, bounds[2], ratingEnd);
      return text.isBlank()
          ? RejectReason.EMPTY_RATING.reject()
          : RejectReason.BAD_RATING.reject(text);
    }
    Rejection offScale = scale.check(rating, text(b, bounds[2], ratingEnd));
    if (offScale != null) {
      return offScale;
    }
    long seconds = parseWhole(b, bounds[3], end);
    if (seconds == EMPTY) {
      return RejectReason.EMPTY_TIMESTAMP.reject();
    }
    if (seconds < 0 || seconds > MAX_EPOCH_SECONDS) {
      return RejectReason.BAD_TIMESTAMP.reject(text(b, bounds[3], end), "epoch seconds");
    }
    values[0] = user;
    values[1] = item;
    values[2] = (float) rating;
    values[3] = seconds * 1_000_000L;
    return null;
  }

  private boolean matchesSeparator(byte[] b, int at) {
    for (int k = 0; k < separator.length; k++) {
      if (b[at + k] != separator[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A non-negative whole number of at most 18 digits, spaces around allowed; else EMPTY or INVALID.
   */
  static long parseWhole(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    if (from == to) {
      return EMPTY;
    }
    if (to - from > 18) {
      return INVALID;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9) {
        return INVALID;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /**
   * "4", "3.5", "4.0", ".5": a non-negative decimal, exact for MovieLens's ratings; NaN when not
   * one.
   */
  static double parseDecimal(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    if (from == to || to - from > 18) {
      return Double.NaN;
    }
    long mantissa = 0;
    long divisor = 1;
    boolean point = false;
    boolean digits = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '.' && !point) {
        point = true;
      } else if (c >= '0' && c <= '9') {
        mantissa = mantissa * 10 + (c - '0');
        digits = true;
        if (point) {
          divisor *= 10;
        }
      } else {
        return Double.NaN;
      }
    }
    return digits ? (double) mantissa / divisor : Double.NaN;
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1).trim();
  }
}
