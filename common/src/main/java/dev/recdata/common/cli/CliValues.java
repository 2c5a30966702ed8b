package dev.recdata.common.cli;

import dev.recdata.common.RecdataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsing of option values that picocli cannot type for us, with errors that list what is allowed.
 */
public final class CliValues {
  private CliValues() {}

  /**
   * Maps a CLI spelling such as {@code ml-100k} or {@code explicit} to its enum constant {@code
   * ML_100K}.
   */
  public static <E extends Enum<E>> E enumValue(String option, String value, Class<E> type) {
    String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return constant;
      }
      allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw RecdataException.badInput(
        "%s %s is not known; expected one of %s", option, value, String.join(", ", allowed));
  }

  /**
   * A duration such as {@code 90s}, {@code 10m}, {@code 1h30m} or ISO-8601 {@code PT10M}; {@code
   * none} (or {@code unlimited}) is null, no limit.
   */
  public static java.time.Duration duration(String option, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none") || v.equals("unlimited")) {
      return null;
    }
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return java.time.Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(v);
      if (!v.isEmpty() && m.matches()) {
        long seconds = 0;
        seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
        seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
        seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return java.time.Duration.ofSeconds(seconds);
      }
    } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
      // reported below with the accepted forms
    }
    throw RecdataException.badInput(
        "%s %s is not a duration; expected e.g. 90s, 10m, 1h30m, PT10M or none", option, value);
  }
}
