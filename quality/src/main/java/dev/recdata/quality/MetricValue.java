package dev.recdata.quality;

/** One row of {@code quality_metrics}: a number about one part of one dataset. */
public record MetricValue(String dataset, String split, String metric, double value) {}
