package dev.portcullis.rego.builtins;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.util.List;

/** JSON text as OPA reads and writes it through Go's {@code encoding/json}. */
final class GoJson {
  private GoJson() {}

  /** Keeps every number exact and rejects anything after the document, as Go's decoder does. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** Parses JSON text into a value; throws a built-in error naming what is wrong. */
  static Value parse(String text) throws BuiltinException {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) throw BuiltinException.error("EOF");
      return Values.fromJson(node);
    } catch (JsonProcessingException e) {
      String go = GoJsonError.message(text);
      throw BuiltinException.error(go != null ? go : e.getOriginalMessage());
    }
  }

  static boolean isValid(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node != null && !node.isMissingNode();
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** {@code json.MarshalIndent}: the first line carries no prefix, empty containers stay on one line. */
  static String indent(Value v, String prefix, String indent) {
    StringBuilder sb = new StringBuilder();
    write(v, prefix, indent, 0, sb);
    return sb.toString();
  }

  private static void write(Value v, String prefix, String indent, int depth, StringBuilder sb) {
    if (v instanceof ArrayValue a) {
      writeList(a.elements(), prefix, indent, depth, sb);
    } else if (v instanceof SetValue s) {
      writeList(s.sorted(), prefix, indent, depth, sb);
    } else if (v instanceof ObjectValue o) {
      if (o.size() == 0) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Value k : o.keys()) {
        if (!first) sb.append(',');
        first = false;
        newline(prefix, indent, depth + 1, sb);
        Values.quote(k instanceof StringValue s ? s.value() : Values.toJson(k), sb);
        sb.append(": ");
        write(o.get(k), prefix, indent, depth + 1, sb);
      }
      newline(prefix, indent, depth, sb);
      sb.append('}');
    } else {
      sb.append(Values.toJson(v));
    }
  }

  private static void writeList(List<Value> list, String prefix, String indent, int depth, StringBuilder sb) {
    if (list.isEmpty()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) sb.append(',');
      newline(prefix, indent, depth + 1, sb);
      write(list.get(i), prefix, indent, depth + 1, sb);
    }
    newline(prefix, indent, depth, sb);
    sb.append(']');
  }

  private static void newline(String prefix, String indent, int depth, StringBuilder sb) {
    sb.append('\n').append(prefix);
    for (int i = 0; i < depth; i++) sb.append(indent);
  }
}
