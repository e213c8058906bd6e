package dev.portcullis.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) serialization of a Jackson tree: members sorted by UTF-16 code units, no whitespace, strings escaped
 * as ECMAScript's JSON.stringify does, numbers in ECMAScript's Number-to-string form. Values JCS cannot represent
 * (NaN, infinities, integers beyond 2^53, lone surrogates, binary) are refused rather than silently altered.
 */
public final class CanonicalJson {
  private static final long MAX_SAFE_INTEGER = (1L << 53);
  static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private CanonicalJson() {}

  public static byte[] serialize(JsonNode node) {
    ByteSink out = new ByteSink(256);
    write(node, out);
    return out.toByteArray();
  }

  static void write(JsonNode node, ByteSink out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) members.add(it.next());
        members.sort(Map.Entry.comparingByKey());
        out.write('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> m : members) {
          if (!first) out.write(',');
          first = false;
          writeString(m.getKey(), out);
          out.write(':');
          write(m.getValue(), out);
        }
        out.write('}');
      }
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) out.write(',');
          write(node.get(i), out);
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> out.writeAscii(number(node));
      case BOOLEAN -> out.writeAscii(node.booleanValue() ? "true" : "false");
      case NULL -> out.writeAscii("null");
      default -> throw new IllegalArgumentException("JSON value of type " + node.getNodeType() + " has no canonical form");
    }
  }

  /** Writes a string as JSON.stringify does: only ", \ and control characters are escaped; the rest is UTF-8. */
  static void writeString(String s, ByteSink out) {
    out.write('"');
    for (int i = out.writePlainAscii(s, 0); i < s.length(); i = out.writePlainAscii(s, i)) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        i = writeUtf8(s, i, out);
        continue;
      }
      out.write('\\');
      switch (c) {
        case '"' -> out.write('"');
        case '\\' -> out.write('\\');
        case '\b' -> out.write('b');
        case '\f' -> out.write('f');
        case '\n' -> out.write('n');
        case '\r' -> out.write('r');
        case '\t' -> out.write('t');
        default -> {
          out.write('u');
          out.write('0');
          out.write('0');
          out.write(HEX[c >> 4]);
          out.write(HEX[c & 0xf]);
        }
      }
      i++;
    }
    out.write('"');
  }

  /** Writes the non-ASCII character at {@code i} (a surrogate pair counts as one) in UTF-8; returns the index after it. */
  private static int writeUtf8(String s, int i, ByteSink out) {
    char c = s.charAt(i);
    if (c < 0x800) {
      out.write(0xc0 | c >> 6);
      out.write(0x80 | c & 0x3f);
      return i + 1;
    }
    if (!Character.isSurrogate(c)) {
      out.write(0xe0 | c >> 12);
      out.write(0x80 | c >> 6 & 0x3f);
      out.write(0x80 | c & 0x3f);
      return i + 1;
    }
    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    if (!paired) throw new IllegalArgumentException("string holds a lone UTF-16 surrogate at index " + i);
    int cp = Character.toCodePoint(c, s.charAt(i + 1));
    out.write(0xf0 | cp >> 18);
    out.write(0x80 | cp >> 12 & 0x3f);
    out.write(0x80 | cp >> 6 & 0x3f);
    out.write(0x80 | cp & 0x3f);
    return i + 2;
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      // canConvertToLong is false only for a BigInteger beyond the range of long, far beyond 2^53.
      long v = node.longValue();
      if (!node.canConvertToLong() || v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("integer " + node.bigIntegerValue() + " is beyond 2^53 and has no exact JSON"
            + " number form; send it as a string");
      }
      return Long.toString(v);
    }
    return ecmaScriptNumber(node.doubleValue());
  }

  /** ECMAScript Number::toString for a double: the shortest digits that round-trip, laid out by the spec's rules. */
  static String ecmaScriptNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("NaN and infinities are not JSON");
    if (d == 0) return "0";
    if (d < 0) return "-" + ecmaScriptNumber(-d);
    // Below 2^53 doubles are at most 1 apart: an integer's own digits are the shortest that round-trip.
    if (d < MAX_SAFE_INTEGER && d == Math.rint(d)) return Long.toString((long) d);
    String digits = null;
    int exponent = 0;
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal rounded = new BigDecimal(d).round(new java.math.MathContext(precision, java.math.RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == d) {
        BigDecimal stripped = rounded.stripTrailingZeros();
        digits = stripped.unscaledValue().toString();
        exponent = digits.length() - stripped.scale(); // value = 0.digits × 10^exponent
        break;
      }
    }
    int k = digits.length();
    int n = exponent;
    if (k <= n && n <= 21) return digits + "0".repeat(n - k);
    if (0 < n && n <= 21) return digits.substring(0, n) + "." + digits.substring(n);
    if (-6 < n && n <= 0) return "0." + "0".repeat(-n) + digits;
    String e = (n - 1 >= 0 ? "+" : "-") + Math.abs(n - 1);
    return k == 1 ? digits + "e" + e : digits.charAt(0) + "." + digits.substring(1) + "e" + e;
  }
}
