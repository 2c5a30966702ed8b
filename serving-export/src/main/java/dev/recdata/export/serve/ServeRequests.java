package dev.recdata.export.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The request bodies serve accepts, parsed and checked before anything is looked up or written. A
 * request that does not fit is a {@link BadRequest} with a one-line reason that names the field and
 * what was expected.
 */
public final class ServeRequests {
  private ServeRequests() {}

  /**
   * Strict: trailing tokens after the object and duplicate keys are malformed bodies, not ignored.
   */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Items in one feedback row at most: the liked one plus the others shown. */
  public static final int MAX_FEEDBACK_ITEMS = 100;

  /** Users in one {@code /recommend} call at most. */
  public static final int MAX_USERS = 1000;

  /** A request the client must fix: HTTP 400 with this message. */
  public static final class BadRequest extends RuntimeException {
    public BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /** {@code {"user_id": 22434, "like_item": 28783, "other_items": [14546, ...]}}. */
  public record Feedback(long userId, long likeItem, long[] otherItems) {}

  public static long[] recommendUsers(byte[] body) {
    JsonNode root = object(body);
    long[] users = ids(root, "user_ids");
    check(users.length >= 1, "user_ids is empty: expected at least one user id");
    check(
        users.length <= MAX_USERS,
        "user_ids has %d ids: at most %d per request",
        users.length,
        MAX_USERS);
    return users;
  }

  public static Feedback feedback(byte[] body) {
    JsonNode root = object(body);
    long user = id(root, "user_id");
    long like = id(root, "like_item");
    long[] others = root.has("other_items") ? ids(root, "other_items") : new long[0];
    check(
        others.length + 1 <= MAX_FEEDBACK_ITEMS,
        "feedback lists %d items (like_item and %d other_items): at most %d",
        others.length + 1,
        others.length,
        MAX_FEEDBACK_ITEMS);
    Set<Long> seen = new HashSet<>();
    for (long other : others) {
      check(
          other != like,
          "like_item %d is also listed in other_items: the liked item is not a passed-over one",
          like);
      check(seen.add(other), "other_items lists item %d twice", other);
    }
    return new Feedback(user, like, others);
  }

  /** {@code ?item_id=} of {@code /similar}. */
  public static long itemId(String value) {
    check(value != null && !value.isBlank(), "item_id is missing: expected /similar?item_id=N");
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new BadRequest("item_id '" + value + "' is not a whole number");
    }
  }

  private static JsonNode object(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("body cannot be read: " + e.getMessage());
    }
    check(root != null && root.isObject(), "body is not a JSON object");
    return root;
  }

  private static long id(JsonNode root, String field) {
    JsonNode value = root.get(field);
    check(value != null && !value.isNull(), "%s is missing: expected a whole number", field);
    check(
        value.isIntegralNumber() && value.canConvertToLong(),
        "%s %s is not a whole number",
        field,
        value);
    return value.longValue();
  }

  private static long[] ids(JsonNode root, String field) {
    JsonNode value = root.get(field);
    check(
        value != null && !value.isNull(),
        "%s is missing: expected an array of whole numbers",
        field);
    check(value.isArray(), "%s is not an array: expected an array of whole numbers", field);
    long[] ids = new long[value.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode id = value.get(i);
      check(
          id.isIntegralNumber() && id.canConvertToLong(),
          "%s[%d] %s is not a whole number",
          field,
          i,
          id);
      ids[i] = id.longValue();
    }
    return ids;
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new BadRequest(String.format(format, args));
    }
  }
}
