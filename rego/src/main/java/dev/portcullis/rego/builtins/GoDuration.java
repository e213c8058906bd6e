package dev.portcullis.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;

/** Go's {@code time.ParseDuration}: a signed sequence of decimal numbers with units, such as "1h15m" or "-1.5s". */
final class GoDuration {
  private GoDuration() {}

  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
      "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(63);

  static long parse(String s) throws BuiltinException {
    String orig = s;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) return 0;
    if (s.isEmpty()) throw invalid(orig);
    BigInteger total = BigInteger.ZERO;
    while (!s.isEmpty()) {
      int i = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) i++;
      String whole = s.substring(0, i);
      String frac = "";
      boolean dot = i < s.length() && s.charAt(i) == '.';
      if (dot) {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') j++;
        frac = s.substring(i + 1, j);
        i = j;
      }
      if (whole.isEmpty() && frac.isEmpty()) throw invalid(orig);
      int u = i;
      while (u < s.length() && s.charAt(u) != '.' && !(s.charAt(u) >= '0' && s.charAt(u) <= '9')) u++;
      String unit = s.substring(i, u);
      if (unit.isEmpty()) throw BuiltinException.error("time: missing unit in duration " + quote(orig));
      Long scale = UNITS.get(unit);
      if (scale == null) {
        throw BuiltinException.error("time: unknown unit " + quote(unit) + " in duration " + quote(orig));
      }
      BigDecimal amount = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
      total = total.add(amount.multiply(BigDecimal.valueOf(scale)).setScale(0, RoundingMode.DOWN).toBigInteger());
      if (total.compareTo(LIMIT) > 0) throw invalid(orig);
      s = s.substring(u);
    }
    if (!neg && total.equals(LIMIT)) throw invalid(orig);
    return neg ? total.negate().longValue() : total.longValue();
  }

  private static BuiltinException invalid(String s) {
    return BuiltinException.error("time: invalid duration " + quote(s));
  }

  private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
