package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * YAML text as OPA's {@code yaml.marshal} writes it: the value goes through JSON into go-yaml v2, so numbers are
 * re-read as ints or float64, keys sort in go-yaml's natural order, and each string takes the first style go-yaml
 * allows (plain, single-quoted, literal block, double-quoted).
 */
final class GoYaml {
  private GoYaml() {}

  private static final Set<String> RESERVED = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no",
      "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL",
      "", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<");
  private static final Pattern FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  private static final Pattern BASE60 = Pattern.compile("^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$");
  private static final Pattern INT = Pattern.compile("^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]*)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$");

  static String marshal(Value v) {
    StringBuilder sb = new StringBuilder();
    if (isCollection(v) && !isEmpty(v)) {
      if (v instanceof ObjectValue o) map(o, 0, false, sb); else seq(elements(v), 0, false, sb);
    } else {
      sb.append(scalar(v, 0, false)).append('\n');
    }
    return sb.toString();
  }

  private static boolean isCollection(Value v) {
    return v instanceof ObjectValue || v instanceof ArrayValue || v instanceof SetValue;
  }

  private static boolean isEmpty(Value v) {
    if (v instanceof ObjectValue o) return o.size() == 0;
    return elements(v).isEmpty();
  }

  private static List<Value> elements(Value v) {
    return v instanceof ArrayValue a ? a.elements() : ((SetValue) v).sorted();
  }

  private static void map(ObjectValue o, int indent, boolean inline, StringBuilder sb) {
    List<Map.Entry<String, Value>> entries = new ArrayList<>();
    for (Value k : o.keys()) entries.add(Map.entry(k instanceof StringValue s ? s.value() : Values.toJson(k), o.get(k)));
    entries.sort((a, b) -> naturalLess(a.getKey(), b.getKey()) ? -1 : naturalLess(b.getKey(), a.getKey()) ? 1 : 0);
    boolean first = true;
    for (Map.Entry<String, Value> e : entries) {
      if (!first || !inline) sb.append(" ".repeat(indent));
      first = false;
      sb.append(string(e.getKey(), indent, true)).append(':');
      child(e.getValue(), indent, true, sb);
    }
  }

  private static void seq(List<Value> items, int indent, boolean inline, StringBuilder sb) {
    boolean first = true;
    for (Value item : items) {
      if (!first || !inline) sb.append(" ".repeat(indent));
      first = false;
      sb.append('-');
      child(item, indent, false, sb);
    }
  }

  /** A mapping value or sequence item; go-yaml does not indent a sequence that is a mapping value. */
  private static void child(Value v, int indent, boolean inMap, StringBuilder sb) {
    if (!isCollection(v) || isEmpty(v)) {
      sb.append(' ').append(scalar(v, indent + 2, false)).append('\n');
    } else if (v instanceof ObjectValue o) {
      if (inMap) {
        sb.append('\n');
        map(o, indent + 2, false, sb);
      } else {
        sb.append(' ');
        map(o, indent + 2, true, sb);
      }
    } else if (inMap) {
      sb.append('\n');
      seq(elements(v), indent, false, sb);
    } else {
      sb.append(' ');
      seq(elements(v), indent + 2, true, sb);
    }
  }

  private static String scalar(Value v, int blockIndent, boolean key) {
    if (v instanceof NullValue) return "null";
    if (v instanceof BooleanValue b) return Boolean.toString(b.value());
    if (v instanceof NumberValue n) return number(Values.toJson(n));
    if (v instanceof StringValue s) return string(s.value(), blockIndent, key);
    return v instanceof ObjectValue ? "{}" : "[]";
  }

  /** A JSON number as go-yaml re-reads it: an int when it fits 64 bits, else a float64 printed with %g. */
  static String number(String text) {
    try {
      BigInteger i = new BigInteger(text);
      if (i.bitLength() < 64 || (i.signum() > 0 && i.bitLength() == 64)) return i.toString();
    } catch (NumberFormatException e) {
      // not an integer literal: go-yaml reads it as a float
    }
    return goFloat(Double.parseDouble(text));
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} as go-yaml writes floats. */
  static String goFloat(double f) {
    if (Double.isNaN(f)) return ".nan";
    if (Double.isInfinite(f)) return f > 0 ? ".inf" : "-.inf";
    if (f == 0) return (1 / f < 0) ? "-0" : "0";
    BigDecimal exact = new BigDecimal(f);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == f) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - shortest.scale();
    String sign = f < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
      String e = Integer.toString(Math.abs(exp));
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
    return sign + shortest.abs().toPlainString();
  }

  /** Whether go-yaml would read the plain text {@code s} as something other than a string. */
  private static boolean resolvesToNonString(String s) {
    if (RESERVED.contains(s)) return true;
    char c = s.charAt(0);
    if (!(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
    String plain = s.replace("_", "");
    if (INT.matcher(plain).matches() || FLOAT.matcher(plain).matches()) return true;
    return c >= '0' && c <= '9' && TIMESTAMP.matcher(s).matches();
  }

  /** go-yaml asks for literal style on multi-line text, plain when the text reads back as a string, else double
   * quotes; the emitter then falls back to single and double quotes when the requested style cannot carry it. */
  private static String string(String s, int blockIndent, boolean key) {
    Analysis a = analyze(s);
    if (s.contains("\n")) return a.blockAllowed && !key ? literal(s, blockIndent) : doubleQuoted(s);
    if (resolvesToNonString(s) || BASE60.matcher(s).matches()) return doubleQuoted(s);
    if (a.blockPlainAllowed && !(s.isEmpty() && key)) return s;
    if (a.singleQuotedAllowed) return "'" + s.replace("'", "''") + "'";
    return doubleQuoted(s);
  }

  private record Analysis(boolean blockPlainAllowed, boolean singleQuotedAllowed, boolean blockAllowed) {}

  /** go-yaml's scalar analysis: which styles can carry the text unchanged. */
  private static Analysis analyze(String s) {
    if (s.isEmpty()) return new Analysis(true, true, false);
    boolean blockIndicators = s.startsWith("---") || s.startsWith("...");
    boolean leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
    boolean breakSpace = false, spaceBreak = false, special = false, lineBreaks = false;
    boolean prevSpace = false, prevBreak = false, precededByWhitespace = true;
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
      if (i == 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) blockIndicators = true;
        if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) blockIndicators = true;
      } else {
        if (c == ':' && followedByWhitespace) blockIndicators = true;
        if (c == '#' && precededByWhitespace) blockIndicators = true;
      }
      if (!printable(c)) special = true;
      if (c == ' ') {
        if (i == 0) leadingSpace = true;
        if (i == cps.length - 1) trailingSpace = true;
        if (prevBreak) breakSpace = true;
        prevSpace = true;
        prevBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i == 0) leadingBreak = true;
        if (i == cps.length - 1) trailingBreak = true;
        if (prevSpace) spaceBreak = true;
        prevSpace = false;
        prevBreak = true;
      } else {
        prevSpace = false;
        prevBreak = false;
      }
      precededByWhitespace = isBlank(c);
    }
    boolean plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak
        || special || lineBreaks || blockIndicators);
    boolean single = !(breakSpace || spaceBreak || special);
    boolean block = !(trailingSpace || spaceBreak || special);
    return new Analysis(plain, single, block);
  }

  private static boolean isBreak(int c) { return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029; }

  private static boolean isBlank(int c) { return c == ' ' || c == '\t' || isBreak(c) || c == 0; }

  private static boolean printable(int c) {
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
  }

  private static String literal(String s, int indent) {
    int trailing = 0;
    while (trailing < s.length() && s.charAt(s.length() - 1 - trailing) == '\n') trailing++;
    StringBuilder sb = new StringBuilder("|");
    if (s.startsWith(" ") || s.startsWith("\n")) sb.append('2');
    sb.append(trailing == 0 ? "-" : trailing == 1 ? "" : "+");
    String body = s.substring(0, s.length() - trailing);
    String pad = " ".repeat(Math.max(indent, 2));
    for (String line : body.split("\n", -1)) {
      sb.append('\n');
      if (!line.isEmpty()) sb.append(pad).append(line);
    }
    for (int i = 1; i < trailing; i++) sb.append('\n');
    return sb.toString();
  }

  private static String doubleQuoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case 0 -> sb.append("\\0");
        case 0x07 -> sb.append("\\a");
        case 0x08 -> sb.append("\\b");
        case 0x09 -> sb.append("\\t");
        case 0x0A -> sb.append("\\n");
        case 0x0B -> sb.append("\\v");
        case 0x0C -> sb.append("\\f");
        case 0x0D -> sb.append("\\r");
        case 0x1B -> sb.append("\\e");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x85 -> sb.append("\\N");
        case 0xA0 -> sb.append("\\_");
        case 0x2028 -> sb.append("\\L");
        case 0x2029 -> sb.append("\\P");
        default -> {
          if (printable(c)) sb.appendCodePoint(c);
          else if (c <= 0xFF) sb.append(String.format("\\x%02X", c));
          else if (c <= 0xFFFF) sb.append(String.format("\\u%04X", c));
          else sb.append(String.format("\\U%08X", c));
        }
      }
    });
    return sb.append('"').toString();
  }

  /** go-yaml's key order: runs of digits compare as numbers, letters after other characters. */
  static boolean naturalLess(String a, String b) {
    int[] ar = a.codePoints().toArray(), br = b.codePoints().toArray();
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) continue;
      boolean al = Character.isLetter(ar[i]), bl = Character.isLetter(br[i]);
      if (al && bl) return ar[i] < br[i];
      if (al || bl) return bl;
      long an = 0, bn = 0;
      if (ar[i] == '0' || br[i] == '0') {
        for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
          if (ar[j] != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai = i, bi = i;
      for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai] - '0');
      for (; bi < br.length && Character.isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi] - '0');
      if (an != bn) return an < bn;
      if (ai != bi) return ai < bi;
      return ar[i] < br[i];
    }
    return ar.length < br.length;
  }
}
