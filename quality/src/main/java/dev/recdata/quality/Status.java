package dev.recdata.quality;

import java.util.Locale;

/**
 * The outcome of one check. A violated ERROR check is {@link #FAIL}, a violated WARNING check is
 * {@link #WARN}; {@link #SKIP} marks a check that does not apply to the split strategy (ratio
 * conformance on a global-time split).
 */
public enum Status {
  PASS,
  WARN,
  FAIL,
  SKIP;

  /**
   * {@code pass}, {@code warn}, {@code fail} or {@code skip}, as stored in report.json and
   * PostgreSQL.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
