package dev.recdata.export.serving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The obvious quadratic top-K, to check the blockwise one against: score everything, sort, cut. */
final class BruteForce {
  private BruteForce() {}

  record Scored(long id, float score) {}

  /**
   * One side of the product: id, factors, the additive term and the scale of {@link
   * dev.recdata.als.BlockTopK}.
   */
  record Vector(long id, float[] factors, double offset, double scale) {}

  /**
   * The top K of every query against every candidate not in {@code excluded.get(query)}, score
   * desc, id asc.
   */
  static Map<Long, List<Scored>> topK(
      List<Vector> queries, List<Vector> candidates, Map<Long, Set<Long>> excluded, int k) {
    Map<Long, List<Scored>> result = new TreeMap<>();
    for (Vector q : queries) {
      List<Scored> all = new ArrayList<>();
      for (Vector c : candidates) {
        if (excluded.getOrDefault(q.id(), Set.of()).contains(c.id())) {
          continue;
        }
        double dot = 0;
        for (int r = 0; r < q.factors().length; r++) {
          dot += (double) q.factors()[r] * c.factors()[r];
        }
        all.add(
            new Scored(c.id(), (float) (q.offset() + c.offset() + q.scale() * c.scale() * dot)));
      }
      all.sort(Comparator.comparing(Scored::score).reversed().thenComparing(Scored::id));
      result.put(q.id(), List.copyOf(all.subList(0, Math.min(k, all.size()))));
    }
    return result;
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
