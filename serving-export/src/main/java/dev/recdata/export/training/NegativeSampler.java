package dev.recdata.export.training;

import dev.recdata.common.SplitMix64;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Draws negative items for a user, never one of the items it is told to exclude (the user's
 * positives). Small enough to broadcast: the catalog size and, for popularity, one cumulative
 * weight per item. Popularity draws use binary search over the cumulative weights (O(log I)), not
 * an alias table: etl's {@code AliasTable} is package-private there, and a draw per triplet at
 * log2(1M items) = 20 steps is not what an export waits on.
 *
 * <p>Every draw is a function of (seed, user, positive, draw number) through {@link KeyedRandom},
 * so a negative does not depend on which task drew it. An excluded draw is redrawn from the same
 * stream (up to {@link #MAX_REDRAWS} times), then the catalog is scanned from the last draw for the
 * next allowed item: users whose positives cover most of the catalog still finish,
 * deterministically.
 */
public final class NegativeSampler implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int MAX_REDRAWS = 64;

  private final Sampler kind;
  private final int catalogSize;
  private final double[] cumulative;
  private final long seed;

  private NegativeSampler(Sampler kind, int catalogSize, double[] cumulative, long seed) {
    this.kind = kind;
    this.catalogSize = catalogSize;
    this.cumulative = cumulative;
    this.seed = seed;
  }

  /**
   * A sampler over items {@code 0..counts.length-1}; {@code counts[i]} is item i's number of train
   * interactions, used by the popularity sampler (and the impressions sampler's top-up) as {@code
   * (count + 1)^exponent}: the +1 keeps items never interacted with drawable.
   */
  public static NegativeSampler of(Sampler kind, long[] counts, double exponent, long seed) {
    double[] cumulative = null;
    if (kind != Sampler.UNIFORM) {
      cumulative = new double[counts.length];
      double total = 0;
      for (int i = 0; i < counts.length; i++) {
        total += Math.pow(counts[i] + 1.0, exponent);
        cumulative[i] = total;
      }
    }
    return new NegativeSampler(kind, counts.length, cumulative, seed);
  }

  public Sampler kind() {
    return kind;
  }

  public int catalogSize() {
    return catalogSize;
  }

  /**
   * Up to {@code k} negatives for one positive of a user, in draw order; fewer only when {@code
   * excluded} covers the whole catalog.
   *
   * @param excluded the user's items that must not be drawn, sorted ascending
   * @param impressions the user's impressions that are allowed (impressions minus {@code
   *     excluded}), sorted; used by the impressions sampler only
   */
  public int[] negatives(int user, int positive, int k, int[] excluded, int[] impressions) {
    int[] out = new int[k];
    int n = 0;
    if (kind == Sampler.IMPRESSIONS && impressions.length > 0) {
      // Distinct impressions first (partial Fisher-Yates on a copy), then popularity for the rest.
      int[] pool = impressions.clone();
      SplitMix64 random = KeyedRandom.of(seed, KeyedRandom.IMPRESSIONS, user, positive);
      int take = Math.min(k, pool.length);
      for (int j = 0; j < take; j++) {
        int pick = j + random.nextInt(pool.length - j);
        int chosen = pool[pick];
        pool[pick] = pool[j];
        pool[j] = chosen;
        out[n++] = chosen;
      }
    }
    for (int j = n; j < k; j++) {
      int item =
          draw(
              KeyedRandom.of(seed, KeyedRandom.NEGATIVES, user, positive, j),
              excluded,
              kind != Sampler.UNIFORM);
      if (item < 0) {
        break;
      }
      out[n++] = item;
    }
    return n == k ? out : Arrays.copyOf(out, n);
  }

  /**
   * {@code n} distinct items drawn uniformly, none in {@code excluded} (sorted), in draw order: the
   * negatives of an evaluation candidate list. All allowed items when fewer than {@code n} are
   * left.
   *
   * @param list tells lists of the same user apart (validation, test)
   */
  public int[] distinctUniform(int user, long list, int n, int[] excluded) {
    int allowed = catalogSize - excluded.length;
    if (allowed <= n) {
      int[] all = new int[Math.max(allowed, 0)];
      int a = 0;
      for (int item = 0; item < catalogSize && a < all.length; item++) {
        if (Arrays.binarySearch(excluded, item) < 0) {
          all[a++] = item;
        }
      }
      return a == all.length ? all : Arrays.copyOf(all, a);
    }
    SplitMix64 random = KeyedRandom.of(seed, KeyedRandom.EVAL, user, list);
    Set<Integer> chosen = new HashSet<>();
    int[] out = new int[n];
    int count = 0;
    long attempts = 0;
    while (count < n) {
      int item = random.nextInt(catalogSize);
      if (++attempts > (long) n * MAX_REDRAWS) {
        item = scan(item, excluded, chosen);
      }
      if (Arrays.binarySearch(excluded, item) < 0 && chosen.add(item)) {
        out[count++] = item;
      }
    }
    return out;
  }

  private int draw(SplitMix64 random, int[] excluded, boolean byPopularity) {
    int item = 0;
    for (int attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      item = byPopularity ? popular(random) : random.nextInt(catalogSize);
      if (Arrays.binarySearch(excluded, item) < 0) {
        return item;
      }
    }
    return scan(item, excluded, Set.of());
  }

  /**
   * The next item after {@code start} (cyclically) that is neither excluded nor taken; -1 when none
   * is.
   */
  private int scan(int start, int[] excluded, Set<Integer> taken) {
    for (int step = 1; step <= catalogSize; step++) {
      int item = (int) ((start + (long) step) % catalogSize);
      if (Arrays.binarySearch(excluded, item) < 0 && !taken.contains(item)) {
        return item;
      }
    }
    return -1;
  }

  private int popular(SplitMix64 random) {
    double target = random.nextDouble() * cumulative[cumulative.length - 1];
    int found = Arrays.binarySearch(cumulative, target);
    int index = found >= 0 ? found + 1 : -found - 1; // the first cumulative weight above the target
    return Math.min(index, catalogSize - 1);
  }
}
