package dev.recdata.splits;

import dev.recdata.common.cli.CliValues;

/** How interactions are divided into train, validation and test (or k folds). */
public enum Strategy {
  /** Each user's events in time order (ties by item id) cut at the given fractions. */
  USER_RATIO("user-ratio"),
  /** Each user's last k events go to test and the k before to validation. */
  LEAVE_LAST("leave-last"),
  /** One cutoff time for everyone, so no evaluation event precedes any training event. */
  GLOBAL_TIME("global-time"),
  /** Each user's events in a seeded hash order, cut at the given fractions. */
  USER_RANDOM("user-random"),
  /** Each user's events dealt round-robin into k folds in a seeded hash order. */
  KFOLD("kfold");

  private final String cliName;

  Strategy(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in the manifest, e.g. {@code user-ratio}. */
  public String cliName() {
    return cliName;
  }

  /** True when each group's events are ordered by a seeded hash rather than by time. */
  boolean isRandom() {
    return this == USER_RANDOM || this == KFOLD;
  }

  /** Parses a command-line name; the error lists the accepted names. */
  public static Strategy fromCli(String name) {
    return CliValues.enumValue("--strategy", String.valueOf(name), Strategy.class);
  }
}
