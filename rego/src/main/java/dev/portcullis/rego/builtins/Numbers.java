package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Arithmetic as OPA's topdown does it: int32-sized integers in longs, other integers exact, anything else through
 * Go's 64-bit-mantissa {@code big.Float} (see {@link BigFloat}).
 */
final class Numbers {
  private Numbers() {}

  /** Shift counts above this would build numbers no policy needs; they are refused rather than exhaust memory. */
  private static final int MAX_SHIFT = 1 << 16;
  /** No array can hold more; any real budget is far smaller. */
  private static final BigInteger MAX_RANGE = BigInteger.valueOf(Integer.MAX_VALUE - 8);
  /** OPA does int arithmetic inside the int32 window, exact big-integer arithmetic beyond it. */
  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal HALF = new BigDecimal("0.5");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  static void register(BuiltinTable t) {
    t.register("plus", 2, (ctx, a) -> arith(a, Op.PLUS));
    t.register("minus", 2, (ctx, a) -> minus(a));
    t.register("mul", 2, (ctx, a) -> arith(a, Op.MUL));
    t.register("div", 2, (ctx, a) -> arith(a, Op.DIV));
    t.register("rem", 2, (ctx, a) -> arith(a, Op.REM));
    t.register("abs", 1, (ctx, a) -> unary(a, Unary.ABS));
    t.register("round", 1, (ctx, a) -> unary(a, Unary.ROUND));
    t.register("ceil", 1, (ctx, a) -> unary(a, Unary.CEIL));
    t.register("floor", 1, (ctx, a) -> unary(a, Unary.FLOOR));
    t.register("numbers.range", 2, (ctx, a) -> range(ctx, bigInt(a, 0), bigInt(a, 1), BigInteger.ONE));
    t.register("numbers.range_step", 3, Numbers::rangeStep);
    t.register("rand.intn", 2, Numbers::randIntn);
    t.register("bits.and", 2, (ctx, a) -> NumberValue.of(bigInt(a, 0).and(bigInt(a, 1))));
    t.register("bits.or", 2, (ctx, a) -> NumberValue.of(bigInt(a, 0).or(bigInt(a, 1))));
    t.register("bits.xor", 2, (ctx, a) -> NumberValue.of(bigInt(a, 0).xor(bigInt(a, 1))));
    t.register("bits.negate", 1, (ctx, a) -> NumberValue.of(bigInt(a, 0).not()));
    t.register("bits.lsh", 2, (ctx, a) -> NumberValue.of(bigInt(a, 0).shiftLeft(shiftCount(a))));
    t.register("bits.rsh", 2, (ctx, a) -> NumberValue.of(bigInt(a, 0).shiftRight(shiftCount(a))));
    t.register("to_number", 1, (ctx, a) -> toNumber(a[0]));
    t.register("format_int", 2, (ctx, a) -> formatInt(a));
  }

  private enum Op { PLUS, MINUS, MUL, DIV, REM }

  private enum Unary { ABS, ROUND, CEIL, FLOOR }

  private static Value arith(Value[] a, Op op) throws BuiltinException {
    return arith(BigFloat.checked(Args.number(a, 0)), BigFloat.checked(Args.number(a, 1)), op);
  }

  private static Value arith(NumberValue x, NumberValue y, Op op) throws BuiltinException {
    if (isSmall(x) && isSmall(y)) {
      long p = x.longValueExact(), q = y.longValueExact();
      switch (op) {
        case PLUS: return NumberValue.of(p + q);
        case MINUS: return NumberValue.of(p - q);
        case MUL: return NumberValue.of(p * q);
        case REM:
          if (q == 0) throw BuiltinException.error("modulo by zero");
          return NumberValue.of(p % q);
        case DIV:
          if (q == 0) throw BuiltinException.error("divide by zero");
          if (p != 0 && p % q == 0) return NumberValue.of(p / q);
          break;
      }
    }
    if (op != Op.DIV && x.isInteger() && y.isInteger()) {
      BigInteger p = x.bigDecimal().toBigInteger(), q = y.bigDecimal().toBigInteger();
      switch (op) {
        case PLUS: return NumberValue.of(p.add(q));
        case MINUS: return NumberValue.of(p.subtract(q));
        case MUL: return NumberValue.of(p.multiply(q));
        default:
          if (q.signum() == 0) throw BuiltinException.error("modulo by zero");
          return NumberValue.of(p.remainder(q));
      }
    }
    BigDecimal p = x.bigDecimal(), q = y.bigDecimal();
    BigDecimal r;
    switch (op) {
      case PLUS: r = BigFloat.add(p, q); break;
      case MINUS: r = BigFloat.subtract(p, q); break;
      case MUL: r = BigFloat.multiply(p, q); break;
      case DIV:
        if (q.signum() == 0) throw BuiltinException.error("divide by zero");
        r = BigFloat.divide(p, q);
        break;
      default: throw BuiltinException.error("modulo on floating-point number");
    }
    return NumberValue.of(BigFloat.shortest(r));
  }

  private static boolean isSmall(NumberValue n) {
    if (!n.isInteger()) return false;
    BigDecimal d = n.bigDecimal();
    return d.compareTo(INT_MIN) >= 0 && d.compareTo(INT_MAX) <= 0;
  }

  private static Value minus(Value[] a) throws BuiltinException {
    if (a[0] instanceof NumberValue x && a[1] instanceof NumberValue y) {
      return arith(BigFloat.checked(x), BigFloat.checked(y), Op.MINUS);
    }
    if (a[0] instanceof SetValue x && a[1] instanceof SetValue y) {
      if (y.size() == 0) return x;
      Set<Value> out = new LinkedHashSet<>();
      for (Value v : x.set()) if (!y.contains(v)) out.add(v);
      return SetValue.wrap(out);
    }
    if (!(a[0] instanceof NumberValue) && !(a[0] instanceof SetValue)) {
      throw Args.mismatch(0, "one of {number, set}", a[0]);
    }
    if (a[0] instanceof SetValue) throw Args.mismatch(1, "set", a[1]);
    throw Args.mismatch(1, "number", a[1]);
  }

  private static Value unary(Value[] a, Unary op) throws BuiltinException {
    NumberValue n = BigFloat.checked(Args.number(a, 0));
    if (isSmall(n)) {
      long v = n.longValueExact();
      return op == Unary.ABS ? NumberValue.of(Math.abs(v)) : NumberValue.of(v);
    }
    BigDecimal f = BigFloat.round(n.bigDecimal());
    BigDecimal r = switch (op) {
      case ABS -> f.abs();
      // Half away from zero, as OPA adds or subtracts 0.5 and truncates.
      case ROUND -> BigFloat.round(f.signum() < 0 ? f.subtract(HALF) : f.add(HALF)).setScale(0, RoundingMode.DOWN);
      // Mathematical ceiling and floor; OPA's own are off by one between -1 and 0 (ceil(-0.5) = 1 there).
      case CEIL -> f.setScale(0, RoundingMode.CEILING);
      case FLOOR -> f.setScale(0, RoundingMode.FLOOR);
    };
    return NumberValue.of(BigFloat.shortest(r));
  }

  /** An integer operand of any size, with OPA's messages. */
  static BigInteger bigInt(Value[] a, int i) throws BuiltinException {
    if (!(a[i] instanceof NumberValue n)) throw Args.mismatch(i, "integer", a[i]);
    if (!n.isInteger()) {
      throw BuiltinException.type("operand " + (i + 1) + " must be integer number but got floating-point number");
    }
    return BigFloat.checked(n).bigDecimal().toBigInteger();
  }

  private static int shiftCount(Value[] a) throws BuiltinException {
    BigInteger n = bigInt(a, 1);
    if (n.signum() < 0) {
      throw BuiltinException.type("operand 2 must be an unsigned integer number but got a negative integer");
    }
    if (n.compareTo(BigInteger.valueOf(MAX_SHIFT)) > 0) {
      throw BuiltinException.error("shift count " + n + " is larger than the supported " + MAX_SHIFT);
    }
    return n.intValue();
  }

  private static Value rangeStep(BuiltinContext ctx, Value[] a) throws BuiltinException {
    BigInteger from = bigInt(a, 0), to = bigInt(a, 1), step = bigInt(a, 2);
    if (step.signum() <= 0) throw BuiltinException.error("step must be a positive integer");
    return range(ctx, from, to, step);
  }

  private static Value range(BuiltinContext ctx, BigInteger from, BigInteger to, BigInteger step)
      throws BuiltinException {
    BigInteger count = to.subtract(from).abs().divide(step).add(BigInteger.ONE);
    if (count.compareTo(MAX_RANGE) > 0) {
      throw new BuiltinException(BuiltinException.Kind.BUDGET, "range of " + count + " numbers exceeds the size budget");
    }
    int n = count.intValue();
    ctx.charge(n);
    List<Value> out = new ArrayList<>(n);
    boolean up = from.compareTo(to) <= 0;
    if (from.bitLength() < 62 && to.bitLength() < 62 && step.bitLength() < 62) {
      long i = from.longValue(), s = step.longValue();
      for (int k = 0; k < n; k++, i = up ? i + s : i - s) out.add(NumberValue.of(i));
    } else {
      BigInteger i = from;
      for (int k = 0; k < n; k++, i = up ? i.add(step) : i.subtract(step)) out.add(NumberValue.of(i));
    }
    return new ArrayValue(out);
  }

  private record RandKey(String seed, long n) {}

  private static Value randIntn(BuiltinContext ctx, Value[] a) throws BuiltinException {
    String seed = Args.string(a, 0);
    long n = Args.int64(a, 1);
    if (n == 0) return NumberValue.of(0);
    if (n < 0) n = n == Long.MIN_VALUE ? Long.MAX_VALUE : -n;
    RandKey key = new RandKey(seed, n);
    Object cached = ctx.cache().get(key);
    if (cached instanceof Value v) return v;
    Value result = NumberValue.of(ctx.random().nextLong(n));
    ctx.cache().put(key, result);
    return result;
  }

  static Value toNumber(Value v) throws BuiltinException {
    if (v instanceof NullValue) return NumberValue.of(0);
    if (v instanceof BooleanValue b) return NumberValue.of(b.value() ? 1 : 0);
    if (v instanceof NumberValue) return v;
    if (v instanceof StringValue s) {
      String text = s.value();
      String lower = text.replaceFirst("^[+-]+", "").toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("inf") || lower.equals("infinity") || lower.equals("nan")) {
        throw Args.mismatch(0, "valid number string", v);
      }
      if (!DECIMAL.matcher(text).matches()) {
        throw BuiltinException.error("strconv.ParseFloat: parsing " + goQuote(text) + ": invalid syntax");
      }
      BigDecimal d = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
      if (d.abs().compareTo(MAX_FLOAT64) > 0) {
        throw BuiltinException.error("strconv.ParseFloat: parsing " + goQuote(text) + ": value out of range");
      }
      return NumberValue.of(d);
    }
    throw Args.mismatch(0, "one of {null, boolean, number, string}", v);
  }

  private static String goQuote(String s) {
    return GoFmt.quote(s, false);
  }

  private static final BigDecimal MAX_FLOAT64 = new BigDecimal(Double.MAX_VALUE);

  private static Value formatInt(Value[] a) throws BuiltinException {
    NumberValue n = BigFloat.checked(Args.number(a, 0));
    NumberValue base = Args.number(a, 1);
    int radix;
    if (base.equals(NumberValue.of(2))) radix = 2;
    else if (base.equals(NumberValue.of(8))) radix = 8;
    else if (base.equals(NumberValue.of(10))) radix = 10;
    else if (base.equals(NumberValue.of(16))) radix = 16;
    else throw BuiltinException.type("operand 2 must be one of {2, 8, 10, 16}");
    BigInteger i = (n.isInteger() ? n.bigDecimal() : BigFloat.round(n.bigDecimal())).toBigInteger();
    return StringValue.of(i.toString(radix));
  }
}
