package dev.recdata.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL connection target. The password never travels in the URL we print: it comes from {@code
 * --jdbc-password-env} (default {@code PGPASSWORD}) or from the URL itself, and {@link #redactedUrl()} is the
 * only form that may appear in logs, manifests and exception messages.
 */
public record JdbcTarget(String url, String user, String password) {
  public static final String DEFAULT_USER = "postgres";

  public JdbcTarget {
    RecdataException.checkInput(
        url != null && url.startsWith("jdbc:postgresql:"),
        "JDBC URL %s is not supported: expected jdbc:postgresql://HOST:PORT/DATABASE",
        url == null ? "(none)" : redact(url));
  }

  /** Builds a target from a URL, a user (may be null) and the name of the environment variable holding the password. */
  public static JdbcTarget of(String url, String user, String passwordEnv) {
    String password = passwordEnv == null ? null : System.getenv(passwordEnv);
    return new JdbcTarget(url, user == null ? DEFAULT_USER : user, password);
  }

  public Properties properties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("driver", "org.postgresql.Driver");
    props.setProperty("connectTimeout", "10");
    return props;
  }

  public Connection connect() {
    try {
      return DriverManager.getConnection(url, properties());
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_BAD_INPUT,
          "cannot connect to PostgreSQL at " + redactedUrl() + " as " + user + ": " + safeMessage(e));
    }
  }

  public String redactedUrl() {
    return redact(url);
  }

  /** Removes {@code password=...} and {@code user:password@} forms from a JDBC URL. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  /** An exception message with any secret removed (drivers sometimes echo the URL). */
  public String safeMessage(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (password != null && !password.isEmpty()) {
      message = message.replace(password, "***");
    }
    return redact(message);
  }

  @Override
  public String toString() {
    return "JdbcTarget[" + redactedUrl() + ", user=" + user + "]";
  }
}
