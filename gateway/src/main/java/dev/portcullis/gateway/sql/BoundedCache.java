package dev.portcullis.gateway.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Analysis results by a key derived from the statement text (literals neutralized). Applications repeat a small set
 * of query shapes, so this keeps analysis off the hot path. Bounded: when full it is simply emptied, which is cheap
 * and keeps no hostile input alive; a key longer than {@link #MAX_KEY_CHARS} is never kept.
 */
final class BoundedCache<V> {

  private static final int MAX_ENTRIES = 4_096;
  static final int MAX_KEY_CHARS = 8_192;

  private final ConcurrentHashMap<String, V> entries = new ConcurrentHashMap<>();

  V get(String key) {
    return key.length() > MAX_KEY_CHARS ? null : entries.get(key);
  }

  /** Stores the value as it is: values must be immutable, or copied by whoever changes them. */
  void put(String key, V value) {
    if (key.length() > MAX_KEY_CHARS) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, value);
  }
}
