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
 * @param maxColdStartUsers evaluation users missing from train before the cold-start check warns
 * @param maxColdStartItems evaluation items missing from train before the cold-start check warns
 * @param runId quality run id to use, or {@code null} for a new one (a rerun with the same id
 *     replaces its rows)
 * @param pipelineRunId the {@code recdata pipeline} run this quality run belongs to, or {@code
 *     null} when quality runs alone; report.html names it first, since that is the id users look up
 *     (the run folder, {@code OUT/latest})
 */
public record QualityOptions(
    double ratioTolerance,
    double maxLeakedPairsShare,
    FailOn failOn,
    double maxTemporalLeakShare,
    double minUsersWithinTolerance,
    long maxColdStartUsers,
    long maxColdStartItems,
    String runId,
    String pipelineRunId) {

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
        maxColdStartUsers >= 0 && maxColdStartItems >= 0,
        "--max-cold-start-users %s / --max-cold-start-items %s must not be negative",
        maxColdStartUsers,
        maxColdStartItems);
    RecdataException.checkInput(failOn != null, "--fail-on is missing: expected fail or warn");
    RecdataException.checkInput(
        runId == null || runId.matches("[A-Za-z0-9._:=-]{1,120}"),
        "--run-id %s is not usable: expected 1-120 letters, digits or ._:=-",
        runId);
    RecdataException.checkInput(
        pipelineRunId == null || pipelineRunId.matches("[A-Za-z0-9._:=-]{1,120}"),
        "pipeline run id %s is not usable: expected 1-120 letters, digits or ._:=-",
        pipelineRunId);
  }

  /**
   * The defaults: 5-point tolerance, no leaked pairs, 95% of users on target, gate on failures
   * only.
   */
  public static QualityOptions defaults() {
    return new QualityOptions(
        DEFAULT_RATIO_TOLERANCE,
        0.0,
        FailOn.FAIL,
        0.0,
        DEFAULT_MIN_USERS_WITHIN_TOLERANCE,
        0,
        0,
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
        maxColdStartUsers,
        maxColdStartItems,
        runId,
        pipelineRunId);
  }

  public QualityOptions withRunId(String value) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        failOn,
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsers,
        maxColdStartItems,
        value,
        pipelineRunId);
  }

  public QualityOptions withPipelineRunId(String value) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        failOn,
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsers,
        maxColdStartItems,
        runId,
        value);
  }
}
