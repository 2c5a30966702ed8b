package dev.recdata.etl.read;

import static dev.recdata.etl.read.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-input problems fail fast, before any Spark job, with exit code 2 and the file in the
 * message.
 */
class InputDetectionTest {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path dir;

  private static AbstractThrowableAssert<?, ? extends Throwable> reading(
      String input, InputFormat format) {
    return assertThatThrownBy(() -> InputReader.read(spark, input, format, null))
        .isInstanceOfSatisfying(
            RecdataException.class,
            e -> assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT));
  }

  @Test
  void aMissingPathIsNamed() {
    String missing = dir.resolve("nope").toString();
    reading(missing, InputFormat.AUTO).hasMessage("no such input: " + missing);
  }

  @Test
  void aFolderWithoutARatingsFileListsTheExpectedNames() {
    write(dir, "README.txt", "hello");
    reading(dir.toString(), InputFormat.AUTO)
        .hasMessageStartingWith(
            "no ratings file in " + dir + ": expected u.data, ratings.dat or ratings.csv");
  }

  @Test
  void aFileOfUnknownKindIsNamed() {
    Path file = write(dir, "ratings.json", "{}");
    reading(file.toString(), InputFormat.AUTO)
        .hasMessageContaining("cannot tell the layout of " + file);
  }

  @Test
  void aForcedLayoutWhoseRatingsFileIsMissingSaysWhichFile() {
    write(dir, "u.data", "1\t2\t3\t4");
    reading(dir.toString(), InputFormat.ML_DAT)
        .hasMessage("no ratings.dat in " + dir + ": format ml_dat needs it");
  }

  @Test
  void anEmptyRatingsFileIsBadInput() {
    Path file = write(dir, "u.data");
    reading(dir.toString(), InputFormat.AUTO)
        .hasMessageContaining("empty input")
        .hasMessageContaining(file.toString());
  }

  @Test
  void aRatingsCsvWithOnlyAHeaderIsEmpty() {
    write(dir, "ratings.csv", "userId,movieId,rating,timestamp");
    reading(dir.toString(), InputFormat.AUTO)
        .hasMessageContaining("empty input")
        .hasMessageContaining("ratings.csv");
  }

  @Test
  void aWrongRatingsCsvHeaderShowsFoundAndExpected() {
    Path file = write(dir, "ratings.csv", "user,movie,rating,time", "1,2,3,4");
    reading(dir.toString(), InputFormat.AUTO)
        .hasMessage(
            "unexpected header in file:"
                + file
                + ": found 'user,movie,rating,time', expected 'userId,movieId,rating,timestamp'");
  }

  @Test
  void aForcedLayoutReadsAFileWhateverItsName() {
    Path file = write(dir, "my-ratings.tsv", "1\t2\t3\t881250949");
    SourceData data = InputReader.read(spark, file.toString(), InputFormat.ML_100K, null);
    assertThat(data.source()).isEqualTo("ml-100k");
    assertThat(data.interactions().count()).isEqualTo(1);
  }

  @Test
  void columnMappingRejectsEmptyNamesAndDelimiters() {
    assertThatThrownBy(() -> new ColumnMapping(" ", "i", null, "t", null, ",", true))
        .isInstanceOf(RecdataException.class)
        .hasMessage("the user column name must not be empty");
    assertThatThrownBy(() -> new ColumnMapping("u", "i", null, "t", null, "", true))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("delimiter must not be empty");
    assertThat(new ColumnMapping("u", "i", "", "t", null, "\\t", false))
        .extracting(ColumnMapping::ratingCol, ColumnMapping::tsUnit, ColumnMapping::delimiter)
        .containsExactly(null, TimestampUnit.AUTO, "\t");
  }
}
