package dev.portcullis.rego.topdown;

import dev.portcullis.rego.builtins.Args;
import dev.portcullis.rego.builtins.BuiltinException;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.Value;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Built-ins that belong to the evaluator rather than to a category: the operators behind {@code in}, and those
 * the evaluator runs itself ({@code print}, {@code walk}), which are matched by identity there.
 */
public final class Internals {
  private Internals() {}

  static final BuiltinTable.Entry PRINT = new BuiltinTable.Entry("print", -1, (ctx, a) -> BooleanValue.TRUE);
  static final BuiltinTable.Entry INTERNAL_PRINT =
      new BuiltinTable.Entry("internal.print", -1, (ctx, a) -> BooleanValue.TRUE);
  /** {@code x in coll}: the evaluator knows it by identity to test in place, without a call. */
  static final dev.portcullis.rego.builtins.Builtin MEMBER = (ctx, a) -> BooleanValue.of(member(a[0], a[1]));
  static final BuiltinTable.Entry WALK = new BuiltinTable.Entry("walk", 1, (ctx, a) -> null);

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  /** The evaluator's built-ins; {@code testing} adds {@code test.sleep}, which only OPA's test harness has. */
  public static Map<String, BuiltinTable.Entry> table(boolean testing) {
    Map<String, BuiltinTable.Entry> m = new HashMap<>();
    m.put("print", PRINT);
    m.put("internal.print", INTERNAL_PRINT);
    m.put("walk", WALK);
    put(m, "internal.member_2", 2, MEMBER);
    put(m, "internal.member_3", 3, (ctx, a) -> BooleanValue.of(member3(a[0], a[1], a[2])));
    put(m, "trace", 1, (ctx, a) -> {
      Args.string(a, 0);
      return BooleanValue.TRUE;
    });
    put(m, "opa.runtime", 0, (ctx, a) -> ObjectValue.EMPTY);
    if (testing) {
      put(m, "test.sleep", 1, (ctx, a) -> {
        long nanos = parseDuration(Args.string(a, 0));
        try {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return dev.portcullis.rego.value.NullValue.INSTANCE;
      });
    }
    return Map.copyOf(m);
  }

  private static void put(Map<String, BuiltinTable.Entry> m, String name, int arity,
                          dev.portcullis.rego.builtins.Builtin fn) {
    m.put(name, new BuiltinTable.Entry(name, arity, fn));
  }

  static boolean member(Value x, Value coll) {
    if (coll instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) {
        if (x.equals(a.get(i))) return true;
      }
      return false;
    }
    if (coll instanceof SetValue s) return s.contains(x);
    if (coll instanceof ObjectValue o) return o.map().containsValue(x);
    return false;
  }

  static boolean member3(Value k, Value v, Value coll) {
    if (coll instanceof ArrayValue a) {
      if (!(k instanceof NumberValue n) || !n.fitsLong()) return false;
      long i = n.longValueExact();
      return i >= 0 && i < a.size() && a.get((int) i).equals(v);
    }
    if (coll instanceof ObjectValue o) {
      Value got = o.get(k);
      return got != null && got.equals(v);
    }
    if (coll instanceof SetValue s) return k.equals(v) && s.contains(k);
    return false;
  }

  private static long parseDuration(String s) throws BuiltinException {
    Matcher m = DURATION.matcher(s);
    long total = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total += (long) (n * unit);
      at = m.end();
    }
    if (at != s.length() || at == 0) throw BuiltinException.error("invalid duration " + s);
    return total;
  }
}
