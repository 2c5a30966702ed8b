package dev.recdata.quality;

import dev.recdata.common.RecdataException;

/**
 * Thresholds of the quality checks and which statuses gate the pipeline.
 *
 * @param ratioTolerance how far a user's realized split fraction may be from the target (0.05 = 5
 *     points) before the user counts as off-target; users with few events also pass at the exact
 *     largest-remainder allocation or within 1/n, see {@link Checks#userSplitCounts}
 * @param maxLeakedPairsShare largest allowed share of evaluation rows whose (user, item) pair is
 *     also in train
 * @param failOn {@code FAIL}: only failed ERROR checks gate; {@code WARN}: warnings gate too
 * @param maxTemporalLeakShare largest allowed share of evaluation rows earlier than the user's last
 *     train event
 * @param minUsersWithinTolerance smallest allowed share of users whose split matches the target
 *     ratios
 * @param maxColdStartUsersShare largest share of evaluation users missing from train before
 *     cold_start_users warns; null for the strategy's default ({@link
 *     CheckSuite#coldStartUsersShare})
 * @param maxColdStartItemsShare largest share of evaluation items missing from train before
 *     cold_start_items warns; null for the default ({@link CheckSuite#COLD_START_ITEMS_SHARE})
 * @param runId quality run id to use, or {@code null} for a new one (a rerun with the same id
 *     replaces its rows)
 */
public record QualityOptions(
    double ratioTolerance,
    double maxLeakedPairsShare,
    FailOn failOn,
    double maxTemporalLeakShare,
    double minUsersWithinTolerance,
    Double maxColdStartUsersShare,
    Double maxColdStartItemsShare,
    String runId) {

  public static final double DEFAULT_RATIO_TOLERANCE = 0.05;
  public static final double DEFAULT_MIN_USERS_WITHIN_TOLERANCE = 0.95;

  public QualityOptions {
    RecdataException.checkInput(
        ratioTolerance >= 0 && ratioTolerance < 1,
        "--ratio-tolerance %s is out of range: expected a fraction in [0, 1)",
        ratioTolerance);
    RecdataException.checkInput(
        maxLeakedPairsShare >= 0 && maxLeakedPairsShare <= 1,
        "--max-leaked-pairs-share %s is out of range: expected a share in [0, 1]",
        maxLeakedPairsShare);
    RecdataException.checkInput(
        maxTemporalLeakShare >= 0 && maxTemporalLeakShare <= 1,
        "--max-temporal-leak-share %s is out of range: expected a share in [0, 1]",
        maxTemporalLeakShare);
    RecdataException.checkInput(
        minUsersWithinTolerance >= 0 && minUsersWithinTolerance <= 1,
        "--min-users-within-tolerance %s is out of range: expected a share in [0, 1]",
        minUsersWithinTolerance);
    RecdataException.checkInput(
        maxColdStartUsersShare == null
            || (maxColdStartUsersShare >= 0 && maxColdStartUsersShare <= 1),
        "--max-cold-start-users-share %s is out of range: expected a share in [0, 1]",
        maxColdStartUsersShare);
    RecdataException.checkInput(
        maxColdStartItemsShare == null
            || (maxColdStartItemsShare >= 0 && maxColdStartItemsShare <= 1),
        "--max-cold-start-items-share %s is out of range: expected a share in [0, 1]",
        maxColdStartItemsShare);
    RecdataException.checkInput(failOn != null, "--fail-on is missing: expected fail or warn");
    RecdataException.checkInput(
        runId == null || runId.matches("[A-Za-z0-9._:=-]{1,120}"),
        "--run-id %s is not usable: expected 1-120 letters, digits or ._:=-",
        runId);
  }

  /**
   * The defaults: 5-point tolerance, no leaked pairs, 95% of users on target, the strategy's
   * cold-start shares, gate on failures only.
   */
  public static QualityOptions defaults() {
    return new QualityOptions(
        DEFAULT_RATIO_TOLERANCE,
        0.0,
        FailOn.FAIL,
        0.0,
        DEFAULT_MIN_USERS_WITHIN_TOLERANCE,
        null,
        null,
        null);
  }

  public QualityOptions withFailOn(FailOn value) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        value,
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsersShare,
        maxColdStartItemsShare,
        runId);
  }

  public QualityOptions withRunId(String value) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        failOn,
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsersShare,
        maxColdStartItemsShare,
        value);
  }
}
