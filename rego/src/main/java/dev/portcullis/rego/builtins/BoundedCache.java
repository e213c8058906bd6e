package dev.portcullis.rego.builtins;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small thread-safe cache of compiled patterns shared by all evaluations. When full, an arbitrary entry makes room,
 * as OPA's own regex and glob caches do: policies use few distinct patterns, so hits dominate.
 */
final class BoundedCache<K, V> {
  private final int max;
  private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();

  BoundedCache(int max) { this.max = max; }

  /** Returns the cached value or computes it; a computation that throws caches nothing. */
  <E extends Exception> V get(K key, Compiler<K, V, E> compiler) throws E {
    V v = map.get(key);
    if (v != null) return v;
    v = compiler.compile(key);
    if (map.size() >= max) {
      Iterator<K> it = map.keySet().iterator();
      if (it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    map.put(key, v);
    return v;
  }

  /** Compiles a key into the cached value. */
  @FunctionalInterface
  interface Compiler<K, V, E extends Exception> {
    V compile(K key) throws E;
  }

  int size() { return map.size(); }

}
