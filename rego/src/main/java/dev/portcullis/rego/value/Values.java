package dev.portcullis.rego.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Canonical ordering and JSON conversion of values. */
public final class Values {
  private Values() {}

  /** {@link #compare} as a comparator, for sorting without a virtual compareTo call per comparison. */
  public static final java.util.Comparator<Value> ORDER = Values::compare;

  /** OPA's total order ({@code ast.Compare}). */
  public static int compare(Value a, Value b) {
    if (a == b) return 0;
    // strings are what sorting mostly compares: skip the type ranks, an interface call each
    if (a instanceof StringValue x && b instanceof StringValue y) return compareUtf8(x.value(), y.value());
    int rank = Integer.compare(a.typeRank(), b.typeRank());
    if (rank != 0) return rank;
    if (a instanceof BooleanValue x) return Boolean.compare(x.value(), ((BooleanValue) b).value());
    if (a instanceof NumberValue x) return x.bigDecimal().compareTo(((NumberValue) b).bigDecimal());
    if (a instanceof StringValue x) return compareUtf8(x.value(), ((StringValue) b).value());
    if (a instanceof ArrayValue x) return compareLists(x.elements(), ((ArrayValue) b).elements());
    if (a instanceof ObjectValue x) return compareObjects(x, (ObjectValue) b);
    if (a instanceof SetValue x) return compareLists(x.sorted(), ((SetValue) b).sorted());
    return 0;
  }

  /** Strings order by their UTF-8 bytes, as Go compares strings; this equals code-point order. */
  private static int compareUtf8(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int d = 0;
    while (d < n && a.charAt(d) == b.charAt(d)) d++;
    if (d == n) return Integer.compare(a.length(), b.length());
    char x = a.charAt(d), y = b.charAt(d);
    // below the surrogates, UTF-16 units order as code points do
    if (x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE) return Integer.compare(x, y);
    int i = 0, j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i), cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  private static int compareLists(List<Value> a, List<Value> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareObjects(ObjectValue a, ObjectValue b) {
    ObjectValue.Sorted sa = a.sorted(), sb = b.sorted();
    Value[] ka = sa.keys, kb = sb.keys;
    int n = Math.min(ka.length, kb.length);
    for (int i = 0; i < n; i++) {
      int c = compare(ka[i], kb[i]);
      if (c != 0) return c;
      c = compare(sa.values[i], sb.values[i]);
      if (c != 0) return c;
    }
    return Integer.compare(ka.length, kb.length);
  }

  /**
   * Sorts values in canonical order: an insertion sort for the few keys of most objects and the few members of most
   * sets, which costs fewer comparisons and no merge-sort setup; larger arrays go to {@link Arrays#sort}.
   */
  static void sortSmall(Value[] vs) {
    if (vs.length > 16) java.util.Arrays.sort(vs, ORDER);
    else sortSmall(vs, null);
  }

  /** Insertion sort of keys in canonical order, moving each key's value (unless values is null) along with it. */
  static void sortSmall(Value[] keys, Value[] values) {
    for (int i = 1; i < keys.length; i++) {
      Value k = keys[i];
      Value v = values == null ? null : values[i];
      int j = i - 1;
      while (j >= 0 && compare(keys[j], k) > 0) {
        keys[j + 1] = keys[j];
        if (values != null) values[j + 1] = values[j];
        j--;
      }
      keys[j + 1] = k;
      if (values != null) values[j + 1] = v;
    }
  }

  /** Converts a JSON document into a value; object keys become strings. */
  public static Value fromJson(JsonNode node) {
    return fromJson(node, false);
  }

  /** As {@link #fromJson}, for a bundle's data: its object keys are {@link StringValue#canonical canonical}. */
  public static Value fromBundleJson(JsonNode node) {
    return fromJson(node, true);
  }

  private static Value fromJson(JsonNode node, boolean canonicalKeys) {
    if (node == null || node.isNull() || node.isMissingNode()) return NullValue.INSTANCE;
    if (node.isBoolean()) return BooleanValue.of(node.booleanValue());
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? NumberValue.of(node.longValue()) : NumberValue.of(node.bigIntegerValue());
    }
    if (node.isNumber()) return NumberValue.of(node.decimalValue());
    if (node.isTextual()) return StringValue.of(node.textValue());
    if (node.isArray()) {
      List<Value> out = new ArrayList<>(node.size());
      for (JsonNode e : node) out.add(fromJson(e, canonicalKeys));
      return new ArrayValue(out);
    }
    if (node.isObject()) {
      // a JSON object's field names are distinct
      Value[] keys = new Value[node.size()];
      Value[] values = new Value[keys.length];
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      for (int i = 0; i < keys.length; i++) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        keys[i] = canonicalKeys ? StringValue.canonical(key) : StringValue.of(key);
        values[i] = fromJson(e.getValue(), canonicalKeys);
      }
      return ObjectValue.wrapDistinct(keys, values);
    }
    if (node.isBinary()) return StringValue.of(java.util.Base64.getEncoder().encodeToString(binary(node)));
    return StringValue.of(node.asText());
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      return new byte[0];
    }
  }

  /**
   * Converts a value into JSON as OPA serializes results: sets become arrays in canonical order and non-string
   * object keys become their compact JSON text.
   */
  public static JsonNode toJsonNode(Value v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v instanceof NullValue) return f.nullNode();
    if (v instanceof BooleanValue b) return f.booleanNode(b.value());
    if (v instanceof NumberValue n) return numberNode(n.bigDecimal());
    if (v instanceof StringValue s) return f.textNode(s.value());
    if (v instanceof ArrayValue a) {
      ArrayNode out = f.arrayNode(a.size());
      for (int i = 0; i < a.size(); i++) out.add(toJsonNode(a.get(i)));
      return out;
    }
    if (v instanceof SetValue s) {
      ArrayNode out = f.arrayNode(s.size());
      for (Value e : s.sorted()) out.add(toJsonNode(e));
      return out;
    }
    ObjectValue o = (ObjectValue) v;
    ObjectValue.Sorted sorted = o.sorted();
    Value[] keys = sorted.keys;
    Map<String, JsonNode> fields = new LinkedHashMap<>((int) (keys.length / 0.75f) + 1);
    for (int i = 0; i < keys.length; i++) {
      Value k = keys[i];
      fields.put(k instanceof StringValue s ? s.value() : toJson(k), toJsonNode(sorted.values[i]));
    }
    return new ObjectNode(f, fields);
  }

  private static JsonNode numberNode(BigDecimal d) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (d.scale() <= 0) {
      try {
        return f.numberNode(d.longValueExact());
      } catch (ArithmeticException e) {
        return f.numberNode(d.toBigIntegerExact());
      }
    }
    return f.numberNode(d);
  }

  /** Compact JSON text of a value, as {@link #toJsonNode} would serialize it. */
  public static String toJson(Value v) {
    StringBuilder sb = new StringBuilder();
    writeJson(v, sb);
    return sb.toString();
  }

  private static void writeJson(Value v, StringBuilder sb) {
    if (v instanceof StringValue s) {
      quote(s.value(), sb);
    } else if (v instanceof ArrayValue a) {
      writeList(a.elements(), sb);
    } else if (v instanceof SetValue s) {
      writeList(s.sorted(), sb);
    } else if (v instanceof ObjectValue o) {
      sb.append('{');
      boolean first = true;
      for (Value k : o.keys()) {
        if (!first) sb.append(',');
        first = false;
        if (k instanceof StringValue s) quote(s.value(), sb); else quote(toJson(k), sb);
        sb.append(':');
        writeJson(o.get(k), sb);
      }
      sb.append('}');
    } else {
      sb.append(v.toString());
    }
  }

  private static void writeList(List<Value> list, StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) sb.append(',');
      writeJson(list.get(i), sb);
    }
    sb.append(']');
  }

  /** Appends a JSON string literal, escaping as Go's encoding/json does (including &lt;, &gt; and &amp;). */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  /**
   * A value as Rego source text, as OPA prints terms ({@code print}, template strings): strings quoted, sets as
   * {@code {1, 2}} or {@code set()}, elements separated by ", ".
   */
  public static String toRego(Value v) {
    StringBuilder sb = new StringBuilder();
    writeRego(v, sb, (scalar, out) -> {
      if (scalar instanceof StringValue s) goQuote(s.value(), out); else out.append(scalar.toString());
    });
    return sb.toString();
  }

  /**
   * Writes a value as Rego source text: arrays, sets and objects in the form {@link #toRego} describes, every other
   * value (strings, numbers, ...) as {@code scalar} writes it, since callers differ in how they print those.
   */
  public static void writeRego(Value v, StringBuilder sb, BiConsumer<Value, StringBuilder> scalar) {
    if (v instanceof ArrayValue a) {
      sb.append('[');
      writeRegoList(a.elements(), sb, scalar);
      sb.append(']');
    } else if (v instanceof SetValue s) {
      if (s.size() == 0) {
        sb.append("set()");
        return;
      }
      sb.append('{');
      writeRegoList(s.sorted(), sb, scalar);
      sb.append('}');
    } else if (v instanceof ObjectValue o) {
      sb.append('{');
      boolean first = true;
      for (Value k : o.keys()) {
        if (!first) sb.append(", ");
        first = false;
        writeRego(k, sb, scalar);
        sb.append(": ");
        writeRego(o.get(k), sb, scalar);
      }
      sb.append('}');
    } else {
      scalar.accept(v, sb);
    }
  }

  private static void writeRegoList(List<Value> list, StringBuilder sb, BiConsumer<Value, StringBuilder> scalar) {
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) sb.append(", ");
      writeRego(list.get(i), sb, scalar);
    }
  }

  /** Go's strconv.Quote for the characters that matter: quotes, backslashes and control characters. */
  private static void goQuote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c)); else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
