package dev.recdata.splits;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a split run wrote, counted from the parts as they were written: the manifest and the
 * command's last line are made from it.
 *
 * @param input rows read, impressions included
 * @param train rows in train; null for kfold (see {@code folds})
 * @param validation rows in validation (0 for two ratios and one cutoff); null for kfold
 * @param test rows in test; null for kfold
 * @param groupBy what the split cut together: users, or items with --group-by item
 * @param groups groups with at least one positive event
 * @param groupsBelowMin groups with fewer events than --min-interactions (wholly in train)
 * @param impressionsExcluded impression rows left out of every split
 * @param users distinct users among the split rows
 * @param folds per-fold counts for kfold, else empty
 * @param cutoffs the global-time cutoffs used (given or found from the ratios), else empty
 */
public record SplitSummary(
    long input,
    Long train,
    Long validation,
    Long test,
    GroupBy groupBy,
    long groups,
    long groupsBelowMin,
    long impressionsExcluded,
    long users,
    List<FoldCount> folds,
    List<Instant> cutoffs,
    String runId,
    String out) {

  public SplitSummary {
    folds = List.copyOf(folds);
    cutoffs = List.copyOf(cutoffs);
  }

  /** Rows in one fold's train and test. */
  public record FoldCount(int fold, long train, long test) {}

  /**
   * "train 70, validation 20, test 10 rows", or per fold: "2 folds: fold 0 train 50 test 50; fold 1
   * ...".
   */
  public String rowsLine() {
    if (!folds.isEmpty()) {
      return String.format(Locale.ROOT, "%d folds: ", folds.size())
          + folds.stream()
              .map(
                  f ->
                      String.format(
                          Locale.ROOT, "fold %d train %,d test %,d", f.fold(), f.train(), f.test()))
              .collect(Collectors.joining("; "));
    }
    return String.format(
        Locale.ROOT, "train %,d, validation %,d, test %,d rows", train, validation, test);
  }

  /**
   * "943 users (2 below --min-interactions 5, all in train)", or items and users with --group-by
   * item.
   */
  public String groupsLine(int minInteractions) {
    String noun = groupBy.cliName();
    String line =
        String.format(
            Locale.ROOT,
            "%,d %ss (%,d below --min-interactions %d, all in train)",
            groups,
            noun,
            groupsBelowMin,
            minInteractions);
    return groupBy == GroupBy.USER ? line : line + String.format(Locale.ROOT, ", %,d users", users);
  }
}
