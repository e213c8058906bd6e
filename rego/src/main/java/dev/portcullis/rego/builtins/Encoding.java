package dev.portcullis.rego.builtins;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** base64, base64url, hex, urlquery, json.* and yaml.* built-ins, byte-compatible with OPA's Go encoders. */
final class Encoding {
  private Encoding() {}

  private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  static void register(BuiltinTable t) {
    t.register("base64.encode", 1, (ctx, a) -> str(Base64.getEncoder().encodeToString(bytes(Args.string(a, 0)))));
    t.register("base64.decode", 1, (ctx, a) -> str(GoBase64.decodeStd(Args.string(a, 0))));
    t.register("base64.is_valid", 1, (ctx, a) -> {
      if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        GoBase64.decodeStd(s.value());
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
    t.register("base64url.encode", 1,
        (ctx, a) -> str(Base64.getUrlEncoder().encodeToString(bytes(Args.string(a, 0)))));
    t.register("base64url.encode_no_pad", 1,
        (ctx, a) -> str(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(Args.string(a, 0)))));
    t.register("base64url.decode", 1, (ctx, a) -> str(base64UrlDecode(Args.string(a, 0))));
    t.register("hex.encode", 1, (ctx, a) -> str(hex(bytes(Args.string(a, 0)))));
    t.register("hex.decode", 1, (ctx, a) -> str(unhex(Args.string(a, 0))));
    t.register("urlquery.encode", 1, (ctx, a) -> str(queryEscape(Args.string(a, 0))));
    t.register("urlquery.decode", 1, (ctx, a) -> str(queryUnescape(Args.string(a, 0))));
    t.register("urlquery.encode_object", 1, (ctx, a) -> str(encodeObject(Args.object(a, 0))));
    t.register("urlquery.decode_object", 1, (ctx, a) -> decodeObject(Args.string(a, 0)));
    t.register("json.marshal", 1, (ctx, a) -> str(Values.toJson(a[0])));
    t.register("json.marshal_with_options", 2, (ctx, a) -> marshalWithOptions(a[0], Args.object(a, 1)));
    t.register("json.unmarshal", 1, (ctx, a) -> GoJson.parse(Args.string(a, 0)));
    t.register("json.is_valid", 1,
        (ctx, a) -> BooleanValue.of(a[0] instanceof StringValue s && GoJson.isValid(s.value())));
    t.register("yaml.marshal", 1, (ctx, a) -> str(yamlMarshal(a[0])));
    t.register("yaml.unmarshal", 1, (ctx, a) -> yamlUnmarshal(Args.string(a, 0)));
    t.register("yaml.is_valid", 1, (ctx, a) -> {
      if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
      try {
        yamlUnmarshal(s.value());
        return BooleanValue.TRUE;
      } catch (BuiltinException e) {
        return BooleanValue.FALSE;
      }
    });
  }

  static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  static StringValue str(String s) { return StringValue.of(s); }

  static StringValue str(byte[] b) { return StringValue.of(new String(b, StandardCharsets.UTF_8)); }

  /** RFC 7515 appendix C: unpadded input is padded before decoding. */
  static byte[] base64UrlDecode(String s) throws BuiltinException {
    if (!s.endsWith("=")) {
      switch (s.length() % 4) {
        case 0 -> { }
        case 2 -> s += "==";
        case 3 -> s += "=";
        default -> throw BuiltinException.error("illegal base64url string: " + s);
      }
    }
    return GoBase64.decodeUrl(s);
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    return sb.toString();
  }

  static byte[] unhex(String s) throws BuiltinException {
    byte[] in = bytes(s);
    byte[] out = new byte[in.length / 2];
    int i = 1;
    for (; i < in.length; i += 2) {
      int hi = hexDigit(in[i - 1]), lo = hexDigit(in[i]);
      out[i / 2] = (byte) ((hi << 4) | lo);
    }
    if (in.length % 2 == 1) {
      hexDigit(in[i - 1]);
      throw BuiltinException.error("encoding/hex: odd length hex string");
    }
    return out;
  }

  private static int hexDigit(byte b) throws BuiltinException {
    int d = Character.digit((char) (b & 0xff), 16);
    if (d < 0 || (b & 0xff) > 'f') {
      int c = b & 0xff;
      boolean printable = c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c != 0xad;
      String shown = printable ? String.format(" '%c'", (char) c) : "";
      throw BuiltinException.error(String.format("encoding/hex: invalid byte: U+%04X%s", c, shown));
    }
    return d;
  }

  /** Go's {@code url.QueryEscape}: unreserved characters stay, spaces become '+', the rest %XX of UTF-8. */
  static String queryEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : bytes(s)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  static String queryUnescape(String s) throws BuiltinException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] in = bytes(s);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '%') {
        int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = hi >= 0 ? Character.digit(in[i + 2], 16) : -1;
        if (lo < 0) {
          String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
          throw BuiltinException.error("invalid URL escape \"" + bad + "\"");
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (b == '+') {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static String encodeObject(ObjectValue o) throws BuiltinException {
    Map<String, List<String>> query = new TreeMap<>();
    for (Value k : o.keys()) {
      String key = k instanceof StringValue s ? s.value() : Values.toJson(k);
      Value v = o.get(k);
      List<String> values = new ArrayList<>();
      if (v instanceof StringValue s) {
        values.add(s.value());
      } else if (v instanceof ArrayValue || v instanceof SetValue) {
        List<Value> elems = v instanceof ArrayValue arr ? arr.elements() : ((SetValue) v).sorted();
        for (Value e : elems) {
          if (!(e instanceof StringValue s)) throw encodeObjectError();
          values.add(s.value());
        }
      } else {
        throw encodeObjectError();
      }
      query.put(key, values);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String key = queryEscape(e.getKey());
      for (String v : e.getValue()) {
        if (sb.length() > 0) sb.append('&');
        sb.append(key).append('=').append(queryEscape(v));
      }
    }
    return sb.toString();
  }

  private static BuiltinException encodeObjectError() {
    return BuiltinException.type("operand 1 values must be string, array[string], or set[string]");
  }

  /** Go's {@code url.ParseQuery}: the first bad pair is reported, ';' is refused as a separator. */
  private static ObjectValue decodeObject(String query) throws BuiltinException {
    Map<String, List<Value>> params = new LinkedHashMap<>();
    BuiltinException first = null;
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) continue;
      if (pair.contains(";")) {
        if (first == null) first = BuiltinException.error("invalid semicolon separator in query");
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        String key = queryUnescape(k);
        String value = queryUnescape(v);
        params.computeIfAbsent(key, x -> new ArrayList<>()).add(StringValue.of(value));
      } catch (BuiltinException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
    Map<Value, Value> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(StringValue.of(k), new ArrayValue(v)));
    return ObjectValue.wrap(out);
  }

  private static StringValue marshalWithOptions(Value v, ObjectValue opts) throws BuiltinException {
    String indent = "\t";
    String prefix = "";
    boolean implicitPretty = false;
    Boolean explicitPretty = null;
    // OPA's messages name the option's position among the keys, and quote string keys.
    int index = 0;
    for (Value k : opts.keys()) {
      Value val = opts.get(k);
      if (!(k instanceof StringValue ks)) {
        throw BuiltinException.type("operand 2 failed to stringify key " + k + " at index " + index + ": "
            + mustBeString(index, k));
      }
      switch (ks.value()) {
        case "prefix" -> {
          if (!(val instanceof StringValue s)) {
            throw BuiltinException.type("operand 2 key " + k + " failed cast to string: " + mustBeString(index, val));
          }
          prefix = s.value();
          implicitPretty = true;
        }
        case "indent" -> {
          if (!(val instanceof StringValue s)) {
            throw BuiltinException.type("operand 2 key " + k + " failed cast to string: " + mustBeString(index, val));
          }
          indent = s.value();
          implicitPretty = true;
        }
        case "pretty" -> {
          if (!(val instanceof BooleanValue b)) throw BuiltinException.type("operand 2 key " + k + " failed cast to bool");
          explicitPretty = b.value();
        }
        default -> throw BuiltinException.type("operand 2 object contained unknown key " + k);
      }
      index++;
    }
    boolean pretty = explicitPretty != null ? explicitPretty : implicitPretty;
    if (!pretty) return str(Values.toJson(v));
    return str(prefix + GoJson.indent(v, prefix, indent));
  }

  private static String mustBeString(int operand, Value got) {
    return "operand " + operand + " must be string but got " + got.typeName();
  }

  static String yamlMarshal(Value v) { return GoYaml.marshal(v); }

  static Value yamlUnmarshal(String text) throws BuiltinException {
    try {
      JsonNode node = YAML.readTree(text);
      return node == null || node.isMissingNode() ? dev.portcullis.rego.value.NullValue.INSTANCE
          : Values.fromJson(node);
    } catch (JsonProcessingException e) {
      throw BuiltinException.error(yamlError(text, e));
    }
  }

  /**
   * Words SnakeYAML's errors the way go-yaml (libyaml) does, e.g. "yaml: line 1: did not find expected ',' or ']'".
   * libyaml counts scanner error lines from 1 and parser error lines from 0, where the end of the text starts a
   * new line.
   */
  private static String yamlError(String text, JsonProcessingException e) {
    if (!(e.getCause() instanceof MarkedYAMLException m) || m.getProblemMark() == null) {
      return "yaml: " + e.getOriginalMessage();
    }
    String problem = m.getProblem() == null ? "invalid document" : m.getProblem();
    String context = m.getContext() == null ? "" : m.getContext();
    int but = problem.indexOf(", but ");
    if (problem.startsWith("expected ") && but > 0) {
      String expected = problem.substring("expected ".length(), but).replace("the node content", "node content");
      if (expected.equals("<block end>")) {
        expected = context.contains("mapping") ? "key" : "'-' indicator";
      }
      problem = "did not find expected " + expected;
    } else if (problem.startsWith("mapping values are not allowed")) {
      problem = "mapping values are not allowed in this context";
    } else if (problem.contains("that cannot start any token")) {
      problem = "found character that cannot start any token";
    }
    int line;
    if (m instanceof org.yaml.snakeyaml.scanner.ScannerException) {
      line = m.getProblemMark().getLine() + 1;
    } else {
      org.yaml.snakeyaml.error.Mark mark = m.getProblemMark();
      line = mark.getLine();
      if (mark.getIndex() >= text.length() && mark.getColumn() > 0) line++;
      if (line == 0 && m.getContextMark() != null) line = m.getContextMark().getLine();
    }
    return "yaml: " + (line != 0 ? "line " + line + ": " : "") + problem;
  }
}
