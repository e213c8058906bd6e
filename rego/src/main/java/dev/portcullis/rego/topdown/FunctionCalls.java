package dev.portcullis.rego.topdown;

import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.Arrays;

/**
 * The results of one user function within one evaluation, by argument list. Arguments match when they are the same
 * value object, or equal strings, booleans or nulls: stricter than Rego equality (which has {@code 1 == 1.0}), so a
 * remembered result is always the one the call would compute. Holds a bounded number of argument lists: a function
 * called with many different arguments is mostly called once with each.
 */
final class FunctionCalls {
  /** The remembered result of a call that was undefined. */
  static final Object UNDEFINED = new Object();

  private static final int LIMIT = 32;

  /** Argument lists and their results, alternating: one small array rather than two lists of them. */
  private Object[] calls = new Object[4];
  private int used;

  /** The result for these arguments, {@link #UNDEFINED} for an undefined one, or null when unknown. */
  Object find(Value[] call) {
    for (int i = 0; i < used; i += 2) {
      if (same((Value[]) calls[i], call)) return calls[i + 1];
    }
    return null;
  }

  /** Remembers a result (null when undefined); callers reuse argument arrays, so this keeps a copy. */
  void add(Value[] call, Value result) {
    if (used == 2 * LIMIT) return;
    if (used == calls.length) calls = Arrays.copyOf(calls, used * 2);
    calls[used++] = call.clone();
    calls[used++] = result == null ? UNDEFINED : result;
  }

  private static boolean same(Value[] a, Value[] b) {
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) {
      Value x = a[i], y = b[i];
      if (x == y) continue;
      if (!(x instanceof StringValue || x instanceof BooleanValue) || !x.equals(y)) return false;
    }
    return true;
  }
}
