package dev.recdata.export.training;

/**
 * One written set of evaluation batches as the manifest describes it: who has a list, who was left
 * out and why, and how the held-out ALS model ranks the lists.
 *
 * @param name the tensor set ({@code val_eval_batches}, {@code test_eval_batches})
 * @param split the split whose positives are held out
 * @param users users with a candidate list (rows written)
 * @param candidates the candidates of all lists
 * @param longest the longest list's candidates
 * @param coverage who was left out or got fewer negatives than asked for
 * @param alsModel the folder of the model that scored the lists; null when not scored
 * @param alsScore null when not scored; {@code alsOmitted} then says why
 */
public record EvalBatchesSummary(
    String name,
    String split,
    long users,
    long candidates,
    long longest,
    TrainingSets.EvalCoverage coverage,
    String alsModel,
    EvalBatchScore.Score alsScore,
    String alsOmitted) {}
