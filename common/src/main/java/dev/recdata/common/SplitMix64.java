package dev.recdata.common;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014): the
 * one 64-bit mixer and keyed generator every seeded choice in recdata uses (generated data, split
 * offsets, negative sampling, shuffles). A value is a pure function of the seed and the keys it is
 * for (user, item, draw number...), never of partitioning, threads or order, which is what makes
 * same input + seed = same output. Written here rather than taken from {@link
 * java.util.SplittableRandom} so the bytes an output holds are pinned by this file, not by a JDK
 * version (SplittableRandom also offers no keyed streams).
 */
public final class SplitMix64 {
  /** The golden-ratio increment of the SplitMix64 state. */
  public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  public SplitMix64(long state) {
    this.state = state;
  }

  /** The SplitMix64 finaliser (Stafford's variant 13): a bijective, well-avalanched 64-bit mix. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A stream seed for one {@code key} in {@code domain} under {@code seed}. Domains give unrelated
   * streams for each use of the same seed. (The generator's historic derivation: it pins
   * `generate`'s output.)
   */
  public static long streamSeed(long seed, long domain, long key) {
    return mix(mix(seed ^ mix(domain)) + key * GOLDEN_GAMMA);
  }

  /**
   * A 64-bit hash of the seed, domain and any number of keys; differs from {@link #streamSeed} by
   * one increment per key (the export's historic derivation: it pins negatives and shuffles).
   */
  public static long keyedHash(long seed, long domain, long... keys) {
    long h = mix(seed ^ mix(domain));
    for (long key : keys) {
      h = mix(h + GOLDEN_GAMMA + key * GOLDEN_GAMMA);
    }
    return h;
  }

  /**
   * The generator for {@code keys} in {@code domain} under {@code seed}, seeded by {@link
   * #keyedHash}.
   */
  public static SplitMix64 keyed(long seed, long domain, long... keys) {
    return new SplitMix64(keyedHash(seed, domain, keys));
  }

  /**
   * The generator for {@code key} in {@code domain} under {@code seed}, seeded by {@link
   * #streamSeed}.
   */
  public static SplitMix64 forKey(long seed, long domain, long key) {
    return new SplitMix64(streamSeed(seed, domain, key));
  }

  /** Restarts this generator on another stream, so a worker reuses one object for all its keys. */
  public void reset(long streamSeed) {
    state = streamSeed;
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /**
   * Uniform in [0, bound) by multiply-shift; the bias (below bound / 2^32) is negligible for
   * catalog sizes.
   */
  public int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Standard normal by Box-Muller; StrictMath keeps the bits identical on every platform. */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]: log stays finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /**
   * About standard normal (Irwin-Hall: four uniforms, rescaled), without transcendental functions:
   * used once per generated rating row, where Box-Muller would cost more than formatting the row.
   */
  public double nextRoughGaussian() {
    long a = nextLong();
    long b = nextLong();
    double sum =
        ((a >>> 32) + (a & 0xFFFFFFFFL) + (b >>> 32) + (b & 0xFFFFFFFFL)) * 0x1.0p-32; // 4 uniforms
    return (sum - 2.0) * 1.7320508075688772; // variance 4/12 -> 1
  }

  /** Exponential with the given mean. */
  public double nextExponential(double mean) {
    return -mean * StrictMath.log(1.0 - nextDouble());
  }
}
