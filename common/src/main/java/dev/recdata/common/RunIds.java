package dev.recdata.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Run identifiers: sortable by time and unique, e.g. {@code 20261123T130455Z-1a2b3c4d}. */
public final class RunIds {
  private RunIds() {}

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static String newRunId() {
    return FORMAT.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
