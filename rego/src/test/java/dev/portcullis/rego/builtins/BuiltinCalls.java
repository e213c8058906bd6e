package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/** Calls built-ins from the standard table the way the evaluator does, with a fixed clock and seed. */
final class BuiltinCalls {
  private BuiltinCalls() {}

  private static final BuiltinTable TABLE = BuiltinTable.standard();
  private static final ObjectMapper JSON = GoJson.MAPPER;

  static final class Ctx implements BuiltinContext {
    final Map<Object, Object> cache = new HashMap<>();
    final Random random = new Random(42);
    long now = 1_700_000_000_123_456_789L;
    long budget = 1_000_000;

    @Override public long nowNanos() { return now; }
    @Override public RandomGenerator random() { return random; }
    @Override public Map<Object, Object> cache() { return cache; }
    @Override public void charge(long units) throws BuiltinException {
      if (units > budget) throw new BuiltinException(BuiltinException.Kind.BUDGET, "budget exceeded");
    }
  }

  /** Parses JSON text into a value (sets are written as arrays; use SetValue.of for sets). */
  static Value v(String json) {
    try {
      return Values.fromJson(JSON.readTree(json));
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static StringValue s(String s) { return StringValue.of(s); }

  static Value call(String name, Value... args) throws BuiltinException {
    return call(new Ctx(), name, args);
  }

  static Value call(BuiltinContext ctx, String name, Value... args) throws BuiltinException {
    BuiltinTable.Entry e = TABLE.lookup(name);
    if (e == null) throw new AssertionError("not registered: " + name);
    assertEquals(e.arity(), args.length, "arity of " + name);
    return e.fn().call(ctx, args);
  }

  /** Asserts the call fails with the given kind and a message containing {@code text}. */
  static BuiltinException fails(BuiltinException.Kind kind, String text, String name, Value... args) {
    BuiltinException e = assertThrows(BuiltinException.class, () -> call(name, args));
    assertEquals(kind, e.kind(), e.getMessage());
    if (!e.getMessage().contains(text)) throw new AssertionError("message '" + e.getMessage() + "' lacks '" + text + "'");
    return e;
  }

  static void assertValue(String expectedJson, Value actual) {
    assertEquals(Values.toJson(v(expectedJson)), actual == null ? "undefined" : Values.toJson(actual));
  }
}
