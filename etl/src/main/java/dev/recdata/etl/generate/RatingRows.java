package dev.recdata.etl.generate;

import dev.recdata.common.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Renders the {@code ratings.csv} lines of a block of consecutive users into one byte array.
 * Everything a user gets comes from that user's own random stream, so a block renders to the same
 * bytes on any thread. One instance per block: it owns its scratch arrays and is not shared between
 * threads.
 *
 * <p>Each user: a taste (bias) and a first active day; movies drawn by popularity without
 * replacement; a few rating sessions (bursts of minutes to hours, days or months apart) that hold
 * the timestamps; ratings from user taste + movie quality + noise mapped onto the ML-25M star
 * distribution. Lines are ordered by timestamp, then movieId, as ML-25M orders them within a user.
 */
final class RatingRows {
  /** 1996-01-01T00:00:00Z .. 2019-11-30T23:59:59Z, about the span of ML-25M. */
  static final long FIRST_SECOND = 820_454_400L;

  static final long LAST_SECOND = 1_575_158_399L;

  /**
   * Cut points on a standard-normal score between the ten star values 0.5 .. 5.0: the inverse
   * normal CDF of the cumulative ML-25M shares (0.5: 1.6%, 1.0: 3.1%, 1.5: 1.6%, 2.0: 6.6%, 2.5:
   * 5.1%, 3.0: 19.6%, 3.5: 12.7%, 4.0: 26.6%, 4.5: 8.8%, 5.0: 14.4%; mean 3.53).
   */
  static final double[] STAR_CUTS = {
    -2.1513913862121976, -1.6767555944161756, -1.5318908861055907, -1.1339433679058364,
    -0.9194855119758976, -0.31917418480516124, 0.004736173568785657, 0.7305742045864692,
    1.0603248850492253
  };

  private static final byte[][] STARS = new byte[10][];

  static {
    for (int i = 0; i < STARS.length; i++) {
      STARS[i] =
          String.format(java.util.Locale.ROOT, "%.1f", (i + 1) * 0.5)
              .getBytes(StandardCharsets.US_ASCII);
    }
  }

  /**
   * Score = user taste + movie quality + noise, each weighted so the score stays standard normal.
   */
  private static final double TASTE_WEIGHT = 0.45;

  private static final double QUALITY_WEIGHT = 0.45;
  private static final double NOISE_WEIGHT = Math.sqrt(1.0 - 2 * 0.45 * 0.45);

  /** Users rating more than 1/8 of all movies sample by exponential keys instead of rejection. */
  private static final int DENSE_USER_DIVISOR = 8;

  /**
   * Longest line: 8-digit userId, 8-digit movieId, "x.x", 10-digit timestamp, 3 commas and \n;
   * spare 2.
   */
  static final int MAX_LINE_BYTES = 8 + 8 + 3 + 10 + 4 + 2;

  private static final int MAX_SESSIONS = 41;

  private final MovieCatalog catalog;
  private final long seed;
  private final SplitMix64 random = new SplitMix64(0);
  private final long[] sessionOffsets = new long[MAX_SESSIONS];
  private int[] chosen = new int[64];
  private int[] seen = new int[128];
  private long[] lineKeys = new long[64];
  private double[] denseKeys;
  private byte[] bytes;
  private int length;

  RatingRows(MovieCatalog catalog, long seed) {
    this.catalog = catalog;
    this.seed = seed;
  }

  /** The lines of users {@code [fromUser, toUser)} (0-based; userId = index + 1). */
  Chunk render(int fromUser, int toUser, int[] ratingsPerUser) {
    long rows = 0;
    for (int user = fromUser; user < toUser; user++) {
      rows += ratingsPerUser[user];
    }
    bytes = new byte[Math.toIntExact(rows * MAX_LINE_BYTES)];
    length = 0;
    for (int user = fromUser; user < toUser; user++) {
      renderUser(user, ratingsPerUser[user]);
    }
    return new Chunk(bytes, length, rows);
  }

  /** A rendered block: {@code bytes[0, length)} hold {@code rows} lines. */
  record Chunk(byte[] bytes, int length, long rows) {}

  private void renderUser(int user, int count) {
    random.reset(SplitMix64.streamSeed(seed, Streams.USERS, user));
    double taste = random.nextGaussian();
    double startFraction = random.nextDouble();
    int sessions = 1 + random.nextInt(1 + Math.min(MAX_SESSIONS - 1, count / 25));
    long sessionSeconds =
        300L + (long) Math.ceil((double) count / sessions) * (30 + random.nextInt(60));
    sessionOffsets[0] = 0;
    for (int s = 1; s < sessions; s++) {
      // Mostly a week or so between sessions, now and then a return after about a year.
      double meanGapDays = random.nextDouble() < 0.15 ? 365.0 : 7.0;
      sessionOffsets[s] =
          sessionOffsets[s - 1] + (long) random.nextExponential(meanGapDays * 86_400.0);
    }
    long activeSpan = sessionOffsets[sessions - 1] + sessionSeconds;
    long room = Math.max(0L, LAST_SECOND - FIRST_SECOND - activeSpan);
    long start = FIRST_SECOND + (long) (startFraction * room);

    int[] items = chooseItems(count);
    if (lineKeys.length < count) {
      lineKeys = new long[Math.max(count, lineKeys.length * 2)];
    }
    for (int i = 0; i < count; i++) {
      int session = random.nextInt(sessions);
      long timestamp =
          Math.min(
              LAST_SECOND, start + sessionOffsets[session] + random.nextInt((int) sessionSeconds));
      // Timestamp high, item index low: sorting the longs orders by timestamp then movieId.
      lineKeys[i] = (timestamp << 32) | items[i];
    }
    Arrays.sort(lineKeys, 0, count);

    byte[] userIdBytes = Integer.toString(user + 1).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      long key = lineKeys[i];
      int item = (int) (key & 0xFFFFFFFFL);
      double score =
          TASTE_WEIGHT * taste
              + QUALITY_WEIGHT * catalog.quality(item)
              + NOISE_WEIGHT * random.nextRoughGaussian();
      int star = 0;
      while (star < STAR_CUTS.length && score > STAR_CUTS[star]) {
        star++;
      }
      System.arraycopy(userIdBytes, 0, bytes, length, userIdBytes.length);
      length += userIdBytes.length;
      bytes[length++] = ',';
      appendDigits(catalog.movieId(item));
      bytes[length++] = ',';
      byte[] stars = STARS[star];
      bytes[length++] = stars[0];
      bytes[length++] = stars[1];
      bytes[length++] = stars[2];
      bytes[length++] = ',';
      appendDigits(key >>> 32);
      bytes[length++] = '\n';
    }
  }

  /** {@code count} distinct item indexes drawn by popularity, in draw order, in {@link #chosen}. */
  private int[] chooseItems(int count) {
    if (chosen.length < count) {
      chosen = new int[Math.max(count, chosen.length * 2)];
    }
    int items = catalog.size();
    if (count == items) {
      for (int item = 0; item < items; item++) {
        chosen[item] = item;
      }
      return chosen;
    }
    if ((long) count * DENSE_USER_DIVISOR > items || !chooseByRejection(count)) {
      chooseByExponentialKeys(count);
    }
    return chosen;
  }

  /**
   * Alias draws, rejecting repeats with an open-addressing set: O(count) for the usual user. Gives
   * up (false) after an unreasonable number of repeats, which only a user rating most popular
   * movies could cause.
   */
  private boolean chooseByRejection(int count) {
    int capacity = Integer.highestOneBit(Math.max(4, count) * 4);
    if (seen.length < capacity) {
      seen = new int[capacity];
    }
    Arrays.fill(seen, 0, capacity, -1);
    int mask = capacity - 1;
    long attemptsLeft = 32L * count + 1024;
    int found = 0;
    while (found < count) {
      if (attemptsLeft-- == 0) {
        return false;
      }
      int item = catalog.samplePopular(random);
      int slot = (item * 0x9E3779B9) >>> 1 & mask;
      while (seen[slot] != -1 && seen[slot] != item) {
        slot = (slot + 1) & mask;
      }
      if (seen[slot] == -1) {
        seen[slot] = item;
        chosen[found++] = item;
      }
    }
    return true;
  }

  /**
   * Weighted sampling without replacement (Efraimidis-Spirakis): every item gets key Exp(1) /
   * weight and the {@code count} smallest keys win. O(items log items), paid only by users who rate
   * a large share of all movies, where rejection would keep redrawing the blockbusters they already
   * have.
   */
  private void chooseByExponentialKeys(int count) {
    int items = catalog.size();
    if (denseKeys == null) {
      denseKeys = new double[items];
    }
    for (int item = 0; item < items; item++) {
      denseKeys[item] = random.nextExponential(1.0) / catalog.weight(item);
    }
    double[] sorted = denseKeys.clone();
    Arrays.sort(sorted);
    double threshold = sorted[count - 1];
    int found = 0;
    for (int item = 0; item < items && found < count; item++) {
      if (denseKeys[item] < threshold) {
        chosen[found++] = item;
      }
    }
    for (int item = 0; item < items && found < count; item++) {
      if (denseKeys[item] == threshold) {
        chosen[found++] = item;
      }
    }
  }

  private void appendDigits(long value) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int end = length + digits;
    for (int at = end - 1; at >= length; at--) {
      bytes[at] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    length = end;
  }
}
