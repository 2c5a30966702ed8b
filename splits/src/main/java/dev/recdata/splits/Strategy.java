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

  /** True when --ratios apply (unless global-time is given --cutoffs instead). */
  public boolean usesRatios() {
    return this == USER_RATIO || this == USER_RANDOM || this == GLOBAL_TIME;
  }

  /**
   * True when each group's events are cut by the ratios, so every group should be e.g. 70/20/10.
   */
  public boolean cutsEachGroupByRatios() {
    return this == USER_RATIO || this == USER_RANDOM;
  }

  /** True when no evaluation event precedes a training event of the same user. */
  public boolean keepsTimeOrder() {
    return this == USER_RATIO || this == LEAVE_LAST || this == GLOBAL_TIME;
  }

  /** The strategy a split manifest names, or null for none or a name this version does not know. */
  public static Strategy fromManifest(String name) {
    for (Strategy strategy : values()) {
      if (strategy.cliName.equals(name)) {
        return strategy;
      }
    }
    return null;
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
