package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import java.util.regex.Pattern;

/** {@code semver.is_valid} and {@code semver.compare}, with OPA's parser (a leading "v" is allowed). */
final class Semver {
  private Semver() {}

  private static final Pattern IDENTIFIERS = Pattern.compile("^[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*$");

  record Version(long major, long minor, long patch, String preRelease) {}

  static void register(BuiltinTable t) {
    t.register("semver.is_valid", 1,
        (ctx, a) -> BooleanValue.of(a[0] instanceof StringValue s && parse(s.value()) != null));
    t.register("semver.compare", 2, (ctx, a) -> {
      String sa = Args.string(a, 0), sb = Args.string(a, 1);
      Version va = parse(sa);
      if (va == null) throw invalid(1, a[0]);
      Version vb = parse(sb);
      if (vb == null) throw invalid(2, a[1]);
      return NumberValue.of(compare(va, vb));
    });
  }

  private static BuiltinException invalid(int operand, dev.portcullis.rego.value.Value s) {
    return BuiltinException.error("operand " + operand + ": string " + s + " is not a valid SemVer");
  }

  /** The version, or null when {@code s} is not one. */
  static Version parse(String s) {
    if (s.startsWith("v")) s = s.substring(1);
    int plus = s.indexOf('+');
    if (plus >= 0) {
      String meta = s.substring(plus + 1);
      s = s.substring(0, plus);
      if (!meta.isEmpty() && !IDENTIFIERS.matcher(meta).matches()) return null;
    }
    String pre = "";
    int dash = s.indexOf('-');
    if (dash >= 0) {
      pre = s.substring(dash + 1);
      s = s.substring(0, dash);
      if (!pre.isEmpty() && !IDENTIFIERS.matcher(pre).matches()) return null;
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 3) return null;
    try {
      return new Version(goInt(parts[0]), goInt(parts[1]), goInt(parts[2]), pre);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Go's {@code strconv.ParseInt(s, 10, 64)}: an optional sign, then ASCII digits only. */
  private static long goInt(String s) {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) throw new NumberFormatException(s);
    return Long.parseLong(s);
  }

  static int compare(Version a, Version b) {
    int c = Long.compare(a.major, b.major);
    if (c == 0) c = Long.compare(a.minor, b.minor);
    if (c == 0) c = Long.compare(a.patch, b.patch);
    if (c != 0) return Integer.signum(c);
    if (a.preRelease.equals(b.preRelease)) return 0;
    if (a.preRelease.isEmpty()) return 1;
    if (b.preRelease.isEmpty()) return -1;
    String[] pa = a.preRelease.split("\\.", -1), pb = b.preRelease.split("\\.", -1);
    for (int i = 0; ; i++) {
      if (i >= pa.length || i >= pb.length) return Integer.compare(pa.length, pb.length);
      String x = pa[i], y = pb[i];
      boolean xn = isNumeric(x), yn = isNumeric(y);
      if (xn != yn) return xn ? -1 : 1;
      if (xn) {
        c = new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) return Integer.signum(c);
    }
  }

  private static boolean isNumeric(String s) { return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9'); }
}
