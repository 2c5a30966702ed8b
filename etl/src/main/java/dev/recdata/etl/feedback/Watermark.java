package dev.recdata.etl.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The last feedback row an extract read, as the pair (created_at, id) in that order. Timestamps
 * alone are not unique (several rows can share one), ids alone are not ordered by commit time; the
 * pair is a total order, so "rows after the watermark" neither repeats nor skips a row that shares
 * the watermark's timestamp.
 */
public record Watermark(Instant createdAt, long id) {
  static final String CREATED_AT = "created_at";
  static final String ID = "id";

  public Watermark {
    RecdataException.checkInput(createdAt != null, "feedback watermark has no created_at");
  }

  /** {@code {"created_at": "2026-11-23T13:14:13.123456Z", "id": 42}}, for the output manifest. */
  public JsonNode toJson() {
    ObjectNode node = Json.object();
    node.put(CREATED_AT, createdAt.toString());
    node.put(ID, id);
    return node;
  }

  /**
   * The watermark {@link #toJson()} wrote; {@code null} for a missing or null node (first extract).
   */
  public static Watermark fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    JsonNode createdAt = node.get(CREATED_AT);
    JsonNode id = node.get(ID);
    RecdataException.checkInput(
        createdAt != null && createdAt.isTextual() && id != null && id.canConvertToLong(),
        "feedback watermark %s is malformed: expected {\"%s\": \"<ISO-8601 instant>\", \"%s\": <integer>}",
        node,
        CREATED_AT,
        ID);
    try {
      return new Watermark(Instant.parse(createdAt.asText()), id.asLong());
    } catch (DateTimeParseException e) {
      throw RecdataException.badInput(
          "feedback watermark created_at %s is not an ISO-8601 instant such as 2026-11-23T13:14:13Z",
          createdAt.asText());
    }
  }

  /** The watermark as a PostgreSQL row value, comparable with {@code (ts, id)}. */
  String sqlRow() {
    // Instant.toString() is ISO-8601 in UTC with only digits, '-', ':', '.', 'T' and 'Z': safe to
    // inline.
    return "('" + createdAt + "'::timestamptz, " + id + "::bigint)";
  }

  @Override
  public String toString() {
    return "(" + createdAt + ", " + id + ")";
  }
}
