package dev.recdata.quality;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What {@link QualityInputReader} found at {@code --input}: a split folder (one group of parts, or
 * one group per k-fold fold) or an etl folder (one group with the single part {@link Metrics#ALL}),
 * with the facts of its manifest the checks need.
 *
 * @param kind {@link #SPLIT} or {@link #ETL}
 * @param upstreamRunId the run_id of the split (or etl) manifest, {@code null} without a manifest
 * @param strategy split strategy from the manifest ({@code user-ratio}, ...), {@code null} for etl
 * @param ratios target ratios of the parts in {@code groups.parts} order, empty when not recorded
 * @param expectedRows {@code counts.input - counts.impressions_excluded}, {@code null} when not
 *     recorded
 * @param counts the row counts of the split (or etl) manifest, {@code null} without a manifest
 * @param upstreamEtlCounts the row counts of the etl output the split read, when it is reachable
 * @param etlRunId the etl run the split was cut from (or the etl folder's own), null when unknown
 * @param folds the folds of a k-fold split, null otherwise
 * @param datasetName the dataset the input holds, derived from its lineage ({@link
 *     dev.recdata.common.DatasetNames})
 */
public record QualityInput(
    String kind,
    String dir,
    JsonNode counts,
    String upstreamRunId,
    String strategy,
    double[] ratios,
    int minInteractions,
    List<Instant> cutoffs,
    Long expectedRows,
    JsonNode upstreamEtlCounts,
    String etlRunId,
    Integer folds,
    String datasetName,
    List<Group> groups) {

  public static final String SPLIT = "split";
  public static final String ETL = "etl";

  /**
   * One set of parts checked together: the rows of every part tagged with {@link Metrics#SPLIT}.
   *
   * @param name {@code ""} for a plain split or etl folder, {@code fold=i} for one k-fold fold
   * @param parts the parts present, train first
   */
  public record Group(String name, List<String> parts, Dataset<Row> tagged) {
    /** A check or metric label qualified by the fold: {@code pair_leakage[fold=1]}, or as is. */
    public String qualify(String label) {
      return name.isEmpty() ? label : label + "[" + name + "]";
    }

    /** A split label qualified by the fold: {@code fold=1/train}, or as is. */
    public String splitLabel(String split) {
      return name.isEmpty() ? split : name + "/" + split;
    }
  }

  /**
   * A label of {@link Group#qualify} or {@link Group#splitLabel} taken apart again, for the tables,
   * which keep the fold in a column of its own so a dashboard can filter and group by it.
   *
   * @param fold the fold, null for a holdout split or etl folder
   * @param name the check name or split without the fold
   */
  public record FoldLabel(Integer fold, String name) {
    private static final java.util.regex.Pattern CHECK =
        java.util.regex.Pattern.compile("(.*)\\[fold=(\\d+)]");
    private static final java.util.regex.Pattern SPLIT =
        java.util.regex.Pattern.compile("fold=(\\d+)/(.*)");

    /** {@code pair_leakage[fold=1]} is fold 1, {@code pair_leakage}. */
    public static FoldLabel ofCheck(String check) {
      java.util.regex.Matcher m = CHECK.matcher(check);
      return m.matches()
          ? new FoldLabel(Integer.valueOf(m.group(2)), m.group(1))
          : new FoldLabel(null, check);
    }

    /** {@code fold=1/train} is fold 1, {@code train}. */
    public static FoldLabel ofSplit(String split) {
      java.util.regex.Matcher m = SPLIT.matcher(split);
      return m.matches()
          ? new FoldLabel(Integer.valueOf(m.group(1)), m.group(2))
          : new FoldLabel(null, split);
    }
  }
}
