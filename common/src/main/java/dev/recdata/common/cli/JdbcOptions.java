package dev.recdata.common.cli;

import dev.recdata.common.JdbcTarget;
import picocli.CommandLine.Option;

/**
 * PostgreSQL connection options; the password is read from an environment variable, never from a
 * flag.
 */
public final class JdbcOptions {
  @Option(
      names = "--jdbc-url",
      description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/test.")
  public String url;

  @Option(
      names = "--jdbc-user",
      description = "Database user (default: ${DEFAULT-VALUE}).",
      defaultValue = "postgres")
  public String user;

  @Option(
      names = "--jdbc-password-env",
      description = "Environment variable holding the password (default: ${DEFAULT-VALUE}).",
      defaultValue = "PGPASSWORD")
  public String passwordEnv;

  /** The target, or {@code null} when no --jdbc-url was given. */
  public JdbcTarget target() {
    return url == null ? null : JdbcTarget.of(url, user, passwordEnv);
  }
}
