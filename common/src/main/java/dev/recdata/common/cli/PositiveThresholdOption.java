package dev.recdata.common.cli;

import picocli.CommandLine.Option;

/**
 * {@code --positive-threshold} of the stages that read ratings as relevance (als, export): declared
 * once so the pipeline's one value means the same positives for training, scoring and negative
 * sampling.
 */
public final class PositiveThresholdOption {
  @Option(
      names = "--positive-threshold",
      defaultValue = "4.0",
      description =
          "A rating >= this is a positive (implicit training signal, relevant test item, never a negative);"
              + " likes always are (default: ${DEFAULT-VALUE}).")
  public float positiveThreshold;
}
