package dev.recdata.quality;

import picocli.CommandLine.Option;

/**
 * The quality stage's thresholds and gate, included by {@code recdata quality} and the pipeline;
 * builds {@link QualityOptions}. The run id is the quality command's own: in the pipeline every run
 * is its own quality run.
 */
public final class QualityCliOptions {
  @Option(
      names = "--ratio-tolerance",
      defaultValue = "0.05",
      description =
          "Allowed distance of a user's realized fraction from the target (default: ${DEFAULT-VALUE}).")
  double ratioTolerance;

  @Option(
      names = "--min-users-within-tolerance",
      defaultValue = "0.95",
      description =
          "Smallest share of users on target before ratio_per_user fails (default: ${DEFAULT-VALUE}).")
  double minUsersWithinTolerance;

  @Option(
      names = "--max-leaked-pairs-share",
      defaultValue = "0",
      description =
          "Largest share of evaluation rows repeating a train (user, item) pair (default: ${DEFAULT-VALUE}).")
  double maxLeakedPairsShare;

  @Option(
      names = "--max-temporal-leak-share",
      defaultValue = "0",
      description =
          "Largest share of evaluation rows earlier than the user's last train event (default: ${DEFAULT-VALUE}).")
  double maxTemporalLeakShare;

  @Option(
      names = "--max-cold-start-users",
      defaultValue = "0",
      description =
          "Evaluation users missing from train before cold_start_users warns (default: ${DEFAULT-VALUE}).")
  long maxColdStartUsers;

  @Option(
      names = "--max-cold-start-items",
      defaultValue = "0",
      description =
          "Evaluation items missing from train before cold_start_items warns (default: ${DEFAULT-VALUE}).")
  long maxColdStartItems;

  @Option(
      names = "--fail-on",
      defaultValue = "fail",
      description =
          "fail: exit 3 when an ERROR check fails; warn: also when a check warns (default: ${DEFAULT-VALUE}).")
  String failOn;

  /**
   * @param runId the quality run id, or null for a new one
   */
  public QualityOptions options(String runId) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        FailOn.parse(failOn),
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsers,
        maxColdStartItems,
        runId,
        null);
  }
}
