package dev.portcullis.gateway.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * JSqlParser results by normalized statement text (literals and numbers neutralized). Parsing costs about a
 * hundred microseconds; applications repeat a small set of query shapes, so this keeps analysis off the hot
 * path. Bounded: when full it is simply emptied, which is cheap and keeps no hostile input alive.
 */
final class ParseCache {

  private static final int MAX_ENTRIES = 4_096;
  private static final int MAX_KEY_CHARS = 8_192;

  private final ConcurrentHashMap<String, Facts> entries = new ConcurrentHashMap<>();

  Facts get(String key) {
    return key.length() > MAX_KEY_CHARS ? null : entries.get(key);
  }

  /** Stores an unshared copy; callers must copy what they get back before changing it. */
  void put(String key, Facts facts) {
    if (key.length() > MAX_KEY_CHARS) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, facts);
  }
}
