package dev.recdata.etl.clean;

import dev.recdata.common.RecdataException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** etl's cleaning steps as options, for {@code recdata etl} and the pipeline alike. */
public final class CleaningCliOptions {
  @Option(
      names = "--keep-duplicates",
      defaultValue = "latest",
      description =
          "Repeated (user, item, event): latest, first or all (default: ${DEFAULT-VALUE}).")
  String keepDuplicates;

  @Option(
      names = "--keep-exact-duplicates",
      description = "Do not remove rows identical in every column.")
  boolean keepExactDuplicates;

  @Option(
      names = "--positive-threshold",
      description = "Implicit conversion: ratings >= this become likes, lower ratings are dropped.")
  Float positiveThreshold;

  @Option(
      names = "--min-user-interactions",
      defaultValue = "0",
      description = "k-core: fewest positive interactions per user (default: ${DEFAULT-VALUE}).")
  int minUserInteractions;

  @Option(
      names = "--min-item-interactions",
      defaultValue = "0",
      description = "k-core: fewest positive interactions per item (default: ${DEFAULT-VALUE}).")
  int minItemInteractions;

  @Option(
      names = "--since",
      description = "Keep events at or after this instant (ISO-8601, e.g. 2019-01-01T00:00:00Z).")
  String since;

  @Option(
      names = "--window-days",
      description = "Keep the last N days, counted back from the newest event.")
  Integer windowDays;

  @Option(
      names = "--min-ts",
      description = "Reject events before this instant (default: 1990-01-01T00:00:00Z).")
  String minTs;

  @Option(
      names = "--max-ts",
      description = "Reject events after this instant (default: now + 1 day).")
  String maxTs;

  /** The cleaning options; {@code now} decides the default --max-ts. */
  public CleaningOptions options(Instant now) {
    CleaningOptions defaults = CleaningOptions.defaults(now);
    return new CleaningOptions(
        !keepExactDuplicates,
        duplicatePolicy(),
        positiveThreshold,
        minUserInteractions,
        minItemInteractions,
        instant("--since", since),
        windowDays,
        minTs == null ? defaults.minTs() : instant("--min-ts", minTs),
        maxTs == null ? defaults.maxTs() : instant("--max-ts", maxTs));
  }

  private DuplicatePolicy duplicatePolicy() {
    return switch (keepDuplicates.trim().toLowerCase(Locale.ROOT)) {
      case "latest" -> DuplicatePolicy.KEEP_LATEST;
      case "first" -> DuplicatePolicy.KEEP_FIRST;
      case "all" -> DuplicatePolicy.KEEP_ALL;
      default ->
          throw RecdataException.badInput(
              "--keep-duplicates %s is not known; expected one of latest, first, all",
              keepDuplicates);
    };
  }

  static Instant instant(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw RecdataException.badInput(
            "%s %s is not a date: expected ISO-8601 such as 2019-01-01 or 2019-01-01T00:00:00Z",
            option, value);
      }
    }
  }
}
