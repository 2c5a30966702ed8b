package dev.recdata.common;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo serializers for the JDK collections Kryo cannot rebuild: it makes a collection empty and
 * calls {@code add}, which {@code List.of}, {@code Map.of}, {@code Arrays.asList} and the
 * unmodifiable views refuse. Nor records: Kryo 4 sets fields through {@code Unsafe} offsets, which
 * the JDK refuses for a record's fields. Records and options hold such collections ({@code
 * List.copyOf} in their constructors), and a broadcast or a task result carrying one would fail on
 * the executor or the driver. Java serialization, Spark's default, handles both; what goes this way
 * is small (settings and samplers, not rows: rows travel as Spark's own binary rows).
 */
public final class KryoRegistrations implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    for (Class<?> type : jdkCollectionsKryoCannotRebuild()) {
      kryo.register(type, new JavaSerializer());
    }
  }

  static List<Class<?>> jdkCollectionsKryoCannotRebuild() {
    List<Integer> list = new ArrayList<>(List.of(1, 2, 3));
    Set<Integer> set = new HashSet<>(Set.of(1, 2, 3));
    Map<Integer, Integer> map = new HashMap<>(Map.of(1, 1, 2, 2));
    return Stream.of(
            List.of(),
            List.of(1),
            List.of(1, 2, 3),
            List.of(1, 2, 3).subList(0, 2),
            Set.of(),
            Set.of(1),
            Set.of(1, 2, 3),
            Map.of(),
            Map.of(1, 1),
            Map.of(1, 1, 2, 2),
            Arrays.asList(1, 2),
            Collections.unmodifiableList(list),
            Collections.unmodifiableList(new java.util.LinkedList<>(list)),
            Collections.unmodifiableCollection(list),
            Collections.unmodifiableSet(set),
            Collections.unmodifiableSortedSet(new java.util.TreeSet<>(set)),
            Collections.unmodifiableMap(map),
            Collections.unmodifiableSortedMap(new java.util.TreeMap<>(map)),
            Collections.emptyList(),
            Collections.emptySet(),
            Collections.emptyMap(),
            Collections.singletonList(1),
            Collections.singleton(1),
            Collections.singletonMap(1, 1))
        .<Class<?>>map(Object::getClass)
        .distinct()
        .toList();
  }
}
