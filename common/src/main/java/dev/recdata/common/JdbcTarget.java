package dev.recdata.common;

import com.fasterxml.jackson.annotation.JsonValue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection target. The password never travels in the URL we print: it comes from
 * {@code --jdbc-password-env} (default {@code PGPASSWORD}) or from the URL itself, and {@link
 * #redactedUrl()} is the only form that may appear in logs, manifests and exception messages.
 */
public record JdbcTarget(String url, String user, String password) {
  public static final String DEFAULT_USER = "postgres";

  public JdbcTarget {
    RecdataException.checkInput(
        url != null && url.startsWith("jdbc:postgresql:"),
        "JDBC URL %s is not supported: expected jdbc:postgresql://HOST:PORT/DATABASE",
        url == null ? "(none)" : redact(url));
  }

  /**
   * Builds a target from a URL, a user (may be null) and the name of the environment variable
   * holding the password.
   */
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
    props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    return props;
  }

  /**
   * Connection timeout of {@link #connect()}: a database that does not answer fails the run in
   * seconds.
   */
  public static final int CONNECT_TIMEOUT_SECONDS = 10;

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public Connection connect() {
    return connect(CONNECT_TIMEOUT_SECONDS);
  }

  /**
   * Opens a connection that gives up after {@code timeoutSeconds} to connect and as long again to
   * log in; a failure is exit code 2 with a message naming the redacted URL and the user, never the
   * password.
   */
  public Connection connect(int timeoutSeconds) {
    Properties props = properties();
    props.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
    props.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw new RecdataException(
          RecdataException.EXIT_BAD_INPUT,
          "cannot connect to PostgreSQL at "
              + redactedUrl()
              + " as "
              + user
              + ": "
              + safeMessage(e));
    }
  }

  /**
   * A schema name is spliced into SQL unquoted, so every writer accepts only a plain lower-case
   * identifier; returns it.
   */
  public static String checkSchema(String schema) {
    RecdataException.checkInput(
        schema != null && SCHEMA.matcher(schema).matches(),
        "--jdbc-schema %s is not usable: expected a lower-case identifier such as recdata",
        schema);
    return schema;
  }

  /**
   * The URL without credentials; also a target's JSON form, so an options record holding a target
   * (the feedback source) can be written to a manifest as it is, without the user and password.
   */
  @JsonValue
  public String redactedUrl() {
    return redact(url);
  }

  /**
   * Removes the values of {@code password=...} (also {@code sslpassword=}) and {@code user=...}
   * parameters and the {@code user:password@} form from a JDBC URL.
   */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("(?i)([?&;]user=)[^&;]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
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
