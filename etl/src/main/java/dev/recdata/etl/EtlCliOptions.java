package dev.recdata.etl;

import dev.recdata.common.JdbcTarget;
import dev.recdata.etl.clean.CleaningCliOptions;
import dev.recdata.etl.feedback.FeedbackCliOptions;
import dev.recdata.etl.read.FileReadCliOptions;
import dev.recdata.etl.read.FileReadOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of the etl stage, included by {@code recdata etl} and the pipeline; builds {@link
 * EtlOptions}. Where the output goes is the including command's to say.
 */
public final class EtlCliOptions {
  @Option(
      names = "--input",
      split = ",",
      description =
          "MovieLens folder, ratings file, CSV or Parquet of interactions; a path or URI (repeatable or comma-separated).")
  public List<String> inputs = new ArrayList<>();

  @Mixin public FileReadCliOptions files;
  @Mixin public FeedbackCliOptions feedback;
  @Mixin public CleaningCliOptions cleaning;

  @Option(
      names = "--no-checksums",
      description =
          "Skip the SHA-256 of each input file in the manifest (saves one read of the input).")
  boolean noChecksums;

  /**
   * Checks every etl option that does not depend on the inputs, for a command that learns them only
   * later (the pipeline downloads or generates them), so a bad etl option fails before any work.
   */
  public void check(JdbcTarget jdbc) {
    files.options();
    feedback.options(jdbc);
    cleaning.options(Instant.now());
  }

  /**
   * The etl run over {@code inputs} (the pipeline may have replaced --input by a download or a
   * generated sample).
   *
   * @param previous the etl output the run continues from, or null for {@code out} itself
   */
  public EtlOptions options(List<String> inputs, JdbcTarget jdbc, String out, String previous) {
    FileReadOptions read = files.options();
    return new EtlOptions(
        inputs,
        read.format(),
        read.mapping(),
        feedback.options(jdbc),
        cleaning.options(Instant.now()),
        read.maxRejectRatio(),
        !noChecksums,
        out,
        previous);
  }
}
