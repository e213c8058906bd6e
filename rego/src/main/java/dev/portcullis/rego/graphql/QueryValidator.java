package dev.portcullis.rego.graphql;

import static dev.portcullis.rego.graphql.AstMembers.list;
import static dev.portcullis.rego.graphql.AstMembers.str;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.Value;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query validation rules of gqlparser that policies rely on: operations against existing roots, fields that
 * exist on their type, known and required arguments, leaf and composite selections, known types, fragments and
 * directives, and defined and used variables. Reports the first problem with its line:column.
 */
final class QueryValidator {
  /** An invalid query, at a place in the query when the AST still has positions. */
  static final class InvalidQuery extends Exception {
    final int line;
    final int column;

    InvalidQuery(String message, Value position) {
      super(message, null, false, false);
      int[] at = at(position);
      line = at[0];
      column = at[1];
    }

    private static int[] at(Value position) {
      if (position instanceof ArrayValue a && a.size() == 2 && a.get(0) instanceof NumberValue l
          && a.get(1) instanceof NumberValue c) {
        return new int[] {(int) l.longValueExact(), (int) c.longValueExact()};
      }
      return new int[] {0, 0};
    }
  }

  private final SchemaValidator schema;
  private final Map<String, ObjectValue> fragments = new HashMap<>();
  private final Set<String> usedFragments = new HashSet<>();

  private QueryValidator(SchemaValidator schema) { this.schema = schema; }

  static void validate(SchemaValidator schema, ObjectValue query) throws InvalidQuery {
    new QueryValidator(schema).run(query);
  }

  private static Value pos(Value obj) { return obj instanceof ObjectValue o ? o.get("Position") : null; }

  private void run(ObjectValue doc) throws InvalidQuery {
    List<Value> ops = list(doc, "Operations");
    for (Value f : list(doc, "Fragments")) {
      String name = str(f, "Name");
      if (fragments.put(name, (ObjectValue) f) != null) {
        throw new InvalidQuery("There can be only one fragment named \"" + name + "\".", pos(f));
      }
    }
    Set<String> opNames = new HashSet<>();
    for (Value op : ops) {
      String name = str(op, "Name");
      if (name.isEmpty() && ops.size() > 1) {
        throw new InvalidQuery("This anonymous operation must be the only defined operation.", pos(op));
      }
      if (!name.isEmpty() && !opNames.add(name)) {
        throw new InvalidQuery("There can be only one operation named \"" + name + "\".", pos(op));
      }
      String root = schema.root(str(op, "Operation"));
      if (root == null) {
        throw new InvalidQuery("Schema does not support operation type \"" + str(op, "Operation") + "\"", pos(op));
      }
      Set<String> defined = new LinkedHashSet<>();
      for (Value v : list(op, "VariableDefinitions")) {
        String var = str(v, "Variable");
        if (!defined.add(var)) throw new InvalidQuery("There can be only one variable named \"$" + var + "\".", pos(v));
        Value type = ((ObjectValue) v).get("Type");
        String kind = schema.kindOf(SchemaValidator.namedType(type));
        if (kind == null) throw new InvalidQuery("Unknown type \"" + SchemaValidator.namedType(type) + "\".", pos(v));
        if (!Set.of("SCALAR", "ENUM", "INPUT_OBJECT").contains(kind)) {
          throw new InvalidQuery("Variable \"$" + var + "\" cannot be non-input type \"" + typeString(type) + "\".",
              pos(v));
        }
      }
      Set<String> used = new HashSet<>();
      directives(list(op, "Directives"), used);
      selections(list(op, "SelectionSet"), root, used, new HashSet<>());
      for (String u : used) {
        if (!defined.contains(u)) {
          throw new InvalidQuery("Variable \"$" + u + "\" is not defined"
              + (str(op, "Name").isEmpty() ? "." : " by operation \"" + str(op, "Name") + "\"."), pos(op));
        }
      }
      for (Value v : list(op, "VariableDefinitions")) {
        if (!used.contains(str(v, "Variable"))) {
          throw new InvalidQuery("Variable \"$" + str(v, "Variable") + "\" is never used"
              + (str(op, "Name").isEmpty() ? "." : " in operation \"" + str(op, "Name") + "\"."), pos(v));
        }
      }
    }
    for (ObjectValue f : fragments.values()) {
      String type = str(f, "TypeCondition");
      if (schema.kindOf(type) == null) throw new InvalidQuery("Unknown type \"" + type + "\".", pos(f));
      if (!usedFragments.contains(str(f, "Name"))) {
        throw new InvalidQuery("Fragment \"" + str(f, "Name") + "\" is never used.", pos(f));
      }
    }
  }

  private void selections(List<Value> sels, String parent, Set<String> used, Set<String> visiting)
      throws InvalidQuery {
    for (Value sel : sels) {
      ObjectValue s = (ObjectValue) sel;
      if (s.get("Alias") != null) {
        field(s, parent, used, visiting);
      } else if (s.get("TypeCondition") != null) {
        String type = str(s, "TypeCondition");
        if (type.isEmpty()) type = parent;
        if (schema.kindOf(type) == null) throw new InvalidQuery("Unknown type \"" + type + "\".", pos(s));
        directives(list(s, "Directives"), used);
        selections(list(s, "SelectionSet"), type, used, visiting);
      } else {
        String name = str(s, "Name");
        ObjectValue frag = fragments.get(name);
        if (frag == null) throw new InvalidQuery("Unknown fragment \"" + name + "\".", pos(s));
        usedFragments.add(name);
        directives(list(s, "Directives"), used);
        if (visiting.add(name)) {
          String type = str(frag, "TypeCondition");
          if (schema.kindOf(type) == null) throw new InvalidQuery("Unknown type \"" + type + "\".", pos(frag));
          directives(list(frag, "Directives"), used);
          selections(list(frag, "SelectionSet"), type, used, visiting);
          visiting.remove(name);
        }
      }
    }
  }

  private void field(ObjectValue s, String parent, Set<String> used, Set<String> visiting) throws InvalidQuery {
    String name = str(s, "Name");
    directives(list(s, "Directives"), used);
    for (Value a : list(s, "Arguments")) variables(((ObjectValue) a).get("Value"), used);
    if (name.equals("__typename")) return;
    if ((name.equals("__schema") || name.equals("__type")) && parent.equals(schema.root("query"))) return;
    ObjectValue def = schema.field(parent, name);
    if (def == null || "UNION".equals(schema.kindOf(parent))) {
      throw new InvalidQuery("Cannot query field \"" + name + "\" on type \"" + parent + "\".", pos(s));
    }
    List<Value> argDefs = list(def, "Arguments");
    for (Value a : list(s, "Arguments")) {
      boolean known = false;
      for (Value d : argDefs) known |= str(d, "Name").equals(str(a, "Name"));
      if (!known) {
        throw new InvalidQuery("Unknown argument \"" + str(a, "Name") + "\" on field \"" + parent + "." + name
            + "\".", pos(s));
      }
    }
    for (Value d : argDefs) {
      Value type = ((ObjectValue) d).get("Type");
      boolean required = type instanceof ObjectValue t && t.get("NonNull") == dev.portcullis.rego.value.BooleanValue.TRUE
          && ((ObjectValue) d).get("DefaultValue") == null;
      if (!required) continue;
      boolean given = false;
      for (Value a : list(s, "Arguments")) given |= str(a, "Name").equals(str(d, "Name"));
      if (!given) {
        throw new InvalidQuery("Field \"" + name + "\" argument \"" + str(d, "Name") + "\" of type \""
            + typeString(type) + "\" is required, but it was not provided", pos(s));
      }
    }
    String type = SchemaValidator.namedType(def.get("Type"));
    String kind = schema.kindOf(type);
    List<Value> sub = list(s, "SelectionSet");
    if ("SCALAR".equals(kind) || "ENUM".equals(kind)) {
      if (!sub.isEmpty()) {
        throw new InvalidQuery("Field \"" + name + "\" must not have a selection since type \"" + typeString(def.get("Type"))
            + "\" has no subfields.", pos(s));
      }
    } else if (sub.isEmpty()) {
      throw new InvalidQuery("Field \"" + name + "\" of type \"" + typeString(def.get("Type"))
          + "\" must have a selection of subfields. Did you mean \"" + name + " { ... }\"?", pos(s));
    } else {
      selections(sub, type, used, visiting);
    }
  }

  private void directives(List<Value> dirs, Set<String> used) throws InvalidQuery {
    for (Value d : dirs) {
      if (!schema.hasDirective(str(d, "Name"))) {
        throw new InvalidQuery("Unknown directive \"@" + str(d, "Name") + "\".", pos(d));
      }
      for (Value a : list(d, "Arguments")) variables(((ObjectValue) a).get("Value"), used);
    }
  }

  private static void variables(Value v, Set<String> used) {
    if (!(v instanceof ObjectValue o)) return;
    if (o.get("Kind") instanceof NumberValue n && n.signum() == 0) used.add(str(o, "Raw"));
    for (Value c : list(o, "Children")) variables(((ObjectValue) c).get("Value"), used);
  }

  static String typeString(Value type) {
    if (!(type instanceof ObjectValue t)) return "";
    String s = t.get("Elem") instanceof ObjectValue elem ? "[" + typeString(elem) + "]" : str(t, "NamedType");
    return t.get("NonNull") == dev.portcullis.rego.value.BooleanValue.TRUE ? s + "!" : s;
  }
}
