package dev.recdata.quality;

import dev.recdata.common.cli.CliValues;

/** Which statuses stop the pipeline: only failed ERROR checks, or warnings too. */
public enum FailOn {
  FAIL,
  WARN;

  /** True when a check with this status should make the command exit with the gate-failed code. */
  public boolean gates(Status status) {
    return status == Status.FAIL || (this == WARN && status == Status.WARN);
  }

  public static FailOn parse(String value) {
    return CliValues.enumValue("--fail-on", String.valueOf(value), FailOn.class);
  }
}
