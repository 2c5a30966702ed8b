package dev.recdata.etl.clean;

/** Which row survives when a user has the same event on the same item more than once. */
public enum DuplicatePolicy {
  /** Keep the most recent row (ties on ts: higher rating, then source A-Z). */
  KEEP_LATEST,
  /** Keep the earliest row (ties on ts: higher rating, then source A-Z). */
  KEEP_FIRST,
  /** Keep every row; only exact duplicates go, when those are dropped. */
  KEEP_ALL
}
