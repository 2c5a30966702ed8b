package dev.recdata.etl.read;

import static dev.recdata.etl.read.Fixtures.interactions;
import static dev.recdata.etl.read.Fixtures.rejects;
import static dev.recdata.etl.read.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny MovieLens 100K, 1M, 10M and 25M-style folders with bad rows planted among good ones. */
class MovieLensFixturesTest {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path dir;

  @Test
  void plantedBadLinesInUDataLandInRejectsWithTheirLineNumbers() {
    write(
        dir,
        "u.data",
        "196\t242\t3\t881250949",
        "186\t302\t3", // 2: field count
        "22\t377\t1\t878887116",
        "x1\t51\t2\t880606923", // 4: non-numeric id
        "\t346\t1\t886397596", // 5: empty id
        "298\t474\t7\t884182806", // 6: rating out of range
        "115\t265\t2\tlater", // 7: bad timestamp
        "",
        "253\t465\t5\t891628467");
    SourceData data = InputReader.read(spark, dir.toString(), InputFormat.AUTO, null);

    assertThat(rejects(data))
        .containsExactly(
            "2: expected 4 tab-separated fields, found 3",
            "4: user id 'x1' is not a whole number",
            "5: user id is empty",
            "6: rating '7' is outside 1..5",
            "7: timestamp 'later' is not epoch seconds");
    assertThat(interactions(data))
        .containsExactly(
            "22 377 1.0 878887116 rating",
            "196 242 3.0 881250949 rating",
            "253 465 5.0 891628467 rating");
    Row reject = data.rejects().filter("line = 2").collectAsList().get(0);
    assertThat(reject.<String>getAs(Schema.REJECT_RAW)).isEqualTo("186\t302\t3");
    assertThat(reject.<String>getAs(Schema.REJECT_FILE)).endsWith("/u.data");
    assertThat(reject.<String>getAs(Schema.SOURCE)).isEqualTo("ml-100k");
    assertThat(data.items()).isNull();
    assertThat(data.users()).isNull();
  }

  @Test
  void oneMillionReadsLatin1TitlesUsersAndRejectsHalfStars() {
    write(
        dir,
        "ratings.dat",
        "1::10::5::978300760",
        "2::10::3::978302109",
        "2::20::4.5::978301968", // 3: 1M has whole stars only
        "3::10::4", // 4
        "x::10::4::978300760", // 5
        "::10::4::978300760", // 6
        "3::11::6::978300760", // 7
        "3::12::4::yesterday", // 8
        "3::20::2::978300761");
    write(
        dir,
        "movies.dat",
        StandardCharsets.ISO_8859_1,
        "10::Café au lait (1993)::Comedy|Drama",
        "20::Toy Story (1995)::Animation|Children's|Comedy");
    write(dir, "users.dat", "1::F::1::10::48067", "2::M::56::16::70072", "3::M::25::15::55117");
    SourceData data = InputReader.read(spark, dir.toString(), InputFormat.AUTO, null);

    assertThat(data.source()).isEqualTo("ml-1m");
    assertThat(interactions(data))
        .containsExactly(
            "1 10 5.0 978300760 rating", "2 10 3.0 978302109 rating", "3 20 2.0 978300761 rating");
    assertThat(rejects(data))
        .containsExactly(
            "3: rating '4.5' is not a multiple of 1 in 1..5",
            "4: expected 4 '::'-separated fields, found 3",
            "5: user id 'x' is not a whole number",
            "6: user id is empty",
            "7: rating '6' is outside 1..5",
            "8: timestamp 'yesterday' is not epoch seconds");
    Row cafe = data.items().filter("item_id = 10").collectAsList().get(0);
    assertThat(cafe.<String>getAs(Schema.TITLE)).isEqualTo("Café au lait (1993)");
    assertThat(cafe.getList(cafe.fieldIndex(Schema.GENRES))).containsExactly("Comedy", "Drama");
    assertThat(cafe.<Integer>getAs(Schema.YEAR)).isEqualTo(1993);
    Row user = data.users().filter("user_id = 1").collectAsList().get(0);
    assertThat(
            List.of(
                user.getAs(Schema.AGE),
                user.getAs(Schema.GENDER),
                user.getAs(Schema.OCCUPATION),
                user.getAs(Schema.ZIP)))
        .containsExactly(1, "F", "K-12 student", "48067");
    assertThat(data.files()).hasSize(3);
  }

  @Test
  void tenMillionAcceptsHalfStarsAndUtf8TitlesWithoutUsers() {
    write(
        dir,
        "ratings.dat",
        "1::122::0.5::838985046",
        "1::185::4.5::838983525",
        "1::231::5.5::838983392", // 3
        "1::292::3.3::838983421", // 4
        "2::122::5.0::868245777");
    write(
        dir,
        "movies.dat",
        "122::Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)::Comedy|Romance");
    SourceData data =
        InputReader.read(spark, dir.resolve("ratings.dat").toString(), InputFormat.AUTO, null);

    assertThat(data.source()).isEqualTo("ml-10m");
    assertThat(interactions(data))
        .containsExactly(
            "1 122 0.5 838985046 rating",
            "1 185 4.5 838983525 rating",
            "2 122 5.0 868245777 rating");
    assertThat(rejects(data))
        .containsExactly(
            "3: rating '5.5' is outside 0.5..5",
            "4: rating '3.3' is not a multiple of 0.5 in 0.5..5");
    assertThat(data.items().first().<String>getAs(Schema.TITLE))
        .isEqualTo("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
    assertThat(data.users()).isNull();
  }

  @Test
  void csvLayoutSkipsTheHeaderAndCountsItInLineNumbers() {
    write(
        dir,
        "ratings.csv",
        "userId,movieId,rating,timestamp",
        "1,296,5.0,1147880044",
        "1,306,3.5,1147868817",
        "1,307,,1147868828", // 4
        "abc,1,4.0,1147868828", // 5
        "1,2,4.0", // 6
        "2,,4.0,1147868828", // 7
        "2,3,0,1147868828", // 8
        "2,4,4.0,-5", // 9
        "3,1,0.5,1147868828");
    write(
        dir,
        "movies.csv",
        "movieId,title,genres",
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
        "11,\"American President, The (1995)\",Comedy|Drama|Romance",
        "185135,Sherlock - The Abominable Bride (2016),(no genres listed)",
        "99,\"A \"\"quoted\"\" title\",Drama",
        "oops,Broken,Drama"); // 6
    SourceData data = InputReader.read(spark, dir.toString(), InputFormat.AUTO, null);

    assertThat(data.source()).isEqualTo("ml-csv");
    assertThat(interactions(data))
        .containsExactly(
            "1 296 5.0 1147880044 rating",
            "1 306 3.5 1147868817 rating",
            "3 1 0.5 1147868828 rating");
    assertThat(rejects(data))
        .containsExactly(
            "6: item id 'oops' is not a whole number", // movies.csv sorts before ratings.csv
            "4: rating is empty",
            "5: user id 'abc' is not a whole number",
            "6: expected 4 comma-separated fields, found 3",
            "7: item id is empty",
            "8: rating '0' is outside 0.5..5",
            "9: timestamp '-5' is not epoch seconds");
    List<Row> items = data.items().orderBy(Schema.ITEM_ID).collectAsList();
    assertThat(items)
        .extracting(r -> r.<String>getAs(Schema.TITLE))
        .containsExactly(
            "Toy Story (1995)",
            "American President, The (1995)",
            "A \"quoted\" title",
            "Sherlock - The Abominable Bride (2016)");
    assertThat(items.get(1).getList(items.get(1).fieldIndex(Schema.GENRES)))
        .containsExactly("Comedy", "Drama", "Romance");
    assertThat(items.get(3).getList(items.get(3).fieldIndex(Schema.GENRES))).isEmpty();
    assertThat(items)
        .extracting(r -> r.<Integer>getAs(Schema.YEAR))
        .containsExactly(1995, 1995, null, 2016);
  }
}
