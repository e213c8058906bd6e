package dev.portcullis.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import dev.portcullis.rego.value.NumberValue;

/**
 * Go's {@code big.Float} at its default 64-bit mantissa, which OPA uses for every arithmetic that is not on exact
 * integers. Values are kept as exact {@link BigDecimal}s holding a binary fraction; {@link #shortest} renders one as
 * {@code Text('g', -1)} would, the fewest digits that read back to the same binary value.
 */
final class BigFloat {
  private BigFloat() {}

  static final int MANTISSA_BITS = 64;
  /** The precision of {@code big.NewFloat(x)}, which OPA's product starts from. */
  static final int FLOAT64_BITS = 53;
  /**
   * Numbers whose decimal exponent is beyond this are refused by arithmetic: exact work on them would take
   * unbounded time and memory (1e999999999 has a billion digits), and no policy needs them.
   */
  static final int MAX_DECIMAL_EXPONENT = 100_000;
  private static final MathContext QUOTIENT = new MathContext(60, RoundingMode.HALF_EVEN);

  /** Fails for a number too large or too small to compute with (see {@link #MAX_DECIMAL_EXPONENT}). */
  static NumberValue checked(NumberValue n) throws BuiltinException {
    BigDecimal d = n.bigDecimal();
    if (d.signum() != 0 && Math.abs((long) d.precision() - d.scale()) > MAX_DECIMAL_EXPONENT) {
      throw BuiltinException.error("number " + GoFmt.numberText(n) + " is out of the supported range");
    }
    return n;
  }

  /** Rounds {@code x} to the nearest value with a 64-bit mantissa (ties to even), as {@code SetString} does. */
  static BigDecimal round(BigDecimal x) { return round(x, MANTISSA_BITS); }

  /** Rounds {@code x} to the nearest value with a {@code bits}-bit mantissa, ties to even. */
  static BigDecimal round(BigDecimal x, int bits) {
    if (x.signum() == 0) return BigDecimal.ZERO;
    BigInteger unscaled = x.unscaledValue().abs();
    int scale = x.scale();
    BigInteger num = scale <= 0 ? unscaled.multiply(BigInteger.TEN.pow(-scale)) : unscaled;
    BigInteger den = scale <= 0 ? BigInteger.ONE : BigInteger.TEN.pow(scale);
    // Find e so that num / den * 2^-e has exactly `bits` integer bits.
    int e = num.bitLength() - den.bitLength() - bits;
    BigInteger[] qr;
    while (true) {
      BigInteger n = e < 0 ? num.shiftLeft(-e) : num;
      BigInteger d = e > 0 ? den.shiftLeft(e) : den;
      qr = n.divideAndRemainder(d);
      int got = qr[0].bitLength();
      if (got > bits) {
        e++;
      } else if (got < bits) {
        e--;
      } else {
        int half = qr[1].shiftLeft(1).compareTo(d);
        BigInteger m = qr[0];
        if (half > 0 || (half == 0 && m.testBit(0))) m = m.add(BigInteger.ONE);
        BigDecimal result = e >= 0
            ? new BigDecimal(m.shiftLeft(e))
            : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return x.signum() < 0 ? result.negate() : result;
      }
    }
  }

  static BigDecimal add(BigDecimal a, BigDecimal b) { return round(round(a).add(round(b))); }

  static BigDecimal subtract(BigDecimal a, BigDecimal b) { return round(round(a).subtract(round(b))); }

  static BigDecimal multiply(BigDecimal a, BigDecimal b) { return round(round(a).multiply(round(b))); }

  static BigDecimal divide(BigDecimal a, BigDecimal b) { return round(round(a).divide(round(b), QUOTIENT)); }

  /** The shortest decimal that rounds back to the same 64-bit value, trailing zeros stripped. */
  static BigDecimal shortest(BigDecimal binary) { return shortest(binary, MANTISSA_BITS); }

  /** {@link #shortest(BigDecimal)} for a value held with a {@code bits}-bit mantissa. */
  static BigDecimal shortest(BigDecimal binary, int bits) {
    if (binary.signum() == 0) return BigDecimal.ZERO;
    BigDecimal target = round(binary, bits);
    for (int digits = 1; digits < 40; digits++) {
      BigDecimal candidate = target.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (round(candidate, bits).compareTo(target) == 0) return strip(candidate);
    }
    return strip(target);
  }

  /** Drops trailing zeros but never writes an integer with a positive exponent. */
  static BigDecimal strip(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
