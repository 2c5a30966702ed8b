package dev.recdata.export.training;

/**
 * SplitMix64 streams keyed by (seed, domain, key...): every draw is a pure function of the seed and the
 * user, positive and draw number it is for, so the output never depends on partitioning, executors or order.
 * Hand-written (a dozen lines) so the bytes an export produces are pinned by this file, not by a JDK's
 * {@code SplittableRandom}.
 */
final class KeyedRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /** Stream domains: the same seed gives unrelated streams for each use. */
  static final long NEGATIVES = 0x4E45474154L;

  static final long IMPRESSIONS = 0x494D505245L;
  static final long SHUFFLE = 0x5348554646L;
  static final long EVAL = 0x4556414C53L;

  private long state;

  private KeyedRandom(long state) {
    this.state = state;
  }

  /** The stream for {@code keys} in {@code domain} under {@code seed}. */
  static KeyedRandom of(long seed, long domain, long... keys) {
    return new KeyedRandom(hash(seed, domain, keys));
  }

  /** A 64-bit hash of the seed, domain and keys (also the seeded shuffle key of a triplet). */
  static long hash(long seed, long domain, long... keys) {
    long h = mix(seed ^ mix(domain));
    for (long key : keys) {
      h = mix(h + GOLDEN_GAMMA + key * GOLDEN_GAMMA);
    }
    return h;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, bound), by the multiply-shift method (bias below 2^-32 for catalogs under 2^31). */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
