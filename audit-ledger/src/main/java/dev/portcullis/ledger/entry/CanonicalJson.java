package dev.portcullis.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
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
      case NUMBER -> writeAscii(number(node), out);
      case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
      case NULL -> writeAscii("null", out);
      default -> throw new IllegalArgumentException("JSON value of type " + node.getNodeType() + " has no canonical form");
    }
  }

  /** Writes a string as JSON.stringify does: only ", \ and control characters are escaped; the rest is UTF-8. */
  static void writeString(String s, ByteSink out) {
    out.write('"');
    int plainStart = 0;
    boolean ascii = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        ascii = false;
        if (Character.isSurrogate(c)) {
          boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
          if (!paired) throw new IllegalArgumentException("string holds a lone UTF-16 surrogate at index " + i);
          i++;
        }
        continue;
      }
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      writePlain(s, plainStart, i, ascii, out);
      plainStart = i + 1;
      ascii = true;
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
    }
    writePlain(s, plainStart, s.length(), ascii, out);
    out.write('"');
  }

  /** Chars {@code from..to} of {@code s} in UTF-8; {@code ascii} says none is above 0x7f (the common case). */
  private static void writePlain(String s, int from, int to, boolean ascii, ByteSink out) {
    if (from >= to) return;
    if (ascii) out.writeAscii(s, from, to);
    else out.writeBytes(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
  }

  private static void writeAscii(String s, ByteSink out) {
    out.writeAscii(s, 0, s.length());
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      BigInteger v = node.bigIntegerValue();
      if (v.abs().compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0) {
        throw new IllegalArgumentException("integer " + v + " is beyond 2^53 and has no exact JSON number form; send it as a string");
      }
      return v.toString();
    }
    return ecmaScriptNumber(node.doubleValue());
  }

  /** ECMAScript Number::toString for a double: the shortest digits that round-trip, laid out by the spec's rules. */
  static String ecmaScriptNumber(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("NaN and infinities are not JSON");
    if (d == 0) return "0";
    if (d < 0) return "-" + ecmaScriptNumber(-d);
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
