package dev.recdata.common;

/**
 * Named moments at which the crash tests stop the JVM dead, as {@code kill -9} would (no finally
 * blocks, no shutdown hooks): {@code RECDATA_CRASH_AT=etl:commit.moved-aside} halts the etl stage
 * between its two commit renames. Unset, as in every real run, this is one map lookup per commit.
 * It exists because a kill at a random moment almost never lands in a window a few microseconds
 * wide, and those windows are exactly where a commit protocol breaks.
 */
public final class CrashPoints {
  public static final String ENV = "RECDATA_CRASH_AT";
  static final int EXIT_CODE = 137;

  private CrashPoints() {}

  /** Halts the JVM if {@code RECDATA_CRASH_AT} names {@code stage:point}. */
  public static void at(String stage, String point) {
    String wanted = System.getenv(ENV);
    if (wanted != null && wanted.equals(stage + ":" + point)) {
      System.err.println(
          "recdata: crash point " + wanted + " reached; halting (test fault injection)");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }
}
