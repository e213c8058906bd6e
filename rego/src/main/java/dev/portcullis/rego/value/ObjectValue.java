package dev.portcullis.rego.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable object whose keys may be any value. Iteration follows the canonical order of the keys. Small objects
 * built from JSON documents (inputs, data) and object literals keep their entries in two arrays instead of a hash
 * map: they are cheaper to build, and a lookup by a policy's key (the same instance, see
 * {@link StringValue#canonical}) is a short scan by identity.
 */
public final class ObjectValue implements Value {
  public static final ObjectValue EMPTY = new ObjectValue(Map.of());

  /** Objects up to this many entries keep them in arrays. */
  private static final int SMALL = 16;

  /** The map this object owns, read directly by lookups; null for a small object. */
  private final Map<Value, Value> owned;
  /** A small object's keys (distinct) and values in insertion order; null for a map-backed object. */
  private final Value[] keys;
  private final Value[] values;
  /** Made on first use: most objects of an evaluation are only looked into, never handed out whole. */
  private Map<Value, Value> view;
  private Sorted sorted;
  private int hash;

  private ObjectValue(Map<Value, Value> owned) {
    this.owned = owned;
    this.keys = null;
    this.values = null;
  }

  private ObjectValue(Value[] keys, Value[] values) {
    this.owned = null;
    this.keys = keys;
    this.values = values;
  }

  /** Copies the map; later changes to it do not show. */
  public static ObjectValue of(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(new LinkedHashMap<>(entries));
  }

  /** Takes ownership of the map without copying: the caller must never change it again. */
  public static ObjectValue wrap(Map<Value, Value> entries) {
    return entries.isEmpty() ? EMPTY : new ObjectValue(entries);
  }

  /**
   * Takes ownership of parallel key and value arrays whose keys the caller knows to be distinct (the fields of a
   * JSON object): the caller must never change them again.
   */
  public static ObjectValue wrapDistinct(Value[] keys, Value[] values) {
    if (keys.length == 0) return EMPTY;
    return keys.length <= SMALL ? new ObjectValue(keys, values) : new ObjectValue(mapOf(keys, values));
  }

  /** Takes ownership of parallel key and value arrays; a repeated key keeps its first place and its last value. */
  public static ObjectValue wrapEntries(Value[] keys, Value[] values) {
    for (int i = 1; i < keys.length; i++) {
      for (int j = 0; j < i; j++) {
        if (keys[i].equals(keys[j])) return wrap(mapOf(keys, values));
      }
    }
    return wrapDistinct(keys, values);
  }

  public Map<Value, Value> map() {
    Map<Value, Value> v = view;
    if (v == null) {
      // a small object builds the map only for callers that want it whole; an unmodifiable view (final fields) is
      // safely published even when threads race to make it
      view = v = Collections.unmodifiableMap(owned != null ? owned : mapOf(keys, values));
    }
    return v;
  }

  /** The entries in a map, in order; a later repeat of a key replaces its value. */
  private static Map<Value, Value> mapOf(Value[] keys, Value[] values) {
    Map<Value, Value> m = new LinkedHashMap<>((int) (keys.length / 0.75f) + 1);
    for (int i = 0; i < keys.length; i++) m.put(keys[i], values[i]);
    return m;
  }

  /** Visits the entries in insertion order, without making a map of a small object. */
  public void forEach(BiConsumer<Value, Value> action) {
    if (keys == null) {
      owned.forEach(action);
      return;
    }
    for (int i = 0; i < keys.length; i++) action.accept(keys[i], values[i]);
  }

  public Value get(Value key) {
    Value[] ks = keys;
    if (ks == null) return owned.get(key);
    // a policy's key is mostly the very instance the object holds: try identity before equality
    for (int i = 0; i < ks.length; i++) {
      if (ks[i] == key) return values[i];
    }
    for (int i = 0; i < ks.length; i++) {
      if (ks[i].equals(key)) return values[i];
    }
    return null;
  }

  public Value get(String key) { return get(StringValue.of(key)); }

  public int size() { return keys != null ? keys.length : owned.size(); }

  /** Keys in canonical order. */
  public List<Value> keys() { return sorted().keyList(); }

  /** The keys in canonical order and their values, computed once: objects compare and print in that order. */
  Sorted sorted() {
    Sorted s = sorted;
    if (s == null) {
      Value[] ks;
      Value[] vs;
      if (keys != null) {
        ks = keys.clone();
        vs = values.clone();
        Values.sortSmall(ks, vs);
      } else {
        ks = owned.keySet().toArray(new Value[0]);
        Values.sortSmall(ks);
        vs = new Value[ks.length];
        for (int i = 0; i < ks.length; i++) vs[i] = owned.get(ks[i]);
      }
      // final fields: safely published even when threads race to compute it
      s = new Sorted(ks, vs);
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

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof ObjectValue other) || size() != other.size()) return false;
    if (keys == null) return other.keys == null ? owned.equals(other.owned) : other.equals(this);
    // same size and distinct keys: equal when each entry is found in the other
    for (int i = 0; i < keys.length; i++) {
      Value v = other.get(keys[i]);
      if (v == null || !v.equals(values[i])) return false;
    }
    return true;
  }

  /** As {@link Map#hashCode} of the entries, whichever way the object keeps them. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      if (keys == null) {
        h = owned.hashCode();
      } else {
        for (int i = 0; i < keys.length; i++) h += keys[i].hashCode() ^ values[i].hashCode();
      }
      h += 5;
      hash = h;
    }
    return h;
  }

  @Override public String toString() { return Values.toJson(this); }
}
