package dev.recdata.common.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, one option for every stage that makes random choices (sample, random splits, ALS,
 * negatives): the pipeline gives all of them the same seed, so one number reproduces a whole run.
 */
public final class SeedOption {
  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of every random choice; the same seed gives the same output (default: ${DEFAULT-VALUE}).")
  public long seed;
}
