package dev.recdata.common;

/**
 * What a stage run belongs to beyond its input, for the tables dashboards join: the pipeline run
 * that started it and the dataset name to file it under.
 *
 * @param pipelineRunId the {@code recdata pipeline} run, or null when the stage runs on its own;
 *     the only way a stage learns it (quality's report.json, report.html header and table rows all
 *     take it from here)
 * @param datasetName {@code --dataset-name}, or null to derive it from the input ({@link
 *     DatasetNames})
 */
public record RunContext(String pipelineRunId, String datasetName) {
  /** A stage run on its own, its dataset named after its input. */
  public static final RunContext STANDALONE = new RunContext(null, null);

  public RunContext {
    datasetName = DatasetNames.check(datasetName);
  }

  /** The given dataset name, or {@code derived} when none was given. */
  public String datasetNameOr(java.util.function.Supplier<String> derived) {
    return datasetName != null ? datasetName : derived.get();
  }
}
