package dev.recdata.etl.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.etl.RejectReason.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RatingLineParserTest {
  private final RatingLineParser tabs = new RatingLineParser("\t", RatingScale.WHOLE_STARS);
  private final RatingLineParser colons = new RatingLineParser("::", RatingScale.HALF_STARS);

  private static String parse(RatingLineParser parser, String line, Object[] values) {
    Rejection rejection = rejection(parser, line, values);
    return rejection == null ? null : rejection.message();
  }

  private static Rejection rejection(RatingLineParser parser, String line, Object[] values) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return parser.parse(bytes, bytes.length, values);
  }

  private static String reason(RatingLineParser parser, String line) {
    return parse(parser, line, new Object[4]);
  }

  private static String code(RatingLineParser parser, String line) {
    return rejection(parser, line, new Object[4]).code();
  }

  @Test
  void eachKindOfProblemHasOneCodeWhateverTheValue() {
    assertThat(code(tabs, "196\t1x\t3\t881250949")).isEqualTo("bad_item_id");
    assertThat(code(tabs, "196\tÿþ50\t3\t881250949")).isEqualTo("bad_item_id");
    assertThat(code(tabs, "196\t\t3\t881250949")).isEqualTo("empty_item_id");
    assertThat(code(tabs, "x\t2\t3\t881250949")).isEqualTo("bad_user_id");
    assertThat(code(tabs, "196\t242\t3")).isEqualTo("wrong_field_count");
    assertThat(code(tabs, "196\t242\tgood\t881250949")).isEqualTo("bad_rating");
    assertThat(code(tabs, "196\t242\t6\t881250949")).isEqualTo("rating_out_of_range");
    assertThat(code(tabs, "196\t242\t3.5\t881250949")).isEqualTo("rating_off_step");
    assertThat(code(tabs, "196\t242\t3\tsoon")).isEqualTo("bad_timestamp");
    assertThat(code(tabs, "196\t242\t3\t")).isEqualTo("empty_timestamp");
  }

  @Test
  void validLineYieldsIdsRatingAndMicroseconds() {
    Object[] values = new Object[4];
    assertThat(parse(tabs, "196\t242\t3\t881250949", values)).isNull();
    assertThat(values).containsExactly(196L, 242L, 3.0f, 881_250_949_000_000L);
  }

  @Test
  void halfStarsAndCarriageReturnsAreAccepted() {
    Object[] values = new Object[4];
    assertThat(parse(colons, "1::122::4.5::838985046\r", values)).isNull();
    assertThat(values).containsExactly(1L, 122L, 4.5f, 838_985_046_000_000L);
    assertThat(reason(colons, "1::122::0.5::838985046")).isNull();
    assertThat(reason(colons, "1::122::5.0::838985046")).isNull();
  }

  @Test
  void eachKindOfMalformedLineGetsItsOwnReason() {
    assertThat(reason(tabs, "196\t242\t3")).isEqualTo("expected 4 tab-separated fields, found 3");
    assertThat(reason(tabs, "196\t242\t3\t1\t2"))
        .isEqualTo("expected 4 tab-separated fields, found 5");
    assertThat(reason(tabs, "19x\t242\t3\t881250949"))
        .isEqualTo("user id '19x' is not a whole number");
    assertThat(reason(tabs, "\t242\t3\t881250949")).isEqualTo("user id is empty");
    assertThat(reason(tabs, "196\t-1\t3\t881250949"))
        .isEqualTo("item id '-1' is not a whole number");
    assertThat(reason(tabs, "196\t242\tgood\t881250949"))
        .isEqualTo("rating 'good' is not a number");
    assertThat(reason(tabs, "196\t242\t\t881250949")).isEqualTo("rating is empty");
    assertThat(reason(tabs, "196\t242\t6\t881250949")).isEqualTo("rating '6' is outside 1..5");
    assertThat(reason(tabs, "196\t242\t3.5\t881250949"))
        .isEqualTo("rating '3.5' is not a multiple of 1 in 1..5");
    assertThat(reason(colons, "1::2::0::838985046")).isEqualTo("rating '0' is outside 0.5..5");
    assertThat(reason(colons, "1::2::3.3::838985046"))
        .isEqualTo("rating '3.3' is not a multiple of 0.5 in 0.5..5");
    assertThat(reason(tabs, "196\t242\t3\tsoon"))
        .isEqualTo("timestamp 'soon' is not epoch seconds");
    assertThat(reason(tabs, "196\t242\t3\t")).isEqualTo("timestamp is empty");
    assertThat(reason(tabs, "196\t242\t3\t99999999999999"))
        .isEqualTo("timestamp '99999999999999' is not epoch seconds");
  }

  @Test
  void aSingleColonIsNotADoubleColonSeparator() {
    assertThat(reason(colons, "1:2::3::838985046"))
        .isEqualTo("expected 4 '::'-separated fields, found 3");
  }

  @Test
  void yearComesFromATrailingFourDigitYearInParentheses() {
    assertThat(MovieLensItemParsers.yearOf("Toy Story (1995)")).isEqualTo(1995);
    assertThat(MovieLensItemParsers.yearOf("Babylon 5 (1994) ")).isEqualTo(1994);
    assertThat(MovieLensItemParsers.yearOf("unknown")).isNull();
    assertThat(MovieLensItemParsers.yearOf("Stranger Things (2016-)")).isNull();
  }

  @Test
  void csvFieldsMayBeQuotedAndHoldDelimitersAndQuotes() {
    assertThat(CsvLine.split("11,\"American President, The (1995)\",Comedy", ","))
        .containsExactly("11", "American President, The (1995)", "Comedy");
    assertThat(CsvLine.split("1,\"say \"\"hi\"\"\",", ",")).containsExactly("1", "say \"hi\"", "");
    assertThat(CsvLine.split("1,\"open", ",")).isNull();
  }

  @Test
  void autoTimestampsTellSecondsFromMillisAndIso() {
    assertThat(Timestamps.toMicros("881250949", TimestampUnit.AUTO))
        .isEqualTo(881_250_949_000_000L);
    assertThat(Timestamps.toMicros("881250949123", TimestampUnit.AUTO))
        .isEqualTo(881_250_949_123_000L);
    assertThat(Timestamps.toMicros("1997-12-04T15:55:49Z", TimestampUnit.AUTO))
        .isEqualTo(881_250_949_000_000L);
    assertThat(Timestamps.toMicros("1997-12-04T16:55:49+01:00", TimestampUnit.ISO))
        .isEqualTo(881_250_949_000_000L);
    assertThat(Timestamps.toMicros("1997-12-04 15:55:49", TimestampUnit.ISO))
        .isEqualTo(881_250_949_000_000L);
    assertThat(Timestamps.toMicros("1997-12-04", TimestampUnit.ISO))
        .isEqualTo(881_193_600_000_000L);
    assertThat(Timestamps.toMicros("881250949", TimestampUnit.MILLIS)).isEqualTo(881_250_949_000L);
    assertThat(Timestamps.toMicros("1997-12-04", TimestampUnit.SECONDS)).isNull();
    assertThat(Timestamps.toMicros("yesterday", TimestampUnit.AUTO)).isNull();
  }
}
