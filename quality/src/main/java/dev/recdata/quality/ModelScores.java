package dev.recdata.quality;

import java.util.Map;

/**
 * The model's test scores beside the baselines', for report.html in a pipeline run: quality cannot
 * read ALS's output itself (it runs first, and the ALS module depends on it, not the other way), so
 * the pipeline hands them over when it renders the report again after ALS.
 *
 * @param test model name ({@link #ALS}, {@code most_popular}, ...) to metric to value, in the order
 *     to show
 * @param verdict one sentence: did ALS beat the best baseline, and what ships
 * @param source where the numbers are stored with their protocols (ALS's metrics.json)
 */
public record ModelScores(Map<String, Map<String, Double>> test, String verdict, String source) {
  public static final String ALS = "als";
}
