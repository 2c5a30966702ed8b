package dev.recdata.splits;

import java.time.Instant;
import java.util.List;

/**
 * What a split run produced, for the manifest and the command's last line.
 *
 * @param input rows read, impressions included
 * @param train rows in train (kfold: rows in no fold's test, i.e. in every fold's train)
 * @param validation rows in validation (0 for two ratios, one cutoff and kfold)
 * @param test rows in test (kfold: rows in some fold's test, each counted once)
 * @param usersBelowMin groups (users, or items with --group-by item) with fewer events than
 *     --min-interactions
 * @param impressionsExcluded impression rows left out of every split
 * @param users distinct users among the split rows
 * @param folds per-fold counts for kfold, else empty
 * @param cutoffs the global-time cutoffs used (given or found from the ratios), else empty
 */
public record SplitSummary(
    long input,
    long train,
    long validation,
    long test,
    long usersBelowMin,
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
}
