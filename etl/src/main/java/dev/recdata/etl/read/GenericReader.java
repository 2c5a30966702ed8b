package dev.recdata.etl.read;

import static dev.recdata.common.RecdataException.badInput;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import dev.recdata.etl.RejectReason;
import dev.recdata.etl.RejectReason.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/** Reads generic interaction files, CSV or Parquet, through a {@link ColumnMapping}. */
final class GenericReader {
  private GenericReader() {}

  static final String SOURCE_CSV = "csv";
  static final String SOURCE_PARQUET = "parquet";

  // Derived columns sit beside the original ones (which may be called user_id too) until the final
  // select.
  private static final String USER = "__user_id";
  private static final String ITEM = "__item_id";
  private static final String RATING = "__rating";
  private static final String TS = "__ts";
  private static final String REASON = "__reason";
  private static final String REASON_CODE = "__reason_code";
  private static final String FILE = "__file";

  /**
   * CSV goes through the same line engine as MovieLens (so rejects carry line numbers); headers are
   * checked on the driver first, so a wrong column name fails before any job runs.
   */
  static SourceData csv(SparkSession spark, InputFiles in, ColumnMapping mapping) {
    String delimiter = mapping.delimiter();
    List<String> columns = null;
    Path columnsFile = null;
    boolean anyRows = false;
    for (Path file : in.dataFiles()) {
      List<String> lines = TextPeek.firstLines(in.fs(), in.conf(), file, StandardCharsets.UTF_8, 2);
      if (lines.isEmpty()) {
        continue;
      }
      List<String> first = CsvLine.split(lines.get(0), delimiter);
      if (first == null) {
        throw badInput("the first line of %s has a quoted field that is not closed", file);
      }
      List<String> fileColumns =
          mapping.header() ? first.stream().map(String::trim).toList() : positional(first.size());
      if (columns == null) {
        columns = fileColumns;
        columnsFile = file;
      } else if (mapping.header() && !columns.equals(fileColumns)) {
        throw badInput(
            "%s has the header '%s' but %s has '%s': all files must share one header",
            file,
            String.join(delimiter, fileColumns),
            columnsFile,
            String.join(delimiter, columns));
      }
      anyRows |= !mapping.header() || lines.size() > 1;
    }
    if (!anyRows) {
      throw badInput(
          "empty input: %s has no rows%s",
          in.dataFiles().size() == 1 ? in.dataFiles().get(0) : in.folder(),
          mapping.header() ? " after the header" : "");
    }
    String where = columnsFile.toString();
    int user = index(columns, mapping.userCol(), "user", where, mapping.header());
    int item = index(columns, mapping.itemCol(), "item", where, mapping.header());
    int rating =
        mapping.explicit()
            ? index(columns, mapping.ratingCol(), "rating", where, mapping.header())
            : -1;
    int ts = index(columns, mapping.tsCol(), "timestamp", where, mapping.header());
    GenericCsvParser parser =
        new GenericCsvParser(delimiter, columns.size(), user, item, rating, ts, mapping.tsUnit());
    TextLines.Parsed parsed =
        TextLines.parse(
            spark,
            SOURCE_CSV,
            in.dataFileNames(),
            StandardCharsets.UTF_8,
            mapping.header(),
            parser,
            RatingLineParser.SCHEMA);
    return new SourceData(
        SOURCE_CSV,
        Interactions.fromParsed(parsed.rows(), SOURCE_CSV, mapping.explicit()),
        RejectLines.withLineNumbers(spark, parsed.rejects()),
        null,
        null,
        in.dataFileNames());
  }

  /**
   * Parquet is typed already: ids and ratings are cast, timestamps converted by type, all as
   * columns.
   */
  static SourceData parquet(SparkSession spark, InputFiles in, ColumnMapping mapping) {
    Dataset<Row> df = spark.read().parquet(in.dataFileNames().toArray(String[]::new));
    String where =
        in.dataFiles().size() == 1 ? in.dataFiles().get(0).toString() : in.folder().toString();
    List<String> columns = Arrays.asList(df.columns());
    index(columns, mapping.userCol(), "user", where, true);
    index(columns, mapping.itemCol(), "item", where, true);
    if (mapping.explicit()) {
      index(columns, mapping.ratingCol(), "rating", where, true);
    }
    index(columns, mapping.tsCol(), "timestamp", where, true);
    if (df.isEmpty()) {
      throw badInput("empty input: %s has no rows", where);
    }
    // No cache: both outputs are one Parquet scan each, and only rejects pay for the JSON of the
    // row.
    Dataset<Row> checked = checkParquet(df, mapping, where);
    Column[] original =
        Arrays.stream(df.columns()).map(GenericReader::column).toArray(Column[]::new);
    Dataset<Row> interactions =
        checked
            .filter(col(REASON).isNull())
            .select(
                col(USER).as(Schema.USER_ID),
                col(ITEM).as(Schema.ITEM_ID),
                col(RATING).as(Schema.RATING),
                col(TS).as(Schema.TS),
                lit(mapping.explicit() ? Schema.EVENT_RATING : Schema.EVENT_LIKE).as(Schema.EVENT),
                lit(SOURCE_PARQUET).as(Schema.SOURCE));
    Dataset<Row> rejects =
        checked
            .filter(col(REASON).isNotNull())
            .select(
                lit(SOURCE_PARQUET).as(Schema.SOURCE),
                col(FILE).as(Schema.REJECT_FILE),
                lit(null).cast(DataTypes.LongType).as(Schema.REJECT_LINE),
                to_json(struct(original)).as(Schema.REJECT_RAW),
                col(REASON).as(Schema.REJECT_REASON),
                col(REASON_CODE).as(Schema.REJECT_REASON_CODE));
    return new SourceData(SOURCE_PARQUET, interactions, rejects, null, null, in.dataFileNames());
  }

  /**
   * Adds the parsed user, item, rating, ts, a nullable reject reason and the file to a Parquet
   * frame, with column expressions only.
   */
  static Dataset<Row> checkParquet(Dataset<Row> df, ColumnMapping mapping, String where) {
    Column userRaw = column(mapping.userCol());
    Column itemRaw = column(mapping.itemCol());
    Column tsRaw = column(mapping.tsCol());
    Column user = wholeNumber(userRaw, type(df, mapping.userCol()));
    Column item = wholeNumber(itemRaw, type(df, mapping.itemCol()));
    Column ratingRaw = mapping.explicit() ? column(mapping.ratingCol()) : lit(null);
    Column rating =
        mapping.explicit()
            ? ratingRaw.try_cast(DataTypes.FloatType)
            : lit(null).cast(DataTypes.FloatType);
    Column ts =
        timestamp(tsRaw, type(df, mapping.tsCol()), mapping.tsUnit(), mapping.tsCol(), where);

    List<Check> checks = new ArrayList<>();
    checks.add(new Check(userRaw.isNull(), RejectReason.EMPTY_USER_ID));
    checks.add(new Check(user.isNull(), RejectReason.BAD_USER_ID, userRaw));
    checks.add(new Check(itemRaw.isNull(), RejectReason.EMPTY_ITEM_ID));
    checks.add(new Check(item.isNull(), RejectReason.BAD_ITEM_ID, itemRaw));
    if (mapping.explicit()) {
      checks.add(new Check(ratingRaw.isNull(), RejectReason.EMPTY_RATING));
      checks.add(new Check(rating.isNull().or(isnan(rating)), RejectReason.BAD_RATING, ratingRaw));
    }
    checks.add(new Check(tsRaw.isNull(), RejectReason.EMPTY_TIMESTAMP));
    checks.add(
        new Check(
            ts.isNull(),
            RejectReason.BAD_TIMESTAMP,
            tsRaw,
            lit(Timestamps.expected(mapping.tsUnit()))));
    Column reason = RejectReason.firstMessage(checks);
    Column code = RejectReason.firstCode(checks);

    return df.select(
        col("*"),
        user.as(USER),
        item.as(ITEM),
        rating.as(RATING),
        ts.as(TS),
        reason.as(REASON),
        code.as(REASON_CODE),
        col("_metadata.file_path").as(FILE));
  }

  /**
   * Integral types cast as is; strings parsed; fractional numbers only when whole. Null when not a
   * whole number.
   */
  private static Column wholeNumber(Column raw, DataType type) {
    if (isIntegral(type)) {
      return raw.cast(DataTypes.LongType);
    }
    if (type instanceof StringType) {
      return trim(raw).try_cast(DataTypes.LongType);
    }
    return when(raw.equalTo(floor(raw)), raw.try_cast(DataTypes.LongType));
  }

  private static Column timestamp(
      Column raw, DataType type, TimestampUnit unit, String name, String where) {
    if (type instanceof TimestampType) {
      return raw;
    }
    if (type instanceof TimestampNTZType || type instanceof DateType) {
      return raw.cast(DataTypes.TimestampType);
    }
    boolean numeric =
        isIntegral(type)
            || type instanceof DecimalType
            || type.equals(DataTypes.DoubleType)
            || type.equals(DataTypes.FloatType);
    if (numeric) {
      if (unit == TimestampUnit.ISO) {
        throw badInput(
            "timestamp column '%s' in %s holds %s numbers; ISO-8601 needs strings (use seconds,"
                + " millis or auto)",
            name, where, type.simpleString());
      }
      // try_cast: a NaN or 1e30 in a double column is a reject, not an overflow error under ANSI
      // mode.
      return epoch(when(raw.equalTo(floor(raw)), raw.try_cast(DataTypes.LongType)), unit);
    }
    if (type instanceof StringType) {
      Column text = trim(raw);
      Column number = text.try_cast(DataTypes.LongType);
      return switch (unit) {
        case ISO -> try_to_timestamp(text);
        case SECONDS, MILLIS -> epoch(number, unit);
        case AUTO ->
            when(number.isNotNull(), epoch(number, unit)).otherwise(try_to_timestamp(text));
      };
    }
    throw badInput(
        "timestamp column '%s' in %s has type %s; expected a timestamp, a date, a number or a"
            + " string",
        name, where, type.simpleString());
  }

  /**
   * Epoch numbers to timestamps, guarded to years 1..9999 so a garbled value is a reject, not an
   * error.
   */
  private static Column epoch(Column number, TimestampUnit unit) {
    long max = RatingLineParser.MAX_EPOCH_SECONDS;
    // between, not abs(): abs(Long.MIN_VALUE) overflows, which ANSI mode turns into a failed job.
    Column seconds = when(number.between(-max, max), timestamp_seconds(number));
    Column millis = when(number.between(-max * 1000, max * 1000), timestamp_millis(number));
    long threshold = Timestamps.AUTO_MILLIS_THRESHOLD;
    return switch (unit) {
      case SECONDS -> seconds;
      case MILLIS -> millis;
      default -> when(number.between(-threshold + 1, threshold - 1), seconds).otherwise(millis);
    };
  }

  private static boolean isIntegral(DataType type) {
    return type.equals(DataTypes.LongType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  private static DataType type(Dataset<Row> df, String name) {
    return df.schema().apply(name).dataType();
  }

  /** A column by its exact name, even when the name holds dots or spaces. */
  private static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  private static List<String> positional(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("_c" + i);
    }
    return names;
  }

  /** The position of a mapped column, or a bad-input error naming it and the columns present. */
  static int index(List<String> columns, String name, String role, String where, boolean header) {
    int found = columns.indexOf(name);
    if (found < 0 && !header) {
      String digits = name.startsWith("_c") ? name.substring(2) : name;
      if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 9) {
        int position = Integer.parseInt(digits);
        found = position < columns.size() ? position : -1;
      }
    }
    if (found < 0) {
      throw badInput(
          "%s column '%s' not found in %s; columns present: %s",
          role, name, where, String.join(", ", columns));
    }
    return found;
  }
}
