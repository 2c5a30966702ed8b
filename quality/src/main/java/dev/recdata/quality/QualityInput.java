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
}
