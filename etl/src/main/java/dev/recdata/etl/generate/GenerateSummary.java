package dev.recdata.etl.generate;

/** What {@code recdata generate} wrote: counts, the size of ratings.csv and the wall time. */
public record GenerateSummary(long rows, int users, int items, long ratingsBytes, double seconds) {}
