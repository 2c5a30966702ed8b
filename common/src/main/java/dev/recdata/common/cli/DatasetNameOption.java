package dev.recdata.common.cli;

import picocli.CommandLine.Option;

/**
 * {@code --dataset-name}: the name the quality and model tables file a run under, one option for
 * both stages (the pipeline gives them the same name).
 */
public final class DatasetNameOption {
  @Option(
      names = "--dataset-name",
      description =
          "Name of the dataset in the PostgreSQL tables, the same for every run on it (default: derived from"
              + " the data the etl read: its folder name such as ml-100k, or the feedback table).")
  public String name;
}
