package dev.recdata.splits;

import dev.recdata.common.RecdataException;
import dev.recdata.common.cli.SeedOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of the split stage, included by {@code recdata split} and the pipeline; builds
 * {@link SplitOptions}.
 */
public final class SplitCliOptions {
  @Option(
      names = "--strategy",
      defaultValue = "user-ratio",
      description =
          "user-ratio, leave-last, global-time, user-random or kfold (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = "--ratios",
      description =
          "train,validation,test or train,test fractions summing to 1 (default 0.7,0.2,0.1) for"
              + " user-ratio, user-random and global-time.")
  String ratios;

  @Option(
      names = "--k",
      defaultValue = "1",
      description =
          "leave-last: events per user in test and in validation (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--cutoffs",
      description =
          "global-time: one or two ISO instants, e.g. 2019-01-01T00:00:00Z,2019-07-01T00:00:00Z.")
  String cutoffs;

  @Mixin public SeedOption seed;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description = "kfold: number of folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--min-interactions",
      defaultValue = "1",
      description = "Users with fewer events go wholly to train (default: ${DEFAULT-VALUE}).")
  int minInteractions;

  @Option(
      names = "--group-by",
      defaultValue = "user",
      description = "user, or item to stratify per item (default: ${DEFAULT-VALUE}).")
  String groupBy;

  @Option(
      names = "--text-format",
      description = "sequences: also write sequences/<split>.txt with 1-based 'user item' lines.")
  String textFormat;

  /**
   * The validated options; every mistake is a {@link RecdataException} naming the option and value.
   */
  public SplitOptions options() {
    RecdataException.checkInput(
        textFormat == null || textFormat.equals("sequences"),
        "--text-format %s is not known: expected sequences",
        textFormat);
    return new SplitOptions(
        Strategy.fromCli(strategy),
        ratios == null ? null : SplitOptions.parseRatios(ratios),
        k,
        cutoffs == null ? List.of() : parseCutoffs(cutoffs),
        seed.seed,
        folds,
        minInteractions,
        GroupBy.fromCli(groupBy),
        textFormat != null);
  }

  static List<Instant> parseCutoffs(String text) {
    List<Instant> instants = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        instants.add(Instant.parse(part.trim()));
      } catch (DateTimeParseException e) {
        throw RecdataException.badInput(
            "--cutoffs %s: '%s' is not an ISO instant such as 2019-01-01T00:00:00Z", text, part);
      }
    }
    return instants;
  }
}
