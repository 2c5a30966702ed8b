package dev.recdata.als;

import dev.recdata.common.RecdataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A hyper-parameter grid such as {@code rank=16,32;regParam=0.01,0.1;alpha=1,10}: every combination
 * is one point, fitted on train and scored on validation. An empty grid has one point: the options
 * as given.
 */
public record Grid(Map<String, List<Double>> values) {
  /** The parameters a grid may vary; anything else is a typo we want to report, not ignore. */
  public static final Set<String> PARAMETERS = Set.of("rank", "maxIter", "regParam", "alpha");

  public Grid {
    LinkedHashMap<String, List<Double>> copy = new LinkedHashMap<>();
    values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
    values = Collections.unmodifiableMap(copy);
  }

  public static Grid empty() {
    return new Grid(Map.of());
  }

  /** Parses {@code name=v1,v2;name=v3}; null or blank is the empty grid. */
  public static Grid parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return empty();
    }
    LinkedHashMap<String, List<Double>> values = new LinkedHashMap<>();
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      RecdataException.checkInput(
          eq > 0,
          "--grid \"%s\": \"%s\" is not name=v1,v2 (expected e.g. rank=16,32;regParam=0.01,0.1)",
          spec,
          part.trim());
      String name = part.substring(0, eq).trim();
      RecdataException.checkInput(
          PARAMETERS.contains(name),
          "--grid \"%s\": unknown parameter \"%s\"; expected one of %s",
          spec,
          name,
          new java.util.TreeSet<>(PARAMETERS));
      RecdataException.checkInput(
          !values.containsKey(name), "--grid \"%s\": parameter %s is given twice", spec, name);
      List<Double> list = new ArrayList<>();
      for (String raw : part.substring(eq + 1).split(",")) {
        String v = raw.trim();
        RecdataException.checkInput(
            !v.isEmpty(), "--grid \"%s\": %s has an empty value", spec, name);
        double d;
        try {
          d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw RecdataException.badInput("--grid \"%s\": %s=%s is not a number", spec, name, v);
        }
        RecdataException.checkInput(
            Double.isFinite(d)
                && (name.equals("regParam") || name.equals("alpha") ? d >= 0 : d >= 1),
            "--grid \"%s\": %s=%s is out of range (rank and maxIter >= 1, regParam and alpha >= 0)",
            spec,
            name,
            v);
        RecdataException.checkInput(
            !(name.equals("rank") || name.equals("maxIter")) || d == Math.rint(d),
            "--grid \"%s\": %s=%s must be a whole number",
            spec,
            name,
            v);
        list.add(d);
      }
      values.put(name, list);
    }
    return new Grid(values);
  }

  /** Every combination, the first parameter varying slowest; one empty point for the empty grid. */
  public List<Map<String, Double>> points() {
    List<Map<String, Double>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Double>> entry : values.entrySet()) {
      List<Map<String, Double>> next = new ArrayList<>();
      for (Map<String, Double> point : points) {
        for (Double v : entry.getValue()) {
          LinkedHashMap<String, Double> extended = new LinkedHashMap<>(point);
          extended.put(entry.getKey(), v);
          next.add(extended);
        }
      }
      points = next;
    }
    return points;
  }

  public int size() {
    return points().size();
  }

  /** {@code rank=16,regParam=0.1}: a stable label for a point in reports and tables. */
  public static String label(Map<String, Double> point) {
    if (point.isEmpty()) {
      return "default";
    }
    List<String> parts = new ArrayList<>();
    point.forEach((k, v) -> parts.add(k + "=" + format(v)));
    return String.join(",", parts);
  }

  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    values.forEach(
        (k, list) ->
            parts.add(k + "=" + String.join(",", list.stream().map(Grid::format).toList())));
    return String.join(";", parts);
  }
}
