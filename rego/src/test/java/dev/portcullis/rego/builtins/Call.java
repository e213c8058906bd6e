package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Calls built-ins from the standard table the way the evaluator does, for tests. */
final class Call {
  private Call() {}

  private static final BuiltinTable TABLE = BuiltinTable.standard();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A context with a fixed clock, a seeded random source and a fresh cache; charges are accepted up to a limit. */
  static final class Ctx implements BuiltinContext {
    final Map<Object, Object> cache = new HashMap<>();
    final RandomGenerator random = new java.util.SplittableRandom(42);
    long charged;
    long limit = 50_000;

    @Override public long nowNanos() { return 1_700_000_000_000_000_000L; }
    @Override public RandomGenerator random() { return random; }
    @Override public Map<Object, Object> cache() { return cache; }

    @Override
    public void charge(long units) throws BuiltinException {
      charged += units;
      if (charged > limit || units < 0) throw new BuiltinException(BuiltinException.Kind.BUDGET, "size budget exceeded");
    }
  }

  static Value call(BuiltinContext ctx, String name, Value... args) throws BuiltinException {
    BuiltinTable.Entry e = TABLE.lookup(name);
    if (e == null) throw new AssertionError("no built-in " + name);
    assertEquals(e.arity(), args.length, "arity of " + name);
    return e.fn().call(ctx, args);
  }

  static Value call(String name, Value... args) throws BuiltinException {
    return call(new Ctx(), name, args);
  }

  /** A value from JSON text, with single quotes allowed for readability. */
  static Value v(String json) {
    try {
      return Values.fromJson(JSON.readTree(json.replace('\'', '"')));
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static Value set(String jsonArray) {
    return SetValue.of(((dev.portcullis.rego.value.ArrayValue) v(jsonArray)).elements());
  }

  static void assertResult(String expectedJson, String name, Value... args) throws BuiltinException {
    assertEquals(v(expectedJson), call(name, args), name + " of " + List.of(args));
  }

  static BuiltinException assertFails(BuiltinException.Kind kind, String message, String name, Value... args) {
    BuiltinException e = assertThrows(BuiltinException.class, () -> call(name, args));
    assertEquals(kind, e.kind(), "kind of " + e.getMessage());
    assertEquals(message, e.getMessage());
    return e;
  }
}
