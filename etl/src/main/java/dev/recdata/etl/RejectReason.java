package dev.recdata.etl;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Why etl rejects a row: a closed set of codes (the manifest's {@code counts.rejected_by_reason}
 * keys and the rejects' {@code reason_code}), each with the template of the readable reason that
 * names the offending value. Counting by code keeps the manifest one key per kind of problem
 * however many distinct bad values there are.
 */
public enum RejectReason {
  /** Ratings, items or users line: "expected 4 tab-separated fields, found 3". */
  WRONG_FIELD_COUNT("expected %s %s fields, found %s"),
  UNCLOSED_QUOTE("a quoted field is not closed"),
  EMPTY_USER_ID("user id is empty"),
  BAD_USER_ID("user id '%s' is not a whole number"),
  EMPTY_ITEM_ID("item id is empty"),
  BAD_ITEM_ID("item id '%s' is not a whole number"),
  EMPTY_RATING("rating is empty"),
  BAD_RATING("rating '%s' is not a number"),
  /** Outside the layout's scale: "rating '6' is outside 1..5". */
  RATING_OUT_OF_RANGE("rating '%s' is outside %s..%s"),
  /**
   * Within the scale's range but between its steps: "rating '3.5' is not a multiple of 1 in 1..5".
   */
  RATING_OFF_STEP("rating '%s' is not a multiple of %s in %s..%s"),
  EMPTY_TIMESTAMP("timestamp is empty"),
  /** Not a timestamp in the expected encoding: "timestamp 'soon' is not epoch seconds". */
  BAD_TIMESTAMP("timestamp '%s' is not %s"),
  /** Before {@code --min-ts}. */
  TIMESTAMP_BEFORE_MIN("timestamp %s before %s"),
  /** After {@code --max-ts}. */
  TIMESTAMP_AFTER_MAX("timestamp %s after %s"),
  /** u.item's genre flags must be 0 or 1. */
  BAD_GENRE_FLAG("genre flag %s is '%s', expected 0 or 1"),
  BAD_AGE("age '%s' is not a whole number"),
  /**
   * Feedback rows: the first problem in this order names the code; the readable reason lists them
   * all.
   */
  NULL_FEEDBACK_USER("%s is null"),
  NULL_FEEDBACK_ITEM("%s is null"),
  NULL_FEEDBACK_SHOWN_ITEM("%s contains a null item"),
  NULL_FEEDBACK_TIMESTAMP("%s is null");

  private final String template;

  RejectReason(String template) {
    this.template = template;
  }

  /** The code stored in the manifest and the rejects' {@code reason_code}: {@code bad_item_id}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String template() {
    return template;
  }

  /** The readable reason with the offending values filled in. */
  public String message(Object... args) {
    return String.format(Locale.ROOT, template, args);
  }

  /** A rejection with its readable reason, as line parsers return it. */
  public Rejection reject(Object... args) {
    return new Rejection(this, message(args));
  }

  /**
   * The readable reason as a Spark expression, each {@code %s} filled by a column (cast to string).
   */
  public Column messageColumn(Column... args) {
    String[] parts = template.split("%s", -1);
    if (parts.length != args.length + 1) {
      throw new IllegalArgumentException(
          this + " takes " + (parts.length - 1) + " values, got " + args.length);
    }
    List<Column> pieces = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].isEmpty()) {
        pieces.add(lit(parts[i]));
      }
      if (i < args.length) {
        pieces.add(args[i].cast(DataTypes.StringType));
      }
    }
    return pieces.size() == 1 ? pieces.get(0) : concat(pieces.toArray(Column[]::new));
  }

  public Column codeColumn() {
    return lit(code());
  }

  /** Every code, for documentation and tests. */
  public static List<String> codes() {
    return Arrays.stream(values()).map(RejectReason::code).toList();
  }

  /** A condition that rejects a row, the reason it gives and the columns its message quotes. */
  public record Check(Column failed, RejectReason reason, Column... values) {}

  /** The readable reason of the first check in {@code checks} that fails; null when none does. */
  public static Column firstMessage(List<Check> checks) {
    Column chain = null;
    for (Check check : checks) {
      Column text = check.reason().messageColumn(check.values());
      chain = chain == null ? when(check.failed(), text) : chain.when(check.failed(), text);
    }
    return chain;
  }

  /**
   * The code of the first check in {@code checks} that fails (the same order as {@link
   * #firstMessage}).
   */
  public static Column firstCode(List<Check> checks) {
    Column chain = null;
    for (Check check : checks) {
      chain =
          chain == null
              ? when(check.failed(), check.reason().codeColumn())
              : chain.when(check.failed(), check.reason().codeColumn());
    }
    return chain;
  }

  /** What a parser found wrong with a row: the code and the readable reason naming the value. */
  public record Rejection(RejectReason reason, String message) {
    public String code() {
      return reason.code();
    }
  }
}
