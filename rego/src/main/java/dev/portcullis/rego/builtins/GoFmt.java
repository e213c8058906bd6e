package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} over the operands OPA hands it: integers as {@code int} or {@code *big.Int}, other
 * numbers as {@code float64}, strings as strings and every other value as its Rego text ({@link #regoText}).
 */
final class GoFmt {
  private GoFmt() {}

  /** One sprintf operand, typed as OPA converts it before calling Go's fmt. */
  private sealed interface Arg permits IntArg, FloatArg, StrArg {}

  private record IntArg(BigInteger value, boolean big) implements Arg {}

  private record FloatArg(double value) implements Arg {}

  private record StrArg(String value) implements Arg {}

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private static Arg toArg(Value v) {
    if (v instanceof StringValue s) return new StrArg(s.value());
    if (v instanceof NumberValue n) {
      BigDecimal d = n.bigDecimal();
      if (d.scale() == 0) {
        BigInteger i = d.unscaledValue();
        return new IntArg(i, i.compareTo(LONG_MIN) < 0 || i.compareTo(LONG_MAX) > 0);
      }
      double f = d.doubleValue();
      if (Double.isInfinite(f)) return new StrArg(numberText(n));
      return new FloatArg(f);
    }
    return new StrArg(regoText(v));
  }

  static String sprintf(String format, List<Value> values) {
    Arg[] args = new Arg[values.size()];
    for (int i = 0; i < args.length; i++) args[i] = toArg(values.get(i));
    StringBuilder out = new StringBuilder(format.length() + 16);
    int argNum = 0;
    boolean reordered = false;
    int n = format.length();
    int i = 0;
    while (i < n) {
      int pct = format.indexOf('%', i);
      if (pct < 0) {
        out.append(format, i, n);
        break;
      }
      out.append(format, i, pct);
      i = pct + 1;
      Spec s = new Spec();
      // flags
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '#') s.sharp = true;
        else if (f == '0') s.zero = true;
        else if (f == '+') s.plus = true;
        else if (f == '-') s.minus = true;
        else if (f == ' ') s.space = true;
        else break;
      }
      // argument index, width
      int[] idx = argIndex(format, i, argNum, args.length);
      if (idx != null) {
        i = idx[0];
        reordered = true;
        if (idx[2] == 0) s.badIndex = true; else argNum = idx[1];
      }
      if (i < n && format.charAt(i) == '*') {
        i++;
        if (argNum < args.length && args[argNum] instanceof IntArg w && !w.big) {
          s.wid = w.value.intValue();
          s.widPresent = true;
          if (s.wid < 0) { s.minus = true; s.wid = -s.wid; }
        } else {
          out.append("%!(BADWIDTH)");
        }
        argNum++;
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) i++;
        if (i > start) { s.wid = Integer.parseInt(format.substring(start, Math.min(i, start + 6))); s.widPresent = true; }
      }
      // precision
      if (i < n && format.charAt(i) == '.') {
        i++;
        idx = argIndex(format, i, argNum, args.length);
        if (idx != null) {
          i = idx[0];
          reordered = true;
          if (idx[2] == 0) s.badIndex = true; else argNum = idx[1];
        }
        if (i < n && format.charAt(i) == '*') {
          i++;
          if (argNum < args.length && args[argNum] instanceof IntArg p && !p.big && p.value.signum() >= 0) {
            s.prec = p.value.intValue();
            s.precPresent = true;
          } else {
            out.append("%!(BADPREC)");
          }
          argNum++;
        } else {
          int start = i;
          while (i < n && Character.isDigit(format.charAt(i))) i++;
          s.prec = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 6))) : 0;
          s.precPresent = true;
        }
      }
      idx = argIndex(format, i, argNum, args.length);
      if (idx != null) {
        i = idx[0];
        reordered = true;
        if (idx[2] == 0) s.badIndex = true; else argNum = idx[1];
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (s.minus) s.zero = false;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (s.badIndex) {
        out.append("%!").appendCodePoint(verb).append("(BADINDEX)");
        continue;
      }
      if (argNum >= args.length) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        continue;
      }
      format(out, s, verb, args[argNum++]);
    }
    if (!reordered && argNum < args.length) {
      out.append("%!(EXTRA ");
      for (int k = argNum; k < args.length; k++) {
        if (k > argNum) out.append(", ");
        out.append(typeName(args[k])).append('=');
        format(out, new Spec(), 'v', args[k]);
      }
      out.append(')');
    }
    return out.toString();
  }

  /** Parses {@code [n]} at {@code i}: returns {end, newArgNum, ok} or null when there is no bracket. */
  private static int[] argIndex(String format, int i, int argNum, int numArgs) {
    if (i >= format.length() || format.charAt(i) != '[') return null;
    int close = format.indexOf(']', i);
    if (close < 0) return new int[] {format.length(), argNum, 0};
    try {
      int index = Integer.parseInt(format.substring(i + 1, close));
      if (index < 1 || index > numArgs) return new int[] {close + 1, argNum, 0};
      return new int[] {close + 1, index - 1, 1};
    } catch (NumberFormatException e) {
      return new int[] {close + 1, argNum, 0};
    }
  }

  private static final class Spec {
    boolean sharp, zero, plus, minus, space, widPresent, precPresent, badIndex;
    int wid, prec;
  }

  private static String typeName(Arg a) {
    if (a instanceof IntArg i) return i.big ? "*big.Int" : "int";
    if (a instanceof FloatArg) return "float64";
    return "string";
  }

  private static void format(StringBuilder out, Spec s, int verb, Arg arg) {
    if (verb == 'T') {
      pad(out, s, typeName(arg));
      return;
    }
    if (arg instanceof IntArg i) {
      formatInt(out, s, verb, i);
    } else if (arg instanceof FloatArg f) {
      formatFloat(out, s, verb, f.value);
    } else {
      formatString(out, s, verb, ((StrArg) arg).value, arg);
    }
  }

  private static void badVerb(StringBuilder out, int verb, Arg arg) {
    // *big.Int formats itself and names its type without the pointer.
    String type = arg instanceof IntArg i && i.big ? "big.Int" : typeName(arg);
    out.append("%!").appendCodePoint(verb).append('(').append(type).append('=');
    format(out, new Spec(), 'v', arg);
    out.append(')');
  }

  private static void formatInt(StringBuilder out, Spec s, int verb, IntArg arg) {
    BigInteger v = arg.value;
    switch (verb) {
      case 'v', 'd', 's' -> {
        if (verb == 's' && !arg.big) { badVerb(out, verb, arg); return; }
        integer(out, s, v, 10, false, verb);
      }
      case 'b' -> integer(out, s, v, 2, false, verb);
      case 'o', 'O' -> integer(out, s, v, 8, false, verb);
      case 'x' -> integer(out, s, v, 16, false, verb);
      case 'X' -> integer(out, s, v, 16, true, verb);
      case 'c' -> {
        if (arg.big) { badVerb(out, verb, arg); return; }
        pad(out, s, new String(Character.toChars(rune(v))));
      }
      case 'q' -> {
        if (arg.big) { badVerb(out, verb, arg); return; }
        pad(out, s, quoteRune(rune(v), s.plus));
      }
      case 'U' -> {
        if (arg.big) { badVerb(out, verb, arg); return; }
        StringBuilder u = new StringBuilder("U+");
        String hex = v.toString(16).toUpperCase(java.util.Locale.ROOT);
        for (int k = hex.length(); k < Math.max(4, s.precPresent ? s.prec : 0); k++) u.append('0');
        u.append(hex);
        int r = rune(v);
        if (s.sharp && v.signum() >= 0 && v.bitLength() < 32 && Character.isValidCodePoint(r) && isPrint(r)) {
          u.append(" '").appendCodePoint(r).append('\'');
        }
        pad(out, s, u.toString());
      }
      default -> badVerb(out, verb, arg);
    }
  }

  private static int rune(BigInteger v) {
    if (v.bitLength() > 31 || v.signum() < 0) return 0xFFFD;
    int r = v.intValue();
    return Character.isValidCodePoint(r) && !(r >= 0xD800 && r <= 0xDFFF) ? r : 0xFFFD;
  }

  private static void integer(StringBuilder out, Spec s, BigInteger v, int base, boolean upper, int verb) {
    boolean negative = v.signum() < 0;
    String digits = v.abs().toString(base);
    if (upper) digits = digits.toUpperCase(java.util.Locale.ROOT);
    if (s.precPresent && s.prec == 0 && v.signum() == 0) {
      // Go prints nothing for a zero value with precision 0, just the padding.
      padSpaces(out, s, "");
      return;
    }
    int prec = -1;
    if (s.precPresent) {
      prec = s.prec;
    } else if (s.zero && s.widPresent && !s.minus) {
      prec = s.wid;
      if (negative || s.plus || s.space) prec--;
    }
    StringBuilder num = new StringBuilder();
    for (int k = digits.length(); k < prec; k++) num.append('0');
    num.append(digits);
    String prefix = "";
    if (s.sharp) {
      switch (base) {
        case 2 -> prefix = "0b";
        case 8 -> { if (num.charAt(0) != '0') prefix = "0"; }
        case 16 -> prefix = upper ? "0X" : "0x";
        default -> {}
      }
    }
    if (verb == 'O') prefix = "0o";
    String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    String text = sign + prefix + num;
    // Zero padding was already applied through the precision, so pad what is left with spaces.
    padSpaces(out, s, text);
  }

  private static void formatFloat(StringBuilder out, Spec s, int verb, double v) {
    String body;
    switch (verb) {
      case 'v', 'g', 'G' -> body = formatG(Math.abs(v), s.precPresent ? s.prec : -1, verb == 'G');
      case 'e', 'E' -> body = formatE(Math.abs(v), s.precPresent ? s.prec : 6, verb == 'E');
      case 'f', 'F' -> body = formatF(Math.abs(v), s.precPresent ? s.prec : 6);
      default -> {
        badVerb(out, verb, new FloatArg(v));
        return;
      }
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    String sign = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    if (s.zero && s.widPresent && !s.minus) {
      StringBuilder t = new StringBuilder(sign);
      for (int k = sign.length() + body.length(); k < s.wid; k++) t.append('0');
      out.append(t).append(body);
      return;
    }
    padSpaces(out, s, sign + body);
  }

  /** Shortest decimal digits of {@code v} (non-negative, finite), unscaled, and the decimal point position. */
  private static BigDecimal shortestDigits(double v) {
    // Java 17's Double.toString is not always the shortest round trip, so search for it as Go does.
    BigDecimal exact = new BigDecimal(v);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal d = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (d.doubleValue() == v) return d.stripTrailingZeros();
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static String formatF(double v, int prec) {
    return new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String formatE(double v, int prec, boolean upper) {
    BigDecimal d = v == 0 ? BigDecimal.ZERO : new BigDecimal(v).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
    return eNotation(d, prec, upper);
  }

  /** Writes {@code d} as d.ddde±XX with {@code prec} digits after the point. */
  private static String eNotation(BigDecimal d, int prec, boolean upper) {
    String digits;
    int exp;
    if (d.signum() == 0) {
      digits = "0";
      exp = 0;
    } else {
      digits = d.unscaledValue().abs().toString();
      exp = digits.length() - 1 - d.scale();
    }
    StringBuilder sb = new StringBuilder();
    sb.append(digits.charAt(0));
    if (prec > 0) {
      sb.append('.');
      for (int k = 1; k <= prec; k++) sb.append(k < digits.length() ? digits.charAt(k) : '0');
    }
    sb.append(upper ? 'E' : 'e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) sb.append('0');
    sb.append(ae);
    return sb.toString();
  }

  private static String formatG(double v, int prec, boolean upper) {
    BigDecimal digs;
    boolean shortest = prec < 0;
    if (v == 0) {
      digs = BigDecimal.ZERO;
    } else if (shortest) {
      digs = shortestDigits(v);
    } else {
      if (prec == 0) prec = 1;
      digs = new BigDecimal(v).round(new MathContext(prec, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
    String digits = digs.signum() == 0 ? "0" : digs.unscaledValue().toString();
    int nd = digits.length();
    int dp = digs.signum() == 0 ? 1 : nd - digs.scale();
    int eprec = prec;
    if (shortest) {
      eprec = 6;
      prec = nd;
    } else if (eprec > nd && nd >= dp) {
      eprec = nd;
    }
    int exp = dp - 1;
    if (exp < -4 || exp >= eprec) {
      int p = Math.min(prec, nd);
      return eNotation(digs, p - 1, upper);
    }
    int p = prec > dp ? nd : prec;
    return digs.setScale(Math.max(p - dp, 0), RoundingMode.HALF_EVEN).toPlainString();
  }

  private static void formatString(StringBuilder out, Spec s, int verb, String v, Arg arg) {
    switch (verb) {
      case 'v', 's' -> pad(out, s, truncate(v, s));
      case 'q' -> pad(out, s, s.sharp && canBackquote(v) ? "`" + v + "`" : quote(truncate(v, s), s.plus));
      case 'x', 'X' -> {
        byte[] bytes = truncate(v, s).getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder();
        String digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
        for (int k = 0; k < bytes.length; k++) {
          if (s.space && k > 0) h.append(' ');
          if (s.sharp && (s.space || k == 0)) h.append(verb == 'x' ? "0x" : "0X");
          h.append(digits.charAt((bytes[k] >> 4) & 0xF)).append(digits.charAt(bytes[k] & 0xF));
        }
        pad(out, s, h.toString());
      }
      default -> badVerb(out, verb, arg);
    }
  }

  private static String truncate(String v, Spec s) {
    if (!s.precPresent) return v;
    int cps = v.codePointCount(0, v.length());
    return cps <= s.prec ? v : v.substring(0, v.offsetByCodePoints(0, s.prec));
  }

  private static boolean canBackquote(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '`' || c == '\uFEFF' || (c < ' ' && c != '\t') || c == 0x7F) return false;
    }
    return true;
  }

  /** Pads to the width with spaces, or zeros when the 0 flag is set (Go pads strings with zeros too). */
  private static void pad(StringBuilder out, Spec s, String text) {
    int len = text.codePointCount(0, text.length());
    if (!s.widPresent || len >= s.wid) {
      out.append(text);
      return;
    }
    char fill = s.zero && !s.minus ? '0' : ' ';
    if (s.minus) {
      out.append(text);
      for (int k = len; k < s.wid; k++) out.append(' ');
    } else {
      for (int k = len; k < s.wid; k++) out.append(fill);
      out.append(text);
    }
  }

  private static void padSpaces(StringBuilder out, Spec s, String text) {
    boolean zero = s.zero;
    s.zero = false;
    pad(out, s, text);
    s.zero = zero;
  }

  /** OPA's text of a value ({@code ast.Value.String()}), used for sprintf operands that are not strings or numbers. */
  static String regoText(Value v) {
    StringBuilder sb = new StringBuilder();
    Values.writeRego(v, sb, (scalar, out) -> {
      if (scalar instanceof StringValue s) out.append(quote(s.value(), false));
      else if (scalar instanceof NumberValue n) out.append(numberText(n));
      else out.append(scalar);
    });
    return sb.toString();
  }

  /** A number as OPA writes it: integers plainly, exponent forms as Go's JSON numbers read them. */
  static String numberText(NumberValue n) {
    BigDecimal d = n.bigDecimal();
    if (d.scale() < 0) return d.unscaledValue() + "e" + (-d.scale());
    // Tiny numbers keep an exponent rather than spell out their leading zeros.
    if (d.scale() - d.precision() > 20) return d.toString().replace("E", "e");
    return d.toPlainString();
  }

  /** Go's {@code strconv.Quote} ({@code QuoteToASCII} when {@code ascii}). */
  static String quote(String s, boolean ascii) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
      appendEscaped(sb, c, '"', ascii);
    }
    return sb.append('"').toString();
  }

  private static String quoteRune(int r, boolean ascii) {
    StringBuilder sb = new StringBuilder("'");
    appendEscaped(sb, r, '\'', ascii);
    return sb.append('\'').toString();
  }

  private static void appendEscaped(StringBuilder sb, int c, char quote, boolean ascii) {
    if (c == quote || c == '\\') {
      sb.append('\\').appendCodePoint(c);
      return;
    }
    if (ascii ? c < 0x7F && isPrint(c) : isPrint(c)) {
      sb.appendCodePoint(c);
      return;
    }
    switch (c) {
      case 7 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0B -> sb.append("\\v");
      default -> {
        if (c < ' ' || c == 0x7F) sb.append(String.format("\\x%02x", c));
        else if (c < 0x10000) sb.append(String.format("\\u%04x", c));
        else sb.append(String.format("\\U%08x", c));
      }
    }
  }

  /** Approximates Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  private static boolean isPrint(int c) {
    if (c == ' ') return true;
    if (c < ' ' || c == 0x7F) return false;
    return switch (Character.getType(c)) {
      case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
          Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
