package dev.recdata.quality;

import dev.recdata.common.cli.DatasetNameOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The quality stage's thresholds and gate, included by {@code recdata quality} and the pipeline;
 * builds {@link QualityOptions}. {@code --run-id} is the quality command's own: in the pipeline a
 * quality run is always named after the split it checked.
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
      names = "--max-cold-start-users-share",
      description =
          "Largest share of evaluation users missing from train before cold_start_users warns (default:"
              + " 0.05; 1, never, for global-time, whose test users are largely new by design).")
  Double maxColdStartUsersShare;

  @Option(
      names = "--max-cold-start-items-share",
      description =
          "Largest share of evaluation items missing from train before cold_start_items warns (default:"
              + " 0.1).")
  Double maxColdStartItemsShare;

  /** --dataset-name, shared with als: the pipeline gives both stages one name. */
  @Mixin public DatasetNameOption datasetName;

  @Option(
      names = "--fail-on",
      defaultValue = "fail",
      description =
          "fail: exit 3 when an ERROR check fails; warn: also when a check warns (default: ${DEFAULT-VALUE}).")
  String failOn;

  /** {@code --dataset-name}, or null to derive the name from the input. */
  public String datasetName() {
    return datasetName == null ? null : datasetName.name;
  }

  /**
   * @param runId the quality run id, or null for the checked split's
   */
  public QualityOptions options(String runId) {
    return new QualityOptions(
        ratioTolerance,
        maxLeakedPairsShare,
        FailOn.parse(failOn),
        maxTemporalLeakShare,
        minUsersWithinTolerance,
        maxColdStartUsersShare,
        maxColdStartItemsShare,
        runId);
  }
}
