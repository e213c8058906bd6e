package dev.portcullis.rego.graphql;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.List;

/** Reading members of the parsed GraphQL AST (gqlparser's JSON form), where an absent member reads as empty. */
final class AstMembers {
  private AstMembers() {}

  static List<Value> list(Value obj, String key) {
    Value v = obj instanceof ObjectValue o ? o.get(key) : null;
    return v instanceof ArrayValue a ? a.elements() : List.of();
  }

  static String str(Value obj, String key) {
    Value v = obj instanceof ObjectValue o ? o.get(key) : null;
    return v instanceof StringValue s ? s.value() : "";
  }
}
