package dev.recdata.common.cli;

import picocli.CommandLine.Option;

/** Options every command takes: where Spark runs and how much it says. */
public final class SparkOptions {
  @Option(
      names = "--master",
      description = "Spark master (default: ${DEFAULT-VALUE}; ignored under spark-submit).",
      defaultValue = "local[*]")
  public String master;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show stack traces and Spark's own INFO logging.")
  public boolean verbose;
}
