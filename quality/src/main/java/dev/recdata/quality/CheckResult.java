package dev.recdata.quality;

/**
 * One evaluated check: a row of {@code quality_checks}. {@code observed} and {@code threshold} are
 * in the same unit (a count or a share, the message says which); the check is violated when
 * observed exceeds the threshold, except for checks whose message says "at least".
 */
public record CheckResult(
    String check, Level level, Status status, double observed, double threshold, String message) {

  /** A check violated when {@code observed > threshold} (counts and leak shares). */
  static CheckResult atMost(
      String check, Level level, double observed, double threshold, String message) {
    return new CheckResult(
        check, level, statusOf(level, observed > threshold), observed, threshold, message);
  }

  /** A check violated when {@code observed < threshold} (shares of conforming users). */
  static CheckResult atLeast(
      String check, Level level, double observed, double threshold, String message) {
    return new CheckResult(
        check, level, statusOf(level, observed < threshold), observed, threshold, message);
  }

  static CheckResult skipped(String check, Level level, String why) {
    return new CheckResult(check, level, Status.SKIP, Double.NaN, Double.NaN, why);
  }

  /**
   * The same result under another name, e.g. {@code pair_leakage[fold=2]} for one fold of a k-fold
   * split.
   */
  CheckResult named(String name) {
    return new CheckResult(name, level, status, observed, threshold, message);
  }

  private static Status statusOf(Level level, boolean violated) {
    if (!violated) {
      return Status.PASS;
    }
    return level == Level.ERROR ? Status.FAIL : Status.WARN;
  }
}
