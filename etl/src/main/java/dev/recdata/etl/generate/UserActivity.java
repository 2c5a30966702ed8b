package dev.recdata.etl.generate;

import dev.recdata.common.SplitMix64;

/**
 * How many ratings each user gives: a MovieLens minimum for everyone, the rest shared out by
 * heavy-tailed (lognormal) weights, capped at the number of movies, summing to exactly the
 * requested rows.
 */
final class UserActivity {
  /** MovieLens keeps only users with at least 20 ratings. */
  static final int MIN_RATINGS_PER_USER = 20;

  /**
   * Lognormal sigma of the activity above the minimum. 1.3 gives the ML-25M shape at 25M rows:
   * median user about 75 ratings (ML: 71), mean 154, the most active user about 30,000 (ML:
   * 32,202). 1.4 pushed the top user into the cap (rating all 59,000 movies).
   */
  static final double ACTIVITY_SIGMA = 1.3;

  /**
   * Rounds of proportional re-sharing before handing out the last overflow one rating at a time.
   */
  private static final int PROPORTIONAL_ROUNDS = 64;

  private UserActivity() {}

  /**
   * Every user's minimum: {@code min(20, floor(rows / users), items)}, so rows the minimum cannot
   * cover are never promised.
   */
  static int minimumPerUser(long rows, int users, int items) {
    return (int) Math.min(MIN_RATINGS_PER_USER, Math.min(rows / users, items));
  }

  /**
   * Ratings per user (index = userId - 1). Deterministic: weights come from each user's own stream
   * and the sharing is a sequential cumulative rounding ({@code floor(R * cumulativeWeight /
   * totalWeight)} differences), which sums to exactly R without sorting remainders.
   */
  static int[] ratingsPerUser(long rows, int users, int items, long seed) {
    int minimum = minimumPerUser(rows, users, items);
    int[] counts = new int[users];
    double[] weights = new double[users];
    for (int user = 0; user < users; user++) {
      counts[user] = minimum;
      SplitMix64 random = SplitMix64.forKey(seed, Streams.ACTIVITY, user);
      weights[user] = StrictMath.exp(ACTIVITY_SIGMA * random.nextGaussian());
    }
    long remaining = rows - (long) minimum * users;
    for (int round = 0; remaining > 0 && round < PROPORTIONAL_ROUNDS; round++) {
      remaining = shareProportionally(counts, weights, items, remaining);
    }
    // Only reached in contrived corners (items barely above rows / users): top up in user order.
    for (int user = 0; remaining > 0; user = (user + 1) % users) {
      if (counts[user] < items) {
        counts[user]++;
        remaining--;
      }
    }
    return counts;
  }

  /** Shares {@code rows} among users below the cap by weight; returns what the cap turned away. */
  private static long shareProportionally(int[] counts, double[] weights, int cap, long rows) {
    double total = 0;
    int last = -1;
    for (int user = 0; user < counts.length; user++) {
      if (counts[user] < cap) {
        total += weights[user];
        last = user;
      }
    }
    double cumulative = 0;
    long handedOut = 0;
    long overflow = 0;
    for (int user = 0; user <= last; user++) {
      if (counts[user] >= cap) {
        continue;
      }
      cumulative += weights[user];
      long upTo =
          user == last ? rows : Math.min(rows, (long) Math.floor(rows * (cumulative / total)));
      upTo = Math.max(upTo, handedOut);
      long share = upTo - handedOut;
      handedOut = upTo;
      long room = cap - counts[user];
      long given = Math.min(share, room);
      counts[user] += (int) given;
      overflow += share - given;
    }
    return overflow;
  }
}
