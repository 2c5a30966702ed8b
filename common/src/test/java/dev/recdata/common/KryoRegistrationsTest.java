package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;

/** What recdata ships through Spark's Kryo (broadcasts, task results) comes back equal. */
class KryoRegistrationsTest {
  /** A settings record as the stages have: final fields, an immutable list and map. */
  record Settings(String name, List<String> columns, Map<String, Long> limits, long[] values)
      implements java.io.Serializable {}

  private static Object roundTrip(Object value) {
    SparkConf conf =
        new SparkConf()
            .set("spark.serializer", SparkSessions.KRYO)
            .set("spark.kryo.registrator", KryoRegistrations.class.getName());
    SerializerInstance kryo = new KryoSerializer(conf).newInstance();
    ClassTag<Object> any = scala.reflect.ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = kryo.serialize(value, any);
    return kryo.deserialize(bytes, any);
  }

  @Test
  void jdkImmutableCollectionsAndRecordsHoldingThemRoundTrip() {
    for (Object value :
        List.of(
            List.of(),
            List.of("a"),
            List.of("a", "b", "c"),
            Set.of(1, 2, 3),
            Map.of("k", 1L),
            java.util.Arrays.asList(1, 2),
            java.util.Collections.unmodifiableMap(new TreeMap<>(Map.of("x", 2))))) {
      assertThat(roundTrip(value)).as("%s", value.getClass()).isEqualTo(value);
    }
    Settings settings =
        new Settings("s", List.of("user_id", "item_id"), Map.of("rows", 5L), new long[] {1, 2});
    Settings back = (Settings) roundTrip(settings);
    assertThat(back.name()).isEqualTo("s");
    assertThat(back.columns()).containsExactly("user_id", "item_id");
    assertThat(back.limits()).containsExactlyEntriesOf(Map.of("rows", 5L));
    assertThat(back.values()).containsExactly(1, 2);
  }

  @Test
  void withoutTheRegistrationsKryoCannotRebuildAnImmutableList() {
    SerializerInstance plain =
        new KryoSerializer(new SparkConf().set("spark.serializer", SparkSessions.KRYO))
            .newInstance();
    ClassTag<Object> any = scala.reflect.ClassTag$.MODULE$.AnyRef();
    ByteBuffer bytes = plain.serialize(List.of("a", "b", "c"), any);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.deserialize(bytes, any))
        .isInstanceOf(RuntimeException.class);
  }
}
