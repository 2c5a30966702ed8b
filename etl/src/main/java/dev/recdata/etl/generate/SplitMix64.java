package dev.recdata.etl.generate;

/**
 * A tiny SplitMix64 generator, one stream per key (user, item, ...) derived from the seed by hashing, so a
 * value never depends on which thread produced which user or in what order. Implemented here rather than
 * using {@link java.util.SplittableRandom} so the output bytes are pinned by this file, not by a JDK version.
 */
final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  /** Stream domains: the same seed gives unrelated streams for users, items and the catalogue. */
  static final long USERS = 0x5553455253L;

  static final long ITEMS = 0x4954454D53L;
  static final long CATALOGUE = 0x434154414CL;
  static final long ACTIVITY = 0x4143544956L;

  private long state;

  SplitMix64(long state) {
    this.state = state;
  }

  /** The stream for {@code key} in {@code domain} under {@code seed}. */
  static SplitMix64 forKey(long seed, long domain, long key) {
    return new SplitMix64(streamSeed(seed, domain, key));
  }

  static long streamSeed(long seed, long domain, long key) {
    return mix(mix(seed ^ mix(domain)) + key * GOLDEN_GAMMA);
  }

  /** Restarts this generator on another stream, so a worker reuses one object for all its users. */
  void reset(long streamSeed) {
    state = streamSeed;
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

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound) by multiply-shift; the bias (bound / 2^32) is irrelevant for synthetic data. */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Standard normal by Box-Muller; StrictMath keeps the bits identical on every platform. */
  double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /**
   * About standard normal (Irwin-Hall: four uniforms, rescaled), without transcendental functions: used once
   * per rating row, where Box-Muller would cost more than formatting the row.
   */
  double nextRoughGaussian() {
    long a = nextLong();
    long b = nextLong();
    double sum =
        ((a >>> 32) + (a & 0xFFFFFFFFL) + (b >>> 32) + (b & 0xFFFFFFFFL)) * 0x1.0p-32; // 4 uniforms
    return (sum - 2.0) * 1.7320508075688772; // variance 4/12 -> 1
  }

  /** Exponential with the given mean. */
  double nextExponential(double mean) {
    return -mean * StrictMath.log(1.0 - nextDouble());
  }
}
