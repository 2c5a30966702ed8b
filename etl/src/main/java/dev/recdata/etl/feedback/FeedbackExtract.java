package dev.recdata.etl.feedback;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One incremental read of the feedback table: the event-level interactions ({@code
 * Schema.INTERACTIONS}) and rejects ({@code Schema.REJECTS}) of the table rows in (previous, next],
 * both lazy views of one persisted slice ({@code slice}), so writing both queries the database
 * once; {@link #release()} frees it.
 *
 * @param tableRowsRead feedback table rows in (previous, next] when the extract started (one row
 *     yields one like and zero or more impressions, or one reject)
 * @param previous the watermark this extract started from; {@code null} on the first extract
 * @param next the watermark to store for the next extract; equal to {@code previous} when nothing
 *     was new
 */
public record FeedbackExtract(
    Dataset<Row> interactions,
    Dataset<Row> rejects,
    long tableRowsRead,
    Watermark previous,
    Watermark next,
    Dataset<Row> slice) {

  /** Drops the persisted table slice once interactions and rejects are written. */
  public void release() {
    if (slice != null) {
      slice.unpersist();
    }
  }
}
