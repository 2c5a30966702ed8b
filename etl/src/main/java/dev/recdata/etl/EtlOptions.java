package dev.recdata.etl;

import dev.recdata.common.RecdataException;
import dev.recdata.etl.clean.CleaningOptions;
import dev.recdata.etl.feedback.FeedbackOptions;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.FileReadOptions;
import dev.recdata.etl.read.InputFormat;
import java.util.List;

/**
 * Everything one etl run needs: where to read (files and/or the feedback table), how to clean,
 * where to write.
 *
 * @param inputs files, folders or URIs of MovieLens or interaction files (may be empty when
 *     feedback is given)
 * @param feedback the PostgreSQL feedback source, or null
 * @param maxRejectRatio the run fails when rejected rows exceed this share of the rows read
 * @param checksums whether to record SHA-256 of every input file in the manifest (a full read of
 *     each file)
 * @param previous the etl output this run continues from (feedback watermark and history); null
 *     means {@code out} itself. The pipeline writes each run to a new folder and points this at the
 *     last complete run's.
 */
public record EtlOptions(
    List<String> inputs,
    InputFormat format,
    ColumnMapping mapping,
    FeedbackOptions feedback,
    CleaningOptions cleaning,
    double maxRejectRatio,
    boolean checksums,
    String out,
    String previous) {

  /** Options that continue from the previous output in {@code out} itself. */
  public EtlOptions(
      List<String> inputs,
      InputFormat format,
      ColumnMapping mapping,
      FeedbackOptions feedback,
      CleaningOptions cleaning,
      double maxRejectRatio,
      boolean checksums,
      String out) {
    this(inputs, format, mapping, feedback, cleaning, maxRejectRatio, checksums, out, null);
  }

  /** Where the previous run's manifest and feedback history are read from. */
  public String previousOrOut() {
    return previous == null ? out : previous;
  }

  public EtlOptions {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    RecdataException.checkInput(
        !inputs.isEmpty() || feedback != null,
        "nothing to read: give --input PATH (MovieLens folder or interactions file) and/or --jdbc-url with --feedback-table");
    new FileReadOptions(
        format,
        mapping,
        maxRejectRatio); // validates the three together, as every etl run reads them
    RecdataException.checkInput(
        out != null && !out.isBlank(), "--out is required: the folder to write the dataset to");
  }
}
