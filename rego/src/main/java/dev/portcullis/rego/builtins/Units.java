package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.NumberValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/** {@code units.parse} and {@code units.parse_bytes}: SI and binary suffixes, as OPA reads resource strings. */
final class Units {
  private Units() {}

  /** OPA rejects longer exponents so "1e999999999" cannot make a huge number. */
  private static final int MAX_EXPONENT_DIGITS = 6;

  private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      // OPA's milli is the float64 nearest 0.001, taken exactly; results are rounded to ten decimals anyway.
      Map.entry("m", new BigDecimal(0.001)),
      Map.entry("k", pow10(3)), Map.entry("K", pow10(3)),
      Map.entry("ki", pow2(10)), Map.entry("Ki", pow2(10)),
      Map.entry("M", pow10(6)),
      Map.entry("mi", pow2(20)), Map.entry("Mi", pow2(20)),
      Map.entry("g", pow10(9)), Map.entry("G", pow10(9)),
      Map.entry("gi", pow2(30)), Map.entry("Gi", pow2(30)),
      Map.entry("t", pow10(12)), Map.entry("T", pow10(12)),
      Map.entry("ti", pow2(40)), Map.entry("Ti", pow2(40)),
      Map.entry("p", pow10(15)), Map.entry("P", pow10(15)),
      Map.entry("pi", pow2(50)), Map.entry("Pi", pow2(50)),
      Map.entry("e", pow10(18)), Map.entry("E", pow10(18)),
      Map.entry("ei", pow2(60)), Map.entry("Ei", pow2(60)));

  private static final Map<String, BigDecimal> BYTE_UNITS = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("kb", pow10(3)), Map.entry("k", pow10(3)),
      Map.entry("kib", pow2(10)), Map.entry("ki", pow2(10)),
      Map.entry("mb", pow10(6)), Map.entry("m", pow10(6)),
      Map.entry("mib", pow2(20)), Map.entry("mi", pow2(20)),
      Map.entry("gb", pow10(9)), Map.entry("g", pow10(9)),
      Map.entry("gib", pow2(30)), Map.entry("gi", pow2(30)),
      Map.entry("tb", pow10(12)), Map.entry("t", pow10(12)),
      Map.entry("tib", pow2(40)), Map.entry("ti", pow2(40)),
      Map.entry("pb", pow10(15)), Map.entry("p", pow10(15)),
      Map.entry("pib", pow2(50)), Map.entry("pi", pow2(50)),
      Map.entry("eb", pow10(18)), Map.entry("e", pow10(18)),
      Map.entry("eib", pow2(60)), Map.entry("ei", pow2(60)));

  static void register(BuiltinTable t) {
    t.register("units.parse", 1, (ctx, a) -> parse(Args.string(a, 0)));
    t.register("units.parse_bytes", 1, (ctx, a) -> parseBytes(Args.string(a, 0)));
  }

  static NumberValue parse(String raw) throws BuiltinException {
    String s = raw.replace("\"", "");
    if (s.contains(" ")) throw BuiltinException.error("spaces not allowed in resource strings");
    String[] parts = split(s);
    if (parts[0].isEmpty()) throw BuiltinException.error("no amount provided");
    String unit = parts[1];
    // Only the letters after the first are folded, so "m" (milli) and "M" (mega) stay apart.
    if (unit.length() > 1) unit = unit.charAt(0) + unit.substring(1).toLowerCase(Locale.ROOT);
    BigDecimal factor = UNITS.get(unit);
    if (factor == null) throw BuiltinException.error("unit " + unit + " not recognized");
    BigDecimal amount = number(parts[0], "could not parse amount to a number").multiply(factor);
    if (amount.signum() == 0) return NumberValue.of(0);
    if (amount.stripTrailingZeros().scale() <= 0) return NumberValue.of(amount.toBigIntegerExact());
    // OPA prints fractions with ten decimals.
    return NumberValue.of(amount.setScale(10, RoundingMode.HALF_UP).stripTrailingZeros());
  }

  static NumberValue parseBytes(String raw) throws BuiltinException {
    String s = raw.toLowerCase(Locale.ROOT).replace("\"", "");
    if (s.contains(" ")) throw BuiltinException.error("spaces not allowed in resource strings");
    String[] parts = split(s);
    if (parts[0].isEmpty()) throw BuiltinException.error("no byte amount provided");
    BigDecimal factor = BYTE_UNITS.get(parts[1]);
    if (factor == null) throw BuiltinException.error("byte unit " + parts[1] + " not recognized");
    BigDecimal amount = number(parts[0], "could not parse byte amount to a number");
    // OPA multiplies in 64-bit binary floating point (big.Float) and truncates, so 0.1kb-like amounts land where
    // that rounding puts them; amounts far outside any byte count are taken exactly.
    BigDecimal product = isModest(amount)
        ? binary64(binary64(amount).multiply(factor)) : amount.multiply(factor);
    return NumberValue.of(product.setScale(0, RoundingMode.DOWN).toBigInteger());
  }

  private static boolean isModest(BigDecimal x) {
    int magnitude = x.precision() - x.scale();
    return x.signum() == 0 || (magnitude > -300 && magnitude < 300);
  }

  /** {@code x} rounded to a 64-bit mantissa, half to even, as big.Float's default precision rounds. */
  static BigDecimal binary64(BigDecimal x) {
    if (x.signum() == 0) return x;
    BigDecimal abs = x.abs();
    int e = (int) Math.floor((abs.precision() - abs.scale() - 1) * 3.321928094887362) - 63;
    while (true) {
      BigDecimal scaled = e >= 0 ? abs.divide(new BigDecimal(BigInteger.ONE.shiftLeft(e)))
          : abs.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
      int bits = scaled.setScale(0, RoundingMode.FLOOR).toBigInteger().bitLength();
      if (bits > 64) {
        e += bits - 64;
      } else if (bits < 64) {
        e -= 64 - bits;
      } else {
        BigInteger m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
        BigDecimal r = e >= 0 ? new BigDecimal(m.shiftLeft(e))
            : new BigDecimal(m).divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
        return x.signum() < 0 ? r.negate() : r;
      }
    }
  }

  private static BigDecimal number(String text, String error) throws BuiltinException {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw BuiltinException.error(error);
    }
  }

  /** Splits "2.5e3Ki" into the amount "2.5e3" and the unit "Ki"; either may be empty. */
  private static String[] split(String s) throws BuiltinException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean numeric = isDigit(c) || c == '.' || c == '+' || c == '-';
      if (c == 'e' || c == 'E') {
        boolean exponent = i + 1 < s.length() && (isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '+'
            || s.charAt(i + 1) == '-');
        if (!exponent) return new String[] {s.substring(0, i), s.substring(i)};
        if (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') i++;
        int end = i + 1;
        while (end < s.length() && isDigit(s.charAt(end))) end++;
        if (end - (i + 1) > MAX_EXPONENT_DIGITS) throw BuiltinException.error("exponent too large");
        continue;
      }
      if (!numeric) return new String[] {s.substring(0, i), s.substring(i)};
    }
    return new String[] {s, ""};
  }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  private static BigDecimal pow10(int n) { return BigDecimal.TEN.pow(n); }

  private static BigDecimal pow2(int n) { return new BigDecimal(BigInteger.ONE.shiftLeft(n)); }
}
