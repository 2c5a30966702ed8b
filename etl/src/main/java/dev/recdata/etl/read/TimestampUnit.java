package dev.recdata.etl.read;

/** How a generic input's timestamp column is encoded. */
public enum TimestampUnit {
  /**
   * Per value: whole numbers below 10^11 are epoch seconds (10^11 s is the year 5138), larger ones
   * epoch milliseconds (10^11 ms is 1973); anything else is parsed as ISO-8601.
   */
  AUTO,
  SECONDS,
  MILLIS,
  /**
   * ISO-8601: 2024-01-31T12:00:00Z, with an offset, or without one (read as UTC); a bare date is
   * midnight UTC.
   */
  ISO
}
