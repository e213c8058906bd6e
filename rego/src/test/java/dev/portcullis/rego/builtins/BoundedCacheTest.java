package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  @Test
  void compilesOnceAndStaysWithinItsBound() throws Exception {
    BoundedCache<String, StringBuilder> cache = new BoundedCache<>(8);
    StringBuilder first = cache.get("a", StringBuilder::new);
    assertSame(first, cache.get("a", k -> new StringBuilder("other")));
    for (int i = 0; i < 100; i++) cache.get("k" + i, StringBuilder::new);
    assertTrue(cache.size() <= 8, "size " + cache.size());
  }

  @Test
  void failuresAreNotCached() {
    BoundedCache<String, String> cache = new BoundedCache<>(8);
    assertThrows(BuiltinException.class, () -> cache.get("bad", k -> {
      throw BuiltinException.error("no");
    }));
    assertEquals(0, cache.size());
  }
}
