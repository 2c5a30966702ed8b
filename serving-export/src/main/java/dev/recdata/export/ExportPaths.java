package dev.recdata.export;

import dev.recdata.common.RecdataException;
import org.apache.hadoop.fs.Path;

/**
 * Where {@code export} reads and writes: the etl output, the split folder (holding {@code splits/} and its
 * manifest), the ALS output (may be absent: then only the training side is written) and the folder that gets
 * {@code export/}.
 */
public record ExportPaths(String etl, String splits, String als, String out) {
  public static final String STAGE = "export";

  public ExportPaths {
    RecdataException.checkInput(etl != null && !etl.isBlank(), "no etl folder: give --input RUN_DIR or --etl DIR");
    RecdataException.checkInput(splits != null && !splits.isBlank(), "no split folder: give --input RUN_DIR or --splits DIR");
    RecdataException.checkInput(out != null && !out.isBlank(), "--out is required: the folder that gets export/");
  }

  /** {@code RUN_DIR/{etl,splits,als}} unless given one by one (those win). */
  public static ExportPaths of(String runDir, String etl, String splits, String als, String out) {
    return new ExportPaths(
        etl != null ? etl : runDir == null ? null : new Path(runDir, "etl").toString(),
        splits != null ? splits : runDir == null ? null : new Path(runDir, "splits").toString(),
        als != null ? als : runDir == null ? null : new Path(runDir, "als").toString(),
        out);
  }

  /** {@code OUT/export}, the folder committed atomically. */
  public String exportDir() {
    return new Path(out, STAGE).toString();
  }
}
