package dev.portcullis.rego.ast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.rego.Location;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code # METADATA} comment blocks: YAML in comments directly above a package or rule. */
final class Annotations {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern AUTHOR = Pattern.compile("^\\s*(.*?)\\s*<([^>]*)>\\s*$");

  private Annotations() {}

  /** The annotations of the block that ends on the line above {@code row}, or null when there is none. */
  static Value before(List<Lexer.Comment> comments, int row, String file) throws RegoException {
    int i = comments.size() - 1;
    while (i >= 0 && comments.get(i).row() >= row) i--;
    if (i < 0 || comments.get(i).row() != row - 1) return null;
    int end = i;
    while (i > 0 && comments.get(i - 1).row() == comments.get(i).row() - 1) i--;
    int start = -1;
    for (int j = end; j >= i; j--) {
      if (comments.get(j).text().trim().equals("METADATA")) {
        start = j;
        break;
      }
    }
    if (start < 0) return null;
    StringBuilder yaml = new StringBuilder();
    for (int j = start + 1; j <= end; j++) {
      String t = comments.get(j).text();
      yaml.append(t.startsWith(" ") ? t.substring(1) : t).append('\n');
    }
    JsonNode node;
    try {
      node = YAML.readTree(yaml.toString());
    } catch (Exception e) {
      Lexer.Comment c = comments.get(start);
      throw new RegoException("rego_parse_error", "yaml: " + e.getMessage(), new Location(file, c.row(), c.col()));
    }
    Value v = node == null || node.isNull() || node.isMissingNode() ? ObjectValue.EMPTY : Values.fromJson(node);
    if (!(v instanceof ObjectValue obj)) return null;
    Map<Value, Value> out = new LinkedHashMap<>(obj.map());
    Value authors = out.get(StringValue.of("authors"));
    if (authors != null) out.put(StringValue.of("authors"), normalizeAuthors(authors));
    Value related = out.get(StringValue.of("related_resources"));
    if (related != null) out.put(StringValue.of("related_resources"), normalizeRelated(related));
    return ObjectValue.wrap(out);
  }

  /** OPA turns a related resource given as a string into {@code {"ref": url}}. */
  private static Value normalizeRelated(Value related) {
    List<Value> list = new ArrayList<>();
    for (Value r : related instanceof ArrayValue a ? a.elements() : List.of(related)) {
      if (r instanceof StringValue s) {
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(StringValue.of("ref"), s);
        list.add(ObjectValue.wrap(m));
      } else {
        list.add(r);
      }
    }
    return new ArrayValue(list);
  }

  private static Value normalizeAuthors(Value authors) {
    List<Value> list = new ArrayList<>();
    List<Value> in = authors instanceof ArrayValue a ? a.elements() : List.of(authors);
    for (Value a : in) {
      if (a instanceof StringValue s) {
        Map<Value, Value> m = new LinkedHashMap<>();
        Matcher matcher = AUTHOR.matcher(s.value());
        if (matcher.matches()) {
          if (!matcher.group(1).isEmpty()) m.put(StringValue.of("name"), StringValue.of(matcher.group(1)));
          m.put(StringValue.of("email"), StringValue.of(matcher.group(2)));
        } else {
          m.put(StringValue.of("name"), StringValue.of(s.value().trim()));
        }
        list.add(ObjectValue.wrap(m));
      } else {
        list.add(a);
      }
    }
    return new ArrayValue(list);
  }
}
