package dev.recdata.etl.generate;

import static dev.recdata.common.RecdataException.checkInput;

/**
 * What {@code recdata generate} makes: {@code rows} ratings by {@code users} users over {@code
 * items} movies, written under {@code out} by {@code threads} threads (the bytes do not depend on
 * the thread count).
 *
 * <p>Rules: {@code 1 <= users <= 50,000,000}; {@code 2 <= items <= 5,000,000}; {@code users <= rows
 * <= users * items} (every user rates at least one movie and no movie twice); {@code 1 <= threads
 * <= 256}.
 *
 * <p>Defaults for a row count ({@link #forRows}) keep MovieLens 25M proportions: {@code users =
 * ceil(rows / 154)} (ML-25M averages 154 ratings per user), {@code items = max(2, min(rows, 200),
 * round(59,000 * (rows / 25,000,000)^0.7))}: items grow slower than rows, as MovieLens 100K/1M/25M
 * do (1,682 / 3,706 / 59,047 movies), and never fewer than one user's possible ratings. 25M rows
 * give 162,338 users and 59,000 items; 100,000 rows give 650 users and 1,237 items.
 */
public record GenerateOptions(String out, int users, int items, long rows, long seed, int threads) {
  public static final int MAX_USERS = 50_000_000;
  public static final int MAX_ITEMS = 5_000_000;
  public static final int MAX_THREADS = 256;

  /** ML-25M: 25,000,095 ratings / 162,541 users. */
  static final double ROWS_PER_USER = 154.0;

  static final long REFERENCE_ROWS = 25_000_000L;
  static final double REFERENCE_ITEMS = 59_000.0;
  static final double ITEMS_EXPONENT = 0.7;

  public GenerateOptions {
    checkInput(
        out != null && !out.isBlank(),
        "--out is required: the folder to write ratings.csv and movies.csv to");
    checkInput(
        users >= 1 && users <= MAX_USERS,
        "--users must be between 1 and %,d, got %,d",
        MAX_USERS,
        users);
    checkInput(
        items >= 2 && items <= MAX_ITEMS,
        "--items must be between 2 and %,d, got %,d",
        MAX_ITEMS,
        items);
    checkInput(
        rows >= users,
        "--rows must be at least --users (%,d: every user rates at least one movie), got %,d",
        users,
        rows);
    long maxRows = (long) users * items;
    checkInput(
        rows <= maxRows,
        "--rows must be at most --users x --items = %,d x %,d = %,d (a user rates a movie at most once), got %,d",
        users,
        items,
        maxRows,
        rows);
    checkInput(
        threads >= 1 && threads <= MAX_THREADS,
        "--threads must be between 1 and %d, got %d",
        MAX_THREADS,
        threads);
  }

  /** MovieLens-25M-shaped users and items for {@code rows} ratings, on all available processors. */
  public static GenerateOptions forRows(String out, long rows, long seed) {
    return new GenerateOptions(
        out,
        defaultUsers(rows),
        defaultItems(rows),
        rows,
        seed,
        Runtime.getRuntime().availableProcessors());
  }

  /** {@code ceil(rows / 154)}, at least 1 and at most {@link #MAX_USERS}. */
  public static int defaultUsers(long rows) {
    checkInput(rows >= 1, "--rows must be at least 1, got %,d", rows);
    return (int) Math.min(MAX_USERS, Math.max(1L, (long) Math.ceil(rows / ROWS_PER_USER)));
  }

  /**
   * {@code max(2, min(rows, 200), round(59,000 * (rows / 25M)^0.7))}, at most {@link #MAX_ITEMS}.
   */
  public static int defaultItems(long rows) {
    checkInput(rows >= 1, "--rows must be at least 1, got %,d", rows);
    long scaled =
        Math.round(
            REFERENCE_ITEMS * StrictMath.pow((double) rows / REFERENCE_ROWS, ITEMS_EXPONENT));
    long items = Math.max(2L, Math.max(Math.min(rows, 200L), scaled));
    return (int) Math.min(MAX_ITEMS, items);
  }
}
