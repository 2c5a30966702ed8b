package dev.recdata.export;

import dev.recdata.common.RecdataException;
import dev.recdata.export.serving.ServingOptions;
import dev.recdata.export.tensor.Format;
import dev.recdata.export.training.Sampler;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@code recdata export} writes and how.
 *
 * @param negatives triplets per train positive (k)
 * @param sampler where negatives come from
 * @param popularityExponent the popularity sampler's weight is (train interactions + 1)^exponent
 * @param evalNegatives sampled negatives per evaluation candidate list (N)
 * @param maxSequenceLength items kept per user sequence (the last L)
 * @param positiveThreshold a rating at or above it is a positive; likes always are
 * @param shardBytes safetensors files above this many data bytes are split into row shards
 * @param seed every random choice derives from it and a stable key
 * @param formats safetensors, npy and/or parquet
 * @param topK serving: recommendations per user (for the serving part of the export)
 * @param similarK serving: similar items per item
 * @param minCoverageRatio publish guard: the new model must recommend to at least this share of the
 *     users and items of the version published now (PublishGuard); a model with no recommendations
 *     is never published
 * @param forcePublish skip the publish guard
 */
public record ExportOptions(
    int negatives,
    Sampler sampler,
    double popularityExponent,
    int evalNegatives,
    int maxSequenceLength,
    float positiveThreshold,
    long shardBytes,
    long seed,
    Set<Format> formats,
    int topK,
    int similarK,
    double minCoverageRatio,
    boolean forcePublish) {

  public static final double DEFAULT_MIN_COVERAGE_RATIO = 0.5;

  public static final long DEFAULT_SHARD_BYTES = 2L << 30;

  public ExportOptions {
    RecdataException.checkInput(negatives >= 1, "--negatives %d must be at least 1", negatives);
    RecdataException.checkInput(
        sampler != null, "--sampler is required: uniform, popularity or impressions");
    RecdataException.checkInput(
        Double.isFinite(popularityExponent) && popularityExponent >= 0,
        "--popularity-exponent %s must be a number >= 0",
        popularityExponent);
    RecdataException.checkInput(
        evalNegatives >= 1,
        "--eval-negatives %d must be at least 1: a candidate list of positives only is ranked"
            + " perfectly by any model",
        evalNegatives);
    RecdataException.checkInput(
        maxSequenceLength >= 1, "--max-sequence-length %d must be at least 1", maxSequenceLength);
    RecdataException.checkInput(
        Float.isFinite(positiveThreshold), "--positive-threshold must be a number");
    RecdataException.checkInput(shardBytes >= 1, "--shard-bytes %d must be at least 1", shardBytes);
    RecdataException.checkInput(
        formats != null && !formats.isEmpty(),
        "--formats names no format: expected safetensors, npy and/or parquet");
    RecdataException.checkInput(topK >= 1, "--top-k %d must be at least 1", topK);
    RecdataException.checkInput(similarK >= 1, "--similar-k %d must be at least 1", similarK);
    RecdataException.checkInput(
        minCoverageRatio >= 0 && minCoverageRatio <= 1,
        "--min-coverage-ratio %s must be between 0 and 1",
        minCoverageRatio);
    formats = Set.copyOf(EnumSet.copyOf(formats));
  }

  /**
   * The defaults: 4 uniform negatives, 100 eval negatives, L = 200, threshold 4, 2 GiB shards, seed
   * 42, all formats.
   */
  public static ExportOptions defaults() {
    return new ExportOptions(
        4,
        Sampler.UNIFORM,
        0.75,
        100,
        200,
        4.0f,
        DEFAULT_SHARD_BYTES,
        42L,
        EnumSet.allOf(Format.class),
        5,
        10,
        DEFAULT_MIN_COVERAGE_RATIO,
        false);
  }

  public ExportOptions withSampler(Sampler newSampler) {
    return new ExportOptions(
        negatives,
        newSampler,
        popularityExponent,
        evalNegatives,
        maxSequenceLength,
        positiveThreshold,
        shardBytes,
        seed,
        formats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  public ExportOptions withSeed(long newSeed) {
    return new ExportOptions(
        negatives,
        sampler,
        popularityExponent,
        evalNegatives,
        maxSequenceLength,
        positiveThreshold,
        shardBytes,
        newSeed,
        formats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  public ExportOptions withShardBytes(long newShardBytes) {
    return new ExportOptions(
        negatives,
        sampler,
        popularityExponent,
        evalNegatives,
        maxSequenceLength,
        positiveThreshold,
        newShardBytes,
        seed,
        formats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  public ExportOptions withNegatives(int k, int evalK) {
    return new ExportOptions(
        k,
        sampler,
        popularityExponent,
        evalK,
        maxSequenceLength,
        positiveThreshold,
        shardBytes,
        seed,
        formats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  public ExportOptions withMaxSequenceLength(int length) {
    return new ExportOptions(
        negatives,
        sampler,
        popularityExponent,
        evalNegatives,
        length,
        positiveThreshold,
        shardBytes,
        seed,
        formats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  public ExportOptions withFormats(Set<Format> newFormats) {
    return new ExportOptions(
        negatives,
        sampler,
        popularityExponent,
        evalNegatives,
        maxSequenceLength,
        positiveThreshold,
        shardBytes,
        seed,
        newFormats,
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  /**
   * The serving half's options: same formats; model version = the ALS run id; default OpenSearch
   * index.
   */
  public ServingOptions servingOptions() {
    return new ServingOptions(topK, similarK, formats, null, null);
  }
}
