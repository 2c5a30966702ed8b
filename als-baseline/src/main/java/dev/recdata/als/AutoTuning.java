package dev.recdata.als;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which grid point to try next. {@code --tune off} tries the options as given, a grid tries its
 * points in order, and {@code --tune auto} runs a coordinate search: from a start that did well on
 * ML-100K and on generated data, it moves one parameter at a time by a fixed factor (regParam x3,
 * alpha x4, rank x2) while the validation score improves, then goes on to the next parameter, and
 * stops after a pass that improved nothing. Rank is walked down first, and not up when its half
 * ties (see {@link Axis}). Parameters the user gave are pinned and not searched.
 *
 * <p>Why a coordinate search and not a grid: the best regularisation moves with the data (0.1 on
 * ML-100K, 0.01 on ml-latest-small in the grid), and regParam and alpha trade off along a
 * ridge, so a fixed small grid either misses the optimum or is large. Walking from a good start
 * typically takes 6-10 fits, visits only neighbours of good points, and a budget cut keeps the best
 * point so far. The order (regParam, alpha, then rank) puts the cheap, decisive moves first: a
 * larger rank costs quadratically more per iteration and helps least.
 */
final class AutoTuning {
  private AutoTuning() {}

  /**
   * One searched parameter: where it starts, how far a step moves it, and its bounds. {@code
   * costGrows}: a larger value costs more per fit (rank: quadratically per rating, cubically per
   * solve), so the axis is walked down first, and when one step down ties the current point (within
   * {@link #MIN_GAIN}) the step up is not fitted: the score flattens as the rank grows, so a rank
   * whose half does as well will not gain {@link #MIN_GAIN} from its double either, and that double
   * is the costliest fit of the search (rank 128 was a third of the search's time at 1M rows).
   */
  private record Axis(
      String name, double start, double factor, double min, double max, boolean costGrows) {
    Axis(String name, double start, double factor, double min, double max) {
      this(name, start, factor, min, max, false);
    }

    int[] directions() {
      return costGrows ? new int[] {-1, 1} : new int[] {1, -1};
    }
  }

  /**
   * Iterations are not searched: more is rarely worse for implicit ALS, only slower. 10 (MLlib's
   * default) rather than 15: on ML-100K, the default sample and generated ml-latest-small- and
   * ML-1M-shaped data the search settled on the same point with either, test NDCG@10 moved by at
   * most 0.4%, and every fit costs a third less (submit/bench/ANALYSIS.md).
   */
  static final double MAX_ITER = 10;

  private static final List<Axis> IMPLICIT =
      List.of(
          new Axis("regParam", 0.1, 3, 0.001, 30),
          new Axis("alpha", 1, 4, 1.0 / 16, 256),
          new Axis("rank", 64, 2, 8, 128, true));

  /**
   * Explicit ALS fits residuals of the bias model: its optimum sits at small ranks and larger
   * regularisation (RMSE overfits quickly).
   */
  private static final List<Axis> EXPLICIT =
      List.of(new Axis("regParam", 0.1, 2, 0.001, 30), new Axis("rank", 16, 2, 2, 128, true));

  /** The points to try in order when nothing depends on the scores (off, grid). */
  static List<Map<String, Double>> points(AlsOptions o) {
    return switch (o.protocol().tune()) {
      case OFF -> List.of(Map.of());
      case GRID -> o.grid().points();
      case AUTO -> List.of(start(o));
    };
  }

  /**
   * The next point to try given the scores so far, or empty when the search is done. {@code off}
   * and grids walk their fixed list; {@code auto} searches.
   */
  static Optional<Map<String, Double>> next(AlsOptions o, List<AlsReport.GridScore> tried) {
    if (o.protocol().tune() != AlsOptions.Tune.AUTO) {
      List<Map<String, Double>> fixed = points(o);
      return tried.size() < fixed.size() ? Optional.of(fixed.get(tried.size())) : Optional.empty();
    }
    if (tried.isEmpty()) {
      return Optional.of(start(o));
    }
    return walk(o, tried).next();
  }

  /**
   * The point the search stands on: the best it found, where a point within {@link #MIN_GAIN} of an
   * earlier one does not replace it (the same rule that decides the walk, so the selected point is
   * the one the walk settled on, not a larger rank that won by noise).
   */
  static Map<String, Double> best(AlsOptions o, List<AlsReport.GridScore> tried) {
    return walk(o, tried).best();
  }

  private record Walk(Optional<Map<String, Double>> next, Map<String, Double> best) {}

  /**
   * Replays the walk over the scores so far: it is deterministic, so the first point it needs that
   * has no score yet is the next to fit. Each axis moves up first, then down, while it improves.
   */
  private static Walk walk(AlsOptions o, List<AlsReport.GridScore> tried) {
    List<Axis> axes = axes(o);
    Map<String, Double> best = tried.get(0).point();
    double bestScore = score(tried.get(0), o);
    for (int pass = 0; pass < 3; pass++) {
      boolean improvedInPass = false;
      for (Axis axis : axes) {
        for (int direction : axis.directions()) {
          boolean movedThisWay = false;
          boolean cheaperTies = false;
          while (true) {
            Map<String, Double> candidate = step(best, axis, direction);
            if (candidate == null) {
              break;
            }
            AlsReport.GridScore seen = find(tried, candidate);
            if (seen == null) {
              return new Walk(Optional.of(candidate), best);
            }
            double candidateScore = score(seen, o);
            if (better(candidateScore, bestScore, o)) {
              best = candidate;
              bestScore = candidateScore;
              movedThisWay = true;
              improvedInPass = true;
            } else {
              cheaperTies =
                  axis.costGrows() && direction < 0 && !better(bestScore, candidateScore, o);
              break;
            }
          }
          if (movedThisWay || cheaperTies) {
            // improved one way: no need to try the other from the new point; or a cheaper value
            // tied, so the dearer one is not worth its fit (see Axis)
            break;
          }
        }
      }
      if (!improvedInPass) {
        break;
      }
    }
    return new Walk(Optional.empty(), best);
  }

  private static List<Axis> axes(AlsOptions o) {
    List<Axis> axes = new ArrayList<>();
    for (Axis axis : o.mode() == AlsOptions.Mode.IMPLICIT ? IMPLICIT : EXPLICIT) {
      if (!o.protocol().pinned().contains(axis.name())) {
        axes.add(axis);
      }
    }
    return axes;
  }

  /** The start: each unpinned axis at its start value, iterations at {@link #MAX_ITER}. */
  static Map<String, Double> start(AlsOptions o) {
    Map<String, Double> start = new LinkedHashMap<>();
    for (Axis axis : axes(o)) {
      start.put(axis.name(), axis.start());
    }
    if (!o.protocol().pinned().contains("maxIter")) {
      start.put("maxIter", MAX_ITER);
    }
    return start;
  }

  /**
   * One step along an axis on the lattice {@code start * factor^n}: computed from the exponent, not
   * by multiplying the current value, so going up and back down lands on the very same point.
   */
  private static Map<String, Double> step(Map<String, Double> from, Axis axis, int direction) {
    long n =
        Math.round(Math.log(from.get(axis.name()) / axis.start()) / Math.log(axis.factor()))
            + direction;
    double exact = axis.start() * Math.pow(axis.factor(), n);
    // rounded to 3 significant digits: labels read 0.3 and 0.0333, not 0.30000000000000004
    double value =
        axis.name().equals("rank")
            ? Math.rint(exact)
            : new java.math.BigDecimal(exact).round(new java.math.MathContext(3)).doubleValue();
    if (value < axis.min() - 1e-12 || value > axis.max() + 1e-12) {
      return null;
    }
    Map<String, Double> next = new LinkedHashMap<>(from);
    next.put(axis.name(), value);
    return next;
  }

  private static AlsReport.GridScore find(List<AlsReport.GridScore> tried, Map<String, Double> p) {
    for (AlsReport.GridScore score : tried) {
      if (same(score.point(), p)) {
        return score;
      }
    }
    return null;
  }

  private static boolean same(Map<String, Double> a, Map<String, Double> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (String key : a.keySet()) {
      if (Math.abs(a.get(key) - b.get(key)) > 1e-9 * Math.max(1, Math.abs(a.get(key)))) {
        return false;
      }
    }
    return true;
  }

  /** A missing or NaN score is worse than any number. */
  private static double score(AlsReport.GridScore score, AlsOptions o) {
    Double value = score.metrics().get(o.selectBy());
    if (value == null || value.isNaN()) {
      return AlsOptions.lowerIsBetter(o.selectBy())
          ? Double.POSITIVE_INFINITY
          : Double.NEGATIVE_INFINITY;
    }
    return value;
  }

  /**
   * A move must gain at least {@value #MIN_GAIN} of the score (relative): validation noise on a
   * small set is about that size, and chasing it buys a larger rank (slower everywhere) for
   * nothing. A tie keeps the earlier point and ends the walk along that axis.
   */
  static final double MIN_GAIN = 0.01;

  private static boolean better(double candidate, double best, AlsOptions o) {
    if (Double.isInfinite(best)) {
      return !Double.isInfinite(candidate);
    }
    double margin = MIN_GAIN * Math.abs(best);
    return AlsOptions.lowerIsBetter(o.selectBy())
        ? candidate < best - margin
        : candidate > best + margin;
  }
}
