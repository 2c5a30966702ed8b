package dev.recdata.etl.read;

import dev.recdata.common.RecdataException;
import org.apache.spark.sql.SparkSession;

/**
 * The etl stage's input edge: turns a folder or file in any supported layout into the canonical
 * interactions, their rejects, and items and users where the layout has them. Nothing is computed
 * here beyond peeking at headers; the datasets are lazy.
 */
public final class InputReader {
  private InputReader() {}

  /**
   * @param input a folder (detected from the files present) or a file (u.data, ratings.csv,
   *     x.parquet...), local or any Hadoop URI
   * @param format the layout, or AUTO to detect it
   * @param mapping the columns of a generic CSV or Parquet input; ignored for MovieLens layouts;
   *     null means {@link ColumnMapping#defaults()}
   * @throws RecdataException (exit code 2) when the input is missing, empty or of an unknown
   *     layout, a header is wrong, or a mapped column is absent
   */
  public static SourceData read(
      SparkSession spark, String input, InputFormat format, ColumnMapping mapping) {
    InputFiles files =
        InputFiles.resolve(spark.sparkContext().hadoopConfiguration(), input, format);
    ColumnMapping columns = mapping == null ? ColumnMapping.defaults() : mapping;
    return switch (files.format()) {
      case ML_100K -> MovieLensReader.ml100k(spark, files);
      case ML_DAT -> MovieLensReader.dat(spark, files);
      case ML_CSV -> MovieLensReader.csv(spark, files);
      case CSV -> GenericReader.csv(spark, files, columns);
      case PARQUET -> GenericReader.parquet(spark, files, columns);
      case AUTO -> throw new IllegalStateException("InputFiles.resolve never answers AUTO");
    };
  }

  /**
   * The layout {@code input} is in (detected when {@code format} is AUTO), without reading any
   * rows.
   */
  public static InputFormat detect(SparkSession spark, String input, InputFormat format) {
    return InputFiles.resolve(spark.sparkContext().hadoopConfiguration(), input, format).format();
  }
}
