package dev.recdata.export.training;

import dev.recdata.common.SplitMix64;

/**
 * The export's seeded streams: every draw is a pure function of the seed and the user, positive and
 * draw number it is for (common's {@link SplitMix64#keyed}), so the output never depends on
 * partitioning, executors or order.
 */
final class KeyedRandom {
  private KeyedRandom() {}

  /** Stream domains: the same seed gives unrelated streams for each use. */
  static final long NEGATIVES = 0x4E45474154L;

  static final long IMPRESSIONS = 0x494D505245L;
  static final long SHUFFLE = 0x5348554646L;
  static final long EVAL = 0x4556414C53L;

  /** The order of an evaluation candidate list: one key per (user, item). */
  static final long EVAL_ORDER = 0x4556414F52L;

  /** The stream for {@code keys} in {@code domain} under {@code seed}. */
  static SplitMix64 of(long seed, long domain, long... keys) {
    return SplitMix64.keyed(seed, domain, keys);
  }

  /** A 64-bit hash of the seed, domain and keys: the seeded shuffle key of a triplet. */
  static long hash(long seed, long domain, long... keys) {
    return SplitMix64.keyedHash(seed, domain, keys);
  }
}
