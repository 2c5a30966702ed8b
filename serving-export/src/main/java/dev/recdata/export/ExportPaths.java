package dev.recdata.export;

import dev.recdata.common.RecdataException;
import org.apache.hadoop.fs.Path;

/**
 * Where {@code export} reads and writes: the etl output, the split folder, the ALS output and the
 * export folder itself ({@code out}, committed atomically). An ALS folder named on its own ({@code
 * --als}, or by the pipeline) must hold an ALS output; one only implied by a run folder may be
 * absent, and then only the training side is written.
 *
 * @param alsRequired whether {@code als} was named on its own, so a folder without an ALS output is
 *     an error
 */
public record ExportPaths(String etl, String splits, String als, String out, boolean alsRequired) {
  public static final String STAGE = "export";

  public ExportPaths {
    RecdataException.checkInput(
        etl != null && !etl.isBlank(), "no etl folder: give --input RUN_DIR or --etl DIR");
    RecdataException.checkInput(
        splits != null && !splits.isBlank(),
        "no split folder: give --input RUN_DIR or --splits DIR");
    RecdataException.checkInput(
        out != null && !out.isBlank(), "--out is required: the export folder to write");
  }

  /** Paths whose ALS folder came from a run folder (so it may be absent). */
  public ExportPaths(String etl, String splits, String als, String out) {
    this(etl, splits, als, out, false);
  }

  /** {@code RUN_DIR/{etl,splits,als}} unless given one by one (those win). */
  public static ExportPaths of(String runDir, String etl, String splits, String als, String out) {
    return new ExportPaths(
        etl != null ? etl : runDir == null ? null : new Path(runDir, "etl").toString(),
        splits != null ? splits : runDir == null ? null : new Path(runDir, "splits").toString(),
        als != null ? als : runDir == null ? null : new Path(runDir, "als").toString(),
        out,
        als != null);
  }

  /** The folder committed atomically: {@code out} itself. */
  public String exportDir() {
    return out;
  }
}
