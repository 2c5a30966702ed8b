package dev.recdata.etl.read;

import dev.recdata.common.cli.CliValues;
import picocli.CommandLine.Option;

/**
 * How etl reads interaction files: the layout, the column mapping of generic CSV/Parquet and how
 * many malformed rows are tolerated. One mixin for {@code recdata etl}, the pipeline and the
 * one-off {@code recdata split} of raw files, so a file that etl reads is read the same way
 * everywhere.
 */
public final class FileReadCliOptions {
  @Option(
      names = "--format",
      defaultValue = "auto",
      description =
          "Input layout: auto (detect), ml-100k, ml-dat (1M/10M), ml-csv (20M/25M/32M/latest), csv, parquet.")
  String format;

  @Option(
      names = "--user-col",
      defaultValue = "user_id",
      description = "csv/parquet: user id column (default: ${DEFAULT-VALUE}).")
  String userCol;

  @Option(
      names = "--item-col",
      defaultValue = "item_id",
      description = "csv/parquet: item id column (default: ${DEFAULT-VALUE}).")
  String itemCol;

  @Option(
      names = "--rating-col",
      defaultValue = "rating",
      description =
          "csv/parquet: rating column; empty for implicit feedback (default: ${DEFAULT-VALUE}).")
  String ratingCol;

  @Option(
      names = "--ts-col",
      defaultValue = "ts",
      description = "csv/parquet: timestamp column (default: ${DEFAULT-VALUE}).")
  String tsCol;

  @Option(
      names = "--ts-unit",
      defaultValue = "auto",
      description =
          "csv/parquet: timestamp encoding: auto, seconds, millis, iso (default: ${DEFAULT-VALUE}).")
  String tsUnit;

  @Option(
      names = "--delimiter",
      defaultValue = ",",
      description = "csv: field delimiter (default: '${DEFAULT-VALUE}').")
  String delimiter;

  @Option(
      names = "--no-header",
      description = "csv: the files have no header line (columns are _c0, _c1, ...).")
  boolean noHeader;

  @Option(
      names = "--max-reject-ratio",
      defaultValue = "0.01",
      description =
          "Fail when more than this share of rows is rejected (default: ${DEFAULT-VALUE}).")
  double maxRejectRatio;

  public FileReadOptions options() {
    return new FileReadOptions(
        CliValues.enumValue("--format", format, InputFormat.class),
        new ColumnMapping(
            userCol,
            itemCol,
            ratingCol,
            tsCol,
            CliValues.enumValue("--ts-unit", tsUnit, TimestampUnit.class),
            delimiter,
            !noHeader),
        maxRejectRatio);
  }
}
