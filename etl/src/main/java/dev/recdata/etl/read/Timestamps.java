package dev.recdata.etl.read;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Text timestamps of generic inputs to Spark's unit, microseconds since the epoch (UTC). */
final class Timestamps {
  private Timestamps() {}

  /**
   * Below this a whole number is epoch seconds, at or above it epoch milliseconds (see
   * TimestampUnit.AUTO).
   */
  static final long AUTO_MILLIS_THRESHOLD = 100_000_000_000L;

  private static final long MAX_SECONDS = RatingLineParser.MAX_EPOCH_SECONDS;
  private static final long MIN_SECONDS = -62_135_596_800L; // 0001-01-01T00:00:00Z

  /** Microseconds since the epoch, or null when the text is not a timestamp in that unit. */
  static Long toMicros(String text, TimestampUnit unit) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    return switch (unit) {
      case SECONDS -> secondsToMicros(whole(t));
      case MILLIS -> millisToMicros(whole(t));
      case ISO -> iso(t);
      case AUTO -> {
        Long n = whole(t);
        if (n == null) {
          yield iso(t);
        }
        yield Math.abs(n) < AUTO_MILLIS_THRESHOLD ? secondsToMicros(n) : millisToMicros(n);
      }
    };
  }

  /** How a reason names what was expected. */
  static String expected(TimestampUnit unit) {
    return switch (unit) {
      case SECONDS -> "epoch seconds";
      case MILLIS -> "epoch milliseconds";
      case ISO -> "an ISO-8601 timestamp";
      case AUTO -> "epoch seconds, epoch milliseconds or an ISO-8601 timestamp";
    };
  }

  private static Long secondsToMicros(Long seconds) {
    return seconds == null || seconds < MIN_SECONDS || seconds > MAX_SECONDS
        ? null
        : seconds * 1_000_000L;
  }

  private static Long millisToMicros(Long millis) {
    return millis == null || millis < MIN_SECONDS * 1000 || millis > MAX_SECONDS * 1000
        ? null
        : millis * 1000L;
  }

  private static Long whole(String t) {
    int start = t.charAt(0) == '-' ? 1 : 0;
    if (t.length() == start || t.length() - start > 18) {
      return null;
    }
    for (int i = start; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(t);
  }

  /** 2024-01-31T12:00:00Z, ...+01:00, 2024-01-31 12:00:00 (UTC), 2024-01-31 (midnight UTC). */
  private static Long iso(String t) {
    String s =
        t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
    try {
      if (s.length() == 10) {
        return micros(
            LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).getEpochSecond(), 0);
      }
      if (s.endsWith("Z") || s.endsWith("z") || hasOffset(s)) {
        OffsetDateTime odt =
            OffsetDateTime.parse(s.replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return micros(odt.toEpochSecond(), odt.getNano());
      }
      LocalDateTime ldt = LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      return micros(ldt.toEpochSecond(ZoneOffset.UTC), ldt.getNano());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static boolean hasOffset(String s) {
    int t = s.indexOf('T');
    return t > 0 && (s.indexOf('+', t) > 0 || s.indexOf('-', t) > 0);
  }

  private static Long micros(long seconds, int nanos) {
    return seconds < MIN_SECONDS || seconds > MAX_SECONDS
        ? null
        : seconds * 1_000_000L + nanos / 1000;
  }
}
