package dev.portcullis.rego.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small objects kept in arrays behave as map-backed ones: lookups, equality, hashing, order and the map view. */
class ObjectValueTest {
  private static final StringValue A = StringValue.of("a");
  private static final StringValue B = StringValue.of("b");

  private static ObjectValue mapBacked(Value... kv) {
    Map<Value, Value> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return ObjectValue.wrap(m);
  }

  @Test
  void aSmallObjectEqualsAndHashesAsTheSameEntriesInAMap() {
    ObjectValue small = ObjectValue.wrapDistinct(new Value[] {B, A}, new Value[] {NumberValue.of(2), NumberValue.of(1)});
    ObjectValue map = mapBacked(A, NumberValue.of(1), B, NumberValue.of(2));
    assertEquals(map, small);
    assertEquals(small, map);
    assertEquals(map.hashCode(), small.hashCode());
    assertEquals(List.of(A, B), small.keys());
    assertEquals(map.map(), small.map());
  }

  @Test
  void aLookupFindsAnEqualKeyThatIsNotTheSameInstance() {
    ObjectValue small = ObjectValue.wrapDistinct(new Value[] {A}, new Value[] {BooleanValue.TRUE});
    assertEquals(BooleanValue.TRUE, small.get(new StringValue("a")));
    assertNull(small.get(B));
  }

  @Test
  void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() {
    ObjectValue o = ObjectValue.wrapEntries(new Value[] {A, B, A},
        new Value[] {NumberValue.of(1), NumberValue.of(2), NumberValue.of(3)});
    assertEquals(mapBacked(A, NumberValue.of(3), B, NumberValue.of(2)), o);
    assertEquals(2, o.size());
  }
}
