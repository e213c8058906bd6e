package dev.portcullis.conftest.format;

/** Go's {@code time.Duration.String()}: {@code 0s}, {@code 512ns}, {@code 1.5µs}, {@code 1.234ms}, {@code 2m3.5s}. */
public final class GoDuration {
  private GoDuration() {}

  public static String format(long nanos) {
    if (nanos == 0) return "0s";
    String sign = nanos < 0 ? "-" : "";
    // Long.MIN_VALUE has no positive counterpart; Go prints it from the unsigned value, as we do here.
    long u = nanos == Long.MIN_VALUE ? Long.MIN_VALUE : Math.abs(nanos);
    if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
      if (u < 1_000L) return sign + u + "ns";
      if (u < 1_000_000L) return sign + fraction(u, 3) + "µs";
      return sign + fraction(u, 6) + "ms";
    }
    long seconds = Long.divideUnsigned(u, 1_000_000_000L);
    long frac = Long.remainderUnsigned(u, 1_000_000_000L);
    StringBuilder out = new StringBuilder();
    out.append(seconds % 60).append(fractionDigits(frac, 9)).append('s');
    long minutes = seconds / 60;
    if (minutes > 0) {
      out.insert(0, (minutes % 60) + "m");
      long hours = minutes / 60;
      if (hours > 0) out.insert(0, hours + "h");
    }
    return sign + out;
  }

  private static String fraction(long value, int digits) {
    long scale = (long) Math.pow(10, digits);
    return (value / scale) + fractionDigits(value % scale, digits);
  }

  /** {@code .5} for 500000000 of 9 digits; empty when the fraction is zero. */
  private static String fractionDigits(long frac, int digits) {
    if (frac == 0) return "";
    String s = String.format("%0" + digits + "d", frac);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') end--;
    return "." + s.substring(0, end);
  }
}
