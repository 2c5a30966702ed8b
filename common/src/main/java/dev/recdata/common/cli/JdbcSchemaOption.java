package dev.recdata.common.cli;

import picocli.CommandLine.Option;

/**
 * {@code --jdbc-schema}: where the stages that write PostgreSQL tables (quality, als, export) put
 * them.
 */
public final class JdbcSchemaOption {
  public static final String DEFAULT_SCHEMA = "recdata";

  @Option(
      names = "--jdbc-schema",
      defaultValue = DEFAULT_SCHEMA,
      description =
          "PostgreSQL schema of the quality, model and recommendation tables, created if absent (default:"
              + " ${DEFAULT-VALUE}).")
  public String name;
}
