package dev.portcullis.rego.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable object whose keys may be any value. Iteration follows the canonical order of the keys. */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(Map.of());

  private final Map<Value, Value> map;
  private List<Value> sortedKeys;
  private int hash;

  private ObjectValue(Map<Value, Value> map) { this.map = map; }

  /** Copies the map; later changes to it do not show. */
  public static ObjectValue of(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
  }

  /** Takes ownership of the map without copying: the caller must never change it again. */
  public static ObjectValue wrap(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(Collections.unmodifiableMap(entries));
  }

  public Map<Value, Value> map() { return map; }

  public Value get(Value key) { return map.get(key); }

  public Value get(String key) { return map.get(StringValue.of(key)); }

  public int size() { return map.size(); }

  /** Keys in canonical order. */
  public List<Value> keys() {
    List<Value> keys = sortedKeys;
    if (keys == null) {
      keys = new ArrayList<>(map.keySet());
      Collections.sort(keys);
      // an immutable list (final fields) is safely published even when threads race to compute it
      keys = List.copyOf(keys);
      sortedKeys = keys;
    }
    return keys;
  }

  @Override public int typeRank() { return 5; }
  @Override public String typeName() { return "object"; }

  @Override public boolean equals(Object o) { return o instanceof ObjectValue other && map.equals(other.map); }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = map.hashCode() + 5;
      hash = h;
    }
    return h;
  }

  @Override public String toString() { return Values.toJson(this); }
}
