package dev.recdata.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.recdata.als.Grid;
import dev.recdata.common.Json;
import java.io.IOException;
import java.util.Comparator;
import java.util.Set;

/**
 * A stage's options record as pipeline.json keeps it: every component under its Java name, as
 * {@link Json#MAPPER} writes it, so one diff of two files compares what the stages really ran with.
 * Credentials never get in: a {@code JdbcTarget} writes itself as its redacted URL. Sets are
 * written sorted (a {@code Set.copyOf} iterates in an order that changes from one JVM to the next,
 * which a diff would report as a change) and an ALS grid as it is typed ({@code rank=16,32}).
 */
final class OptionsJson {
  private OptionsJson() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final ObjectMapper MAPPER =
      Json.MAPPER
          .copy()
          .registerModule(
              new SimpleModule("recdata-options")
                  .addSerializer(Grid.class, ToStringSerializer.instance)
                  .addSerializer((Class) Set.class, new SortedSetSerializer()));

  static ObjectNode of(Object options) {
    return MAPPER.valueToTree(options);
  }

  private static final class SortedSetSerializer extends StdSerializer<Set<?>> {
    @SuppressWarnings({"rawtypes", "unchecked"})
    SortedSetSerializer() {
      super((Class) Set.class);
    }

    @Override
    public void serialize(Set<?> set, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray();
      for (Object value : set.stream().sorted(Comparator.comparing(String::valueOf)).toList()) {
        provider.defaultSerializeValue(value, gen);
      }
      gen.writeEndArray();
    }
  }
}
