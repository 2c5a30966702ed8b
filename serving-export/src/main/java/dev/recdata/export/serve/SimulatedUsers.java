package dev.recdata.export.serve;

import java.util.Arrays;
import java.util.Set;

/**
 * The planted, seeded preference {@code recdata simulate} likes by: an item is favoured when it is
 * in the given set, or (no set given) when a SplitMix64 hash of (seed, item) falls in the lowest
 * {@code favouredPercent} percent. Of the items shown, the user likes the highest-ranked favoured
 * one; when none is favoured, the one with the smallest seeded hash (a fixed taste, so the same
 * list always gets the same like).
 */
public record SimulatedUsers(long seed, Set<Long> favouredItems, int favouredPercent) {
  public SimulatedUsers {
    favouredItems = favouredItems == null ? Set.of() : Set.copyOf(favouredItems);
    dev.recdata.common.RecdataException.checkInput(
        favouredPercent >= 0 && favouredPercent <= 100,
        "--favoured-percent %d must be 0 to 100",
        favouredPercent);
  }

  public boolean favoured(long item) {
    if (!favouredItems.isEmpty()) {
      return favouredItems.contains(item);
    }
    return Long.remainderUnsigned(hash(item), 100) < favouredPercent;
  }

  /** The item liked among {@code shown} (in rank order); shown is not empty. */
  public long like(long[] shown) {
    for (long item : shown) {
      if (favoured(item)) {
        return item;
      }
    }
    return Arrays.stream(shown)
        .boxed()
        .min((a, b) -> Long.compareUnsigned(hash(a), hash(b)))
        .orElseThrow();
  }

  /** Index of the user picked at step {@code step} among {@code users}. */
  public int pick(long step, int users) {
    return (int) Long.remainderUnsigned(hash(~step), users);
  }

  private long hash(long value) {
    long z = seed + value * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
