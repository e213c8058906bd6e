package dev.portcullis.rego.value;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An arbitrary-precision number, as OPA keeps them: integers stay exact at any size and decimals keep their digits.
 * Equality is numeric ({@code 1 == 1.0}); {@link #toString()} keeps the written form.
 */
public final class NumberValue implements Value {
  private static final NumberValue[] SMALL = new NumberValue[256];
  static {
    for (int i = 0; i < SMALL.length; i++) SMALL[i] = new NumberValue(BigDecimal.valueOf(i - 128));
  }

  private final BigDecimal value;
  private int hash;

  private NumberValue(BigDecimal value) { this.value = value; }

  public static NumberValue of(long n) {
    return n >= -128 && n < 128 ? SMALL[(int) n + 128] : new NumberValue(BigDecimal.valueOf(n));
  }

  public static NumberValue of(BigInteger n) { return new NumberValue(new BigDecimal(n)); }

  public static NumberValue of(BigDecimal n) { return new NumberValue(n); }

  /** Parses a JSON or Rego number literal; throws {@link NumberFormatException} on anything else. */
  public static NumberValue parse(String text) { return new NumberValue(new BigDecimal(text)); }

  public BigDecimal bigDecimal() { return value; }

  public boolean isInteger() {
    return value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** The exact integer value; throws {@link ArithmeticException} when this is not an integer. */
  public BigInteger bigInteger() { return value.toBigIntegerExact(); }

  /** True when this is an integer that fits in a {@code long}. */
  public boolean fitsLong() {
    // The digit count first: 1e999999999 must not be expanded into a billion-digit integer.
    if (!isInteger() || (long) value.precision() - value.scale() > 19) return false;
    return value.toBigInteger().bitLength() < 64;
  }

  /** The exact value as a long; throws {@link ArithmeticException} when it is not an integer or does not fit. */
  public long longValueExact() { return value.longValueExact(); }

  public double doubleValue() { return value.doubleValue(); }

  public int signum() { return value.signum(); }

  @Override public int typeRank() { return 2; }
  @Override public String typeName() { return "number"; }

  @Override
  public boolean equals(Object o) {
    return o instanceof NumberValue n && value.compareTo(n.value) == 0;
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = value.signum() == 0 ? 1 : value.stripTrailingZeros().hashCode();
      hash = h;
    }
    return h;
  }

  @Override public String toString() { return value.toString().contains("E") ? value.toPlainString() : value.toString(); }
}
