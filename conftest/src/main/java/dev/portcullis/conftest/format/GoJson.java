package dev.portcullis.conftest.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON the way Go's {@code encoding/json} does with an indent ({@code MarshalIndent}, {@code Encoder} with
 * {@code SetIndent}): {@code "key": value} separators, {@code {}} and {@code []} for empty containers, and HTML-safe
 * string escaping ({@code <}, {@code >}, {@code &} as {@code \u003c}...). OPA and conftest print through it, so
 * matching it byte for byte is what lets scripts written against those tools read ours.
 */
public final class GoJson {
  private GoJson() {}

  /** The value indented by {@code indent} per level, without a trailing newline. */
  public static String write(JsonNode node, String indent) {
    StringBuilder out = new StringBuilder();
    write(node, indent, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, String indent, int depth, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        newline(indent, depth + 1, out);
        string(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), indent, depth + 1, out);
        if (fields.hasNext()) out.append(',');
      }
      newline(indent, depth, out);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        newline(indent, depth + 1, out);
        write(node.get(i), indent, depth + 1, out);
        if (i + 1 < node.size()) out.append(',');
      }
      newline(indent, depth, out);
      out.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), out);
    } else if (node.isNumber()) {
      out.append(number(node));
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      string(node.asText(), out);
    }
  }

  private static void newline(String indent, int depth, StringBuilder out) {
    out.append('\n');
    out.append(indent.repeat(depth));
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) return node.bigIntegerValue().toString();
    BigDecimal d = node.decimalValue();
    if (d.signum() == 0) return "0";
    BigDecimal stripped = d.stripTrailingZeros();
    double abs = Math.abs(d.doubleValue());
    // Go switches to exponent form outside [1e-6, 1e21), as strconv.FormatFloat(f, 'g'-like) does for JSON.
    if (abs < 1e-6 || abs >= 1e21) {
      return goExponent(stripped);
    }
    return stripped.toPlainString();
  }

  private static String goExponent(BigDecimal d) {
    String unscaled = d.unscaledValue().abs().toString();
    int exponent = unscaled.length() - 1 - d.scale();
    String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
    String sign = d.signum() < 0 ? "-" : "";
    String expSign = exponent < 0 ? "-" : "+";
    int absExp = Math.abs(exponent);
    return sign + mantissa + "e" + expSign + (absExp < 10 ? "0" + absExp : Integer.toString(absExp));
  }

  /** A JSON string literal with Go's escaping. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder();
    string(s, out);
    return out.toString();
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
