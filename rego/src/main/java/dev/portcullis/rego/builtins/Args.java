package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;

/** Operand checks with OPA's messages ("operand 1 must be string but got number"). Operands count from 1. */
public final class Args {
  private Args() {}

  public static String string(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof StringValue s) return s.value();
    throw mismatch(i, "string", args[i]);
  }

  public static NumberValue number(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof NumberValue n) return n;
    throw mismatch(i, "number", args[i]);
  }

  public static boolean bool(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof BooleanValue b) return b.value();
    throw mismatch(i, "boolean", args[i]);
  }

  public static ArrayValue array(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof ArrayValue a) return a;
    throw mismatch(i, "array", args[i]);
  }

  public static ObjectValue object(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof ObjectValue o) return o;
    throw mismatch(i, "object", args[i]);
  }

  public static SetValue set(Value[] args, int i) throws BuiltinException {
    if (args[i] instanceof SetValue s) return s;
    throw mismatch(i, "set", args[i]);
  }

  /** An integer operand that fits in an int. */
  public static int integer(Value[] args, int i) throws BuiltinException {
    NumberValue n = number(args, i);
    try {
      return n.bigDecimal().intValueExact();
    } catch (ArithmeticException e) {
      throw BuiltinException.type("operand " + (i + 1) + " must be integer number but got floating-point number");
    }
  }

  /** An integer operand within Go's 64-bit {@code int}, as OPA's {@code IntOperand} reads it. */
  public static long int64(Value[] args, int i) throws BuiltinException {
    NumberValue n = number(args, i);
    if (!n.fitsLong()) {
      throw BuiltinException.type("operand " + (i + 1) + " must be integer number but got floating-point number");
    }
    return n.longValueExact();
  }

  /** {@link #int64} clamped into the int range, for counts and positions that saturate anyway. */
  public static int clampedInt(Value[] args, int i) throws BuiltinException {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, int64(args, i)));
  }

  /** The standard type error for operand {@code i} (0-based) when {@code expected} names the accepted types. */
  public static BuiltinException mismatch(int i, String expected, Value got) {
    return BuiltinException.type("operand " + (i + 1) + " must be " + expected + " but got " + got.typeName());
  }
}
