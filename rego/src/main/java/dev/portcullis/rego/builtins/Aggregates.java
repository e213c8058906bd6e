package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

final class Aggregates {
  private Aggregates() {}

  static void register(BuiltinTable t) {
    t.register("count", 1, (ctx, a) -> count(a[0]));
    t.register("sum", 1, (ctx, a) -> accumulate(a, false));
    t.register("product", 1, (ctx, a) -> accumulate(a, true));
    t.register("max", 1, (ctx, a) -> extreme(a, true));
    t.register("min", 1, (ctx, a) -> extreme(a, false));
    t.register("sort", 1, (ctx, a) -> sort(a));
  }

  private static Value count(Value v) throws BuiltinException {
    if (v instanceof ArrayValue a) return NumberValue.of(a.size());
    if (v instanceof ObjectValue o) return NumberValue.of(o.size());
    if (v instanceof SetValue s) return NumberValue.of(s.size());
    if (v instanceof StringValue s) return NumberValue.of(s.value().codePointCount(0, s.value().length()));
    throw Args.mismatch(0, "one of {array, object, set, string}", v);
  }

  /** The elements of an array or set operand (sets in canonical order). */
  private static List<Value> collection(Value[] a, int i) throws BuiltinException {
    if (a[i] instanceof ArrayValue arr) return arr.elements();
    if (a[i] instanceof SetValue set) return set.sorted();
    throw Args.mismatch(i, "one of {set, array}", a[i]);
  }

  /** Sums or multiplies: exact on integers, Go's 64-bit big.Float otherwise, as OPA does. */
  private static Value accumulate(Value[] a, boolean product) throws BuiltinException {
    List<Value> xs = collection(a, 0);
    boolean allIntegers = true;
    for (Value x : xs) {
      if (!(x instanceof NumberValue n)) throw Strings.elementMismatch(0, a[0], x, "number");
      if (!BigFloat.checked(n).isInteger()) allIntegers = false;
    }
    if (allIntegers) {
      long small = product ? 1 : 0;
      boolean fits = true;
      for (Value x : xs) {
        NumberValue n = (NumberValue) x;
        if (!n.fitsLong()) { fits = false; break; }
        try {
          small = product ? Math.multiplyExact(small, n.longValueExact()) : Math.addExact(small, n.longValueExact());
        } catch (ArithmeticException overflow) {
          fits = false;
          break;
        }
      }
      if (fits) return NumberValue.of(small);
      BigInteger acc = product ? BigInteger.ONE : BigInteger.ZERO;
      for (Value x : xs) {
        BigInteger n = ((NumberValue) x).bigDecimal().toBigInteger();
        acc = product ? acc.multiply(n) : acc.add(n);
      }
      return NumberValue.of(acc);
    }
    // OPA's sum accumulates at big.Float's 64-bit default; its product starts from big.NewFloat(1), whose 53 bits
    // stick to every partial product.
    int bits = product ? BigFloat.FLOAT64_BITS : BigFloat.MANTISSA_BITS;
    BigDecimal acc = product ? BigDecimal.ONE : BigDecimal.ZERO;
    for (Value x : xs) {
      BigDecimal n = BigFloat.round(((NumberValue) x).bigDecimal());
      acc = BigFloat.round(product ? acc.multiply(n) : acc.add(n), bits);
    }
    return NumberValue.of(BigFloat.shortest(acc, bits));
  }

  private static Value extreme(Value[] a, boolean max) throws BuiltinException {
    if (a[0] instanceof SetValue s) {
      if (s.size() == 0) return null;
      List<Value> sorted = s.sorted();
      return max ? sorted.get(sorted.size() - 1) : sorted.get(0);
    }
    if (!(a[0] instanceof ArrayValue arr)) throw Args.mismatch(0, "one of {set, array}", a[0]);
    if (arr.size() == 0) return null;
    Value best = arr.get(0);
    for (Value x : arr.elements()) {
      int c = x.compareTo(best);
      if (max ? c >= 0 : c <= 0) best = x;
    }
    return best;
  }

  private static Value sort(Value[] a) throws BuiltinException {
    if (a[0] instanceof SetValue s) return new ArrayValue(s.sorted());
    if (!(a[0] instanceof ArrayValue arr)) throw Args.mismatch(0, "one of {set, array}", a[0]);
    List<Value> out = new ArrayList<>(arr.elements());
    out.sort(Values.ORDER);
    return new ArrayValue(out);
  }
}
