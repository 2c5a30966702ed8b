package dev.recdata.etl.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  @Test
  void survivesAJsonRoundTripToTheMicrosecond() throws Exception {
    Watermark watermark = new Watermark(Instant.parse("2026-11-20T10:00:00.123456Z"), 42);

    String json = Json.MAPPER.writeValueAsString(watermark.toJson());

    assertThat(json).contains("\"created_at\" : \"2026-11-20T10:00:00.123456Z\"", "\"id\" : 42");
    assertThat(Watermark.fromJson(Json.MAPPER.readTree(json))).isEqualTo(watermark);
  }

  @Test
  void absentWatermarkReadsAsNull() {
    assertThat(Watermark.fromJson(null)).isNull();
    assertThat(Watermark.fromJson(NullNode.getInstance())).isNull();
    assertThat(Watermark.fromJson(MissingNode.getInstance())).isNull();
  }

  @Test
  void malformedWatermarkIsBadInput() throws Exception {
    RecdataException noId =
        catchThrowableOfType(
            RecdataException.class,
            () ->
                Watermark.fromJson(
                    Json.MAPPER.readTree("{\"created_at\": \"2026-11-20T10:00:00Z\"}")));
    RecdataException badTime =
        catchThrowableOfType(
            RecdataException.class,
            () ->
                Watermark.fromJson(
                    Json.MAPPER.readTree("{\"created_at\": \"yesterday\", \"id\": 1}")));

    assertThat(noId.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT);
    assertThat(noId.getMessage()).contains("malformed", "\"id\"");
    assertThat(badTime.getMessage()).contains("yesterday", "ISO-8601");
  }

  @Test
  void rendersAsAPostgresRowValue() {
    assertThat(new Watermark(Instant.parse("2026-11-20T10:00:00Z"), 7).sqlRow())
        .isEqualTo("('2026-11-20T10:00:00Z'::timestamptz, 7::bigint)");
  }
}
