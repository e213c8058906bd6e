package dev.portcullis.rego.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable object whose keys may be any value. Iteration follows the canonical order of the keys. */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(Map.of());

  /** The map this object owns, read directly by lookups; {@link #map} hands out the unmodifiable view. */
  private final Map<Value, Value> owned;
  /** Made on first use: most objects of an evaluation are only looked into, never handed out whole. */
  private Map<Value, Value> view;
  private Sorted sorted;
  private int hash;

  private ObjectValue(Map<Value, Value> owned) {
    this.owned = owned;
  }

  /** Copies the map; later changes to it do not show. */
  public static ObjectValue of(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(new LinkedHashMap<>(entries));
  }

  /** Takes ownership of the map without copying: the caller must never change it again. */
  public static ObjectValue wrap(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(entries);
  }

  public Map<Value, Value> map() {
    Map<Value, Value> v = view;
    // an unmodifiable view (final fields) is safely published even when threads race to make it
    if (v == null) view = v = Collections.unmodifiableMap(owned);
    return v;
  }

  public Value get(Value key) { return owned.get(key); }

  public Value get(String key) { return owned.get(StringValue.of(key)); }

  public int size() { return owned.size(); }

  /** Keys in canonical order. */
  public List<Value> keys() { return sorted().keyList(); }

  /** The keys in canonical order and their values, computed once: objects compare and print in that order. */
  Sorted sorted() {
    Sorted s = sorted;
    if (s == null) {
      Value[] keys = owned.keySet().toArray(new Value[0]);
      Values.sortSmall(keys);
      Value[] values = new Value[keys.length];
      for (int i = 0; i < keys.length; i++) values[i] = owned.get(keys[i]);
      // final fields: safely published even when threads race to compute it
      s = new Sorted(keys, values);
      sorted = s;
    }
    return s;
  }

  /**
   * Keys in canonical order, with {@code values[i]} the value of key {@code i}; never changed once built. Arrays
   * rather than lists: comparing objects (sorting a set of them) walks them on the hot path.
   */
  static final class Sorted {
    final Value[] keys;
    final Value[] values;
    private List<Value> keyList;

    Sorted(Value[] keys, Value[] values) {
      this.keys = keys;
      this.values = values;
    }

    List<Value> keyList() {
      List<Value> l = keyList;
      if (l == null) keyList = l = Collections.unmodifiableList(Arrays.asList(keys));
      return l;
    }
  }

  @Override public int typeRank() { return 5; }
  @Override public String typeName() { return "object"; }

  @Override public boolean equals(Object o) { return o instanceof ObjectValue other && owned.equals(other.owned); }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = owned.hashCode() + 5;
      hash = h;
    }
    return h;
  }

  @Override public String toString() { return Values.toJson(this); }
}
