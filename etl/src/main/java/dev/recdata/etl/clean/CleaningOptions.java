package dev.recdata.etl.clean;

import static dev.recdata.common.RecdataException.checkInput;

import java.time.Duration;
import java.time.Instant;

/**
 * What the etl stage's cleaning does to the canonical interactions. Every step but the timestamp
 * check can be switched off: no threshold, no since/window, k-core minimums of 0, {@link
 * DuplicatePolicy#KEEP_ALL}.
 *
 * @param dropExactDuplicates remove rows equal to another on all six columns
 * @param duplicates which of several (user, item, event) rows survives
 * @param positiveThreshold when set, ratings at or above it become likes and ratings below it are
 *     dropped
 * @param minUserInteractions k-core: fewest positive interactions a user keeps (0 = no minimum)
 * @param minItemInteractions k-core: fewest positive interactions an item keeps (0 = no minimum)
 * @param since when set, rows before it are dropped
 * @param windowDays when set, rows older than this many days before the newest event are dropped
 * @param minTs rows before it are rejected as bad timestamps
 * @param maxTs rows after it are rejected as bad timestamps (passed in, so runs and tests are
 *     repeatable)
 */
public record CleaningOptions(
    boolean dropExactDuplicates,
    DuplicatePolicy duplicates,
    Float positiveThreshold,
    int minUserInteractions,
    int minItemInteractions,
    Instant since,
    Integer windowDays,
    Instant minTs,
    Instant maxTs) {

  /** Timestamps before this are taken for a broken clock or a zero default, not for real events. */
  public static final Instant DEFAULT_MIN_TS = Instant.parse("1990-01-01T00:00:00Z");

  /** Slack for clock skew between the machine that logged an event and the one running the job. */
  public static final Duration DEFAULT_FUTURE_SLACK = Duration.ofDays(1);

  public CleaningOptions {
    checkInput(
        duplicates != null,
        "duplicate policy is missing; expected one of KEEP_LATEST, KEEP_FIRST, KEEP_ALL");
    checkInput(
        positiveThreshold == null || Float.isFinite(positiveThreshold),
        "positive threshold %s is not a number; expected a rating such as 4.0",
        positiveThreshold);
    checkInput(
        minUserInteractions >= 0,
        "minimum interactions per user %d is negative; expected 0 (no minimum) or more",
        minUserInteractions);
    checkInput(
        minItemInteractions >= 0,
        "minimum interactions per item %d is negative; expected 0 (no minimum) or more",
        minItemInteractions);
    checkInput(
        windowDays == null || windowDays >= 1,
        "window of %s days is too short; expected at least 1 day",
        windowDays);
    checkInput(minTs != null, "minimum timestamp is missing");
    checkInput(maxTs != null, "maximum timestamp is missing");
    checkInput(
        minTs.isBefore(maxTs),
        "minimum timestamp %s is not before maximum timestamp %s; no row could pass",
        minTs,
        maxTs);
    checkInput(
        since == null || since.isBefore(maxTs),
        "since %s is not before the maximum timestamp %s; no row could pass",
        since,
        maxTs);
  }

  /**
   * Exact duplicates dropped, latest (user, item, event) kept, no threshold, no window, no k-core,
   * timestamps accepted from 1990-01-01 to one day after {@code now}.
   */
  public static CleaningOptions defaults(Instant now) {
    checkInput(now != null, "current time is missing");
    return new CleaningOptions(
        true,
        DuplicatePolicy.KEEP_LATEST,
        null,
        0,
        0,
        null,
        null,
        DEFAULT_MIN_TS,
        now.plus(DEFAULT_FUTURE_SLACK));
  }

  public CleaningOptions withDropExactDuplicates(boolean drop) {
    return new CleaningOptions(
        drop,
        duplicates,
        positiveThreshold,
        minUserInteractions,
        minItemInteractions,
        since,
        windowDays,
        minTs,
        maxTs);
  }

  public CleaningOptions withDuplicates(DuplicatePolicy policy) {
    return new CleaningOptions(
        dropExactDuplicates,
        policy,
        positiveThreshold,
        minUserInteractions,
        minItemInteractions,
        since,
        windowDays,
        minTs,
        maxTs);
  }

  public CleaningOptions withPositiveThreshold(Float threshold) {
    return new CleaningOptions(
        dropExactDuplicates,
        duplicates,
        threshold,
        minUserInteractions,
        minItemInteractions,
        since,
        windowDays,
        minTs,
        maxTs);
  }

  public CleaningOptions withKCore(int minUser, int minItem) {
    return new CleaningOptions(
        dropExactDuplicates,
        duplicates,
        positiveThreshold,
        minUser,
        minItem,
        since,
        windowDays,
        minTs,
        maxTs);
  }

  public CleaningOptions withWindow(Instant sinceInstant, Integer days) {
    return new CleaningOptions(
        dropExactDuplicates,
        duplicates,
        positiveThreshold,
        minUserInteractions,
        minItemInteractions,
        sinceInstant,
        days,
        minTs,
        maxTs);
  }

  public CleaningOptions withTimestampBounds(Instant min, Instant max) {
    return new CleaningOptions(
        dropExactDuplicates,
        duplicates,
        positiveThreshold,
        minUserInteractions,
        minItemInteractions,
        since,
        windowDays,
        min,
        max);
  }

  /** True when the k-core step removes anything at all. */
  public boolean kCoreEnabled() {
    return minUserInteractions > 0 || minItemInteractions > 0;
  }
}
