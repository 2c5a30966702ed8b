package dev.recdata.etl.feedback;

import dev.recdata.common.HadoopPaths;
import dev.recdata.common.JdbcTarget;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlOutput;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Carries the feedback history from run to run: only rows newer than the previous run's watermark
 * are read from the table; older events come from the history the previous etl output holds, so
 * nothing is read twice and the window sees the whole history. The new history is written once and
 * read back, so cleaning reads files.
 */
public final class FeedbackHistory {
  private FeedbackHistory() {}

  /**
   * What one run added to the history, for cleaning ({@code history}, {@code rejects}) and the
   * manifest.
   *
   * @param history every event in the new history, read back from where it was written
   * @param continuedFrom the previous output whose history this one extends, or null
   * @param historyEvents rows in {@code history}
   */
  public record Extended(
      Dataset<Row> history,
      FeedbackExtract extract,
      String source,
      String continuedFrom,
      String table,
      long historyEvents) {

    public Dataset<Row> rejects() {
      return extract.rejects();
    }

    public long tableRowsRead() {
      return extract.tableRowsRead();
    }

    public Watermark previousWatermark() {
      return extract.previous();
    }

    public Watermark watermark() {
      return extract.next();
    }
  }

  /** {@code REDACTED_URL#TABLE}: which table the history comes from, as the manifest records it. */
  static String source(FeedbackOptions options) {
    return options.target().redactedUrl() + "#" + options.table();
  }

  /**
   * Whether an earlier run's recorded source names the same table as {@code source}. A source
   * recorded before the redaction also masked {@code user=} in the URL still matches once masked
   * the same way, so such a history is continued rather than read again from the table.
   */
  static boolean sameSource(String source, String recorded) {
    if (recorded == null) {
      return false;
    }
    int table = recorded.lastIndexOf('#');
    String masked =
        table < 0
            ? JdbcTarget.redact(recorded)
            : JdbcTarget.redact(recorded.substring(0, table)) + recorded.substring(table);
    return source.equals(recorded) || source.equals(masked);
  }

  /**
   * Extracts the rows newer than {@code previous}'s watermark (all of them when {@code previous} is
   * null or came from another table) and writes the previous history plus them to {@code
   * historyOut}.
   *
   * @param previousDir the folder {@code previous} was read from, recorded as {@code
   *     continued_from}
   */
  public static Extended extend(
      SparkSession spark,
      FeedbackOptions options,
      EtlOutput previous,
      String previousDir,
      String historyOut) {
    String source = source(options);
    Watermark previousWatermark = null;
    String previousHistory = null;
    if (previous != null && sameSource(source, previous.feedbackSource())) {
      previousWatermark = previous.feedbackWatermark();
      previousHistory = previous.feedbackHistory();
      if (!HadoopPaths.exists(spark.sparkContext().hadoopConfiguration(), previousHistory)) {
        previousHistory = null;
      }
    }
    FeedbackExtract extract = FeedbackExtractor.extract(spark, options, previousWatermark);
    String[] columns = Schema.INTERACTIONS.fieldNames();
    Dataset<Row> history =
        extract.interactions().select(columns[0], Arrays.copyOfRange(columns, 1, columns.length));
    if (previousHistory != null) {
      history =
          spark.read().schema(Schema.INTERACTIONS).parquet(previousHistory).unionByName(history);
    }
    history.write().mode(SaveMode.ErrorIfExists).parquet(historyOut);
    Dataset<Row> stored = spark.read().parquet(historyOut);
    return new Extended(
        stored,
        extract,
        source,
        previousHistory == null ? null : previousDir,
        options.table(),
        stored.count());
  }
}
