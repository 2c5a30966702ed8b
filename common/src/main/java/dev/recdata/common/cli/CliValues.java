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
}
