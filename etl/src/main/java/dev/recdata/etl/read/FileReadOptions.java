package dev.recdata.etl.read;

import dev.recdata.common.RecdataException;

/**
 * How etl reads interaction files, wherever it runs (its own stage, the pipeline, in memory for a
 * one-off split).
 *
 * @param format the layout, or AUTO to detect it from the files present
 * @param mapping the columns of a generic CSV or Parquet input
 * @param maxRejectRatio the run fails when rejected rows exceed this share of the rows read
 */
public record FileReadOptions(InputFormat format, ColumnMapping mapping, double maxRejectRatio) {
  public static final double DEFAULT_MAX_REJECT_RATIO = 0.01;

  public FileReadOptions {
    RecdataException.checkInput(format != null, "--format is missing: expected auto or a layout");
    RecdataException.checkInput(mapping != null, "the column mapping is missing");
    RecdataException.checkInput(
        maxRejectRatio >= 0 && maxRejectRatio <= 1,
        "--max-reject-ratio %s is out of range: expected a share between 0 and 1",
        maxRejectRatio);
  }

  /** Detected layout, canonical column names, at most 1% rejects: what etl does without options. */
  public static FileReadOptions defaults() {
    return new FileReadOptions(
        InputFormat.AUTO, ColumnMapping.defaults(), DEFAULT_MAX_REJECT_RATIO);
  }
}
