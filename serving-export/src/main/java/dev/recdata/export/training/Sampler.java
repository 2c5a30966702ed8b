package dev.recdata.export.training;

import dev.recdata.common.cli.CliValues;

/** Where a triplet's negative item comes from. */
public enum Sampler {
  /** Every catalog item equally likely. */
  UNIFORM,
  /**
   * Proportional to (train interactions + 1)^exponent: hard negatives from the head, smoothed for
   * the tail.
   */
  POPULARITY,
  /**
   * Items shown to the user and passed over (impression events), topped up by popularity when too
   * few.
   */
  IMPRESSIONS;

  public static Sampler parse(String value) {
    return CliValues.enumValue("--sampler", value, Sampler.class);
  }

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
