package dev.recdata.etl.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MovieLens100kReaderTest {
  private static final SparkSession spark = SharedSpark.session();
  private static SourceData data;

  @BeforeAll
  static void readTheSharedCopy() {
    data = InputReader.read(spark, TestData.ml100k().toString(), InputFormat.AUTO, null);
  }

  @Test
  void readsEveryRatingUserAndItemWithoutRejects() {
    assertThat(data.source()).isEqualTo("ml-100k");
    assertThat(data.interactions().count()).isEqualTo(100_000);
    assertThat(data.rejects().count()).isZero();
    assertThat(data.users().count()).isEqualTo(943);
    assertThat(data.items().count()).isEqualTo(1682);
    assertThat(data.files())
        .map(f -> f.substring(f.lastIndexOf('/') + 1))
        .containsExactly("u.data", "u.item", "u.user");
  }

  @Test
  void interactionsHaveTheCanonicalColumnsAndTypes() {
    // simpleString names every column with its type: user_id:bigint,item_id:bigint,rating:float,...
    assertThat(data.interactions().schema().simpleString())
        .isEqualTo(Schema.INTERACTIONS.simpleString());
    assertThat(data.rejects().schema()).isEqualTo(Schema.REJECTS);
  }

  @Test
  void firstLineOfUDataKeepsItsRatingAndUtcTimestamp() {
    // u.data line 1: 196	242	3	881250949 (1997-12-04T15:55:49Z)
    Row row = data.interactions().filter("user_id = 196 AND item_id = 242").collectAsList().get(0);
    assertThat(row.<Float>getAs(Schema.RATING)).isEqualTo(3.0f);
    assertThat(row.<Timestamp>getAs(Schema.TS).toInstant().toString())
        .isEqualTo("1997-12-04T15:55:49Z");
    assertThat(row.<String>getAs(Schema.EVENT)).isEqualTo(Schema.EVENT_RATING);
    assertThat(row.<String>getAs(Schema.SOURCE)).isEqualTo("ml-100k");
  }

  @Test
  void toyStoryGetsItsThreeGenresFromTheFlagsAndItsYearFromTheTitle() {
    Row toyStory = data.items().filter("item_id = 1").collectAsList().get(0);
    assertThat(toyStory.<String>getAs(Schema.TITLE)).isEqualTo("Toy Story (1995)");
    assertThat(toyStory.getList(toyStory.fieldIndex(Schema.GENRES)))
        .containsExactly("Animation", "Children's", "Comedy");
    assertThat(toyStory.<Integer>getAs(Schema.YEAR)).isEqualTo(1995);
    assertThat(data.items().schema()).isEqualTo(Schema.ITEMS);
  }

  @Test
  void usersCarryAgeGenderOccupationAndZip() {
    Row first = data.users().filter("user_id = 1").collectAsList().get(0);
    assertThat(first.<Integer>getAs(Schema.AGE)).isEqualTo(24);
    assertThat(first.<String>getAs(Schema.GENDER)).isEqualTo("M");
    assertThat(first.<String>getAs(Schema.OCCUPATION)).isEqualTo("technician");
    assertThat(first.<String>getAs(Schema.ZIP)).isEqualTo("85711");
    assertThat(data.users().schema()).isEqualTo(Schema.USERS);
  }

  @Test
  void theRatingsFileGivenDirectlyFindsItsSideFiles() {
    SourceData direct =
        InputReader.read(
            spark, TestData.ml100k().resolve("u.data").toString(), InputFormat.AUTO, null);
    assertThat(direct.source()).isEqualTo("ml-100k");
    assertThat(direct.items()).isNotNull();
    assertThat(direct.users()).isNotNull();
    assertThat(direct.files()).hasSize(3);
  }
}
