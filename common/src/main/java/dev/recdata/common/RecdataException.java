package dev.recdata.common;

/**
 * An error with a message meant for the user and the process exit code it maps to. The CLI prints
 * the message on one line and exits with {@link #exitCode()}; the stack trace is shown only with
 * --verbose.
 */
public class RecdataException extends RuntimeException {
  /** Documented in every command's --help. */
  public static final int EXIT_INTERNAL = 1;

  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_GATE_FAILED = 3;

  private final int exitCode;

  public RecdataException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public RecdataException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /**
   * Bad input a user can fix: a missing path, an unknown layout, a malformed file, an option out of
   * range.
   */
  public static RecdataException badInput(String format, Object... args) {
    return new RecdataException(EXIT_BAD_INPUT, String.format(format, args));
  }

  public static RecdataException badInput(Throwable cause, String format, Object... args) {
    return new RecdataException(EXIT_BAD_INPUT, String.format(format, args), cause);
  }

  /** Throws {@link #badInput} with the message when the condition does not hold. */
  public static void checkInput(boolean condition, String format, Object... args) {
    if (!condition) {
      throw badInput(format, args);
    }
  }
}
