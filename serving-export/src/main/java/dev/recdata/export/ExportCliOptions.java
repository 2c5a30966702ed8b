package dev.recdata.export;

import dev.recdata.common.RecdataException;
import dev.recdata.common.cli.PositiveThresholdOption;
import dev.recdata.common.cli.SeedOption;
import dev.recdata.export.tensor.Format;
import dev.recdata.export.training.Sampler;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of the export stage, included by {@code recdata export} and the pipeline; builds
 * {@link ExportOptions}. Where the inputs come from is the including command's to say.
 */
public final class ExportCliOptions {
  @Option(
      names = "--negatives",
      defaultValue = "4",
      description = "Negatives per train positive (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(
      names = "--sampler",
      defaultValue = "uniform",
      description = "uniform, popularity or impressions (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(
      names = "--popularity-exponent",
      defaultValue = "0.75",
      description = "Popularity weight (count + 1)^e (default: ${DEFAULT-VALUE}).")
  double popularityExponent;

  @Option(
      names = "--eval-negatives",
      defaultValue = "100",
      description = "Sampled negatives per evaluation candidate list (default: ${DEFAULT-VALUE}).")
  int evalNegatives;

  @Option(
      names = "--max-sequence-length",
      defaultValue = "200",
      description = "Items kept per user sequence (default: ${DEFAULT-VALUE}).")
  int maxSequenceLength;

  @Mixin public PositiveThresholdOption positiveThreshold;

  @Option(
      names = "--shard-bytes",
      defaultValue = "2GiB",
      description =
          "Split safetensors files above this size into row shards, e.g. 512MiB (default: ${DEFAULT-VALUE}).")
  String shardBytes;

  @Mixin public SeedOption seed;

  @Option(
      names = "--formats",
      defaultValue = "safetensors,npy,parquet",
      description = "Any of safetensors, npy, parquet (default: ${DEFAULT-VALUE}).")
  String formats;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "Serving: recommendations per user (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--similar-k",
      defaultValue = "10",
      description = "Serving: similar items per item (default: ${DEFAULT-VALUE}).")
  int similarK;

  @Option(
      names = "--min-coverage-ratio",
      defaultValue = "0.5",
      description =
          "Publish guard: do not publish a model recommending to fewer than this share of the users or items of"
              + " the version published now (default: ${DEFAULT-VALUE}); a model with no recommendations is never published.")
  double minCoverageRatio;

  @Option(
      names = "--force-publish",
      description = "Publish even when the publish guard refuses the model.")
  boolean forcePublish;

  public ExportOptions options() {
    return new ExportOptions(
        negatives,
        Sampler.parse(sampler),
        popularityExponent,
        evalNegatives,
        maxSequenceLength,
        positiveThreshold.positiveThreshold,
        parseBytes(shardBytes),
        seed.seed,
        Format.parseList(formats),
        topK,
        similarK,
        minCoverageRatio,
        forcePublish);
  }

  private static final Pattern BYTES =
      Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  /** {@code 1048576}, {@code 512MiB}, {@code 2g}: binary multiples. */
  static long parseBytes(String value) {
    Matcher m = BYTES.matcher(value.trim());
    RecdataException.checkInput(
        m.matches(),
        "--shard-bytes %s is not a size: expected bytes, e.g. 1048576, 512MiB or 2GiB",
        value);
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      throw RecdataException.badInput("--shard-bytes %s is too large", value);
    }
  }
}
