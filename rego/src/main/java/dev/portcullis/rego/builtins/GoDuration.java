package dev.portcullis.rego.builtins;

import java.util.Map;

/**
 * Go's {@code time.ParseDuration}: a signed sequence of decimal numbers with units, such as "1h15m" or "-1.5s".
 * Fractions are scaled in float64 and truncated, as Go does, so results agree to the nanosecond.
 */
final class GoDuration {
  private GoDuration() {}

  private static final Map<String, Long> UNITS = Map.of(
      "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
      "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  /** 2^63, the magnitude limit, as an unsigned value. */
  private static final long LIMIT = Long.MIN_VALUE;

  static long parse(String orig) throws BuiltinException {
    String s = orig;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) return 0;
    if (s.isEmpty()) throw invalid(orig);
    long d = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!(c == '.' || isDigit(c))) throw invalid(orig);
      // The whole part, refused when it overflows.
      int start = i;
      long v = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        if (Long.compareUnsigned(v, Long.divideUnsigned(LIMIT, 10)) > 0) throw invalid(orig);
        v = v * 10 + (s.charAt(i) - '0');
        if (Long.compareUnsigned(v, LIMIT) > 0) throw invalid(orig);
        i++;
      }
      boolean pre = i > start;
      // The fraction; digits beyond what fits are ignored.
      long f = 0;
      double scale = 1;
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fracStart = i;
        boolean overflow = false;
        while (i < s.length() && isDigit(s.charAt(i))) {
          if (!overflow) {
            if (Long.compareUnsigned(f, Long.divideUnsigned(-1L, 10)) > 0) {
              overflow = true;
            } else {
              long y = f * 10 + (s.charAt(i) - '0');
              if (Long.compareUnsigned(y, LIMIT) > 0) {
                overflow = true;
              } else {
                f = y;
                scale *= 10;
              }
            }
          }
          i++;
        }
        post = i > fracStart;
      }
      if (!pre && !post) throw invalid(orig);
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) i++;
      if (i == unitStart) throw BuiltinException.error("time: missing unit in duration " + quote(orig));
      String u = s.substring(unitStart, i);
      Long unit = UNITS.get(u);
      if (unit == null) throw BuiltinException.error("time: unknown unit " + quote(u) + " in duration " + quote(orig));
      if (Long.compareUnsigned(v, Long.divideUnsigned(LIMIT, unit)) > 0) throw invalid(orig);
      v *= unit;
      if (f > 0) {
        v += (long) ((double) f * ((double) unit / scale));
        if (Long.compareUnsigned(v, LIMIT) > 0) throw invalid(orig);
      }
      d += v;
      if (Long.compareUnsigned(d, LIMIT) > 0) throw invalid(orig);
    }
    if (neg) return -d;
    if (d == LIMIT) throw invalid(orig);
    return d;
  }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  private static BuiltinException invalid(String s) {
    return BuiltinException.error("time: invalid duration " + quote(s));
  }

  private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
