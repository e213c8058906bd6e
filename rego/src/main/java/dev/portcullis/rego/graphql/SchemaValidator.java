package dev.portcullis.rego.graphql;

import static dev.portcullis.rego.graphql.AstMembers.list;
import static dev.portcullis.rego.graphql.AstMembers.str;

import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * gqlparser's schema validation ({@code validator.ValidateSchemaDocument} over its prelude), applied to a schema
 * document in the shape {@link GraphQlParser} produces. Reports the first problem, as gqlparser does.
 */
public final class SchemaValidator {
  /** A schema that does not validate. */
  public static final class InvalidSchema extends Exception {
    InvalidSchema(String message) { super(message, null, false, false); }
  }

  private static final class Def {
    String kind;
    String name;
    boolean builtIn;
    final List<Value> directives = new ArrayList<>();
    final List<String> interfaces = new ArrayList<>();
    final List<ObjectValue> fields = new ArrayList<>();
    final List<String> types = new ArrayList<>();
    final List<ObjectValue> enumValues = new ArrayList<>();
  }

  private static final String PRELUDE_DIRECTIVES = """
      directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
      directive @specifiedBy(url: String!) on SCALAR
      directive @oneOf on INPUT_OBJECT
      directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
      """;
  private static final Set<String> BUILTIN_DIRECTIVES = Set.of("include", "skip", "deprecated", "specifiedBy",
      "defer", "oneOf");

  private final Map<String, Def> types = new TreeMap<>();
  private final Map<String, ObjectValue> directives = new TreeMap<>();

  private SchemaValidator() {}

  /** Validates a schema document; throws with gqlparser's message when it is not a valid schema. */
  public static SchemaValidator validate(ObjectValue doc) throws InvalidSchema {
    SchemaValidator v = new SchemaValidator();
    try {
      for (Value d : list(GraphQlParser.parse(PRELUDE_DIRECTIVES), "Directives")) {
        v.directives.put(str(d, "Name"), (ObjectValue) d);
      }
    } catch (GraphQlParser.GraphQlError e) {
      throw new IllegalStateException("prelude does not parse", e);
    }
    for (String scalar : List.of("Int", "Float", "String", "Boolean", "ID")) {
      Def d = new Def();
      d.kind = "SCALAR";
      d.name = scalar;
      d.builtIn = true;
      v.types.put(scalar, d);
    }
    v.run(doc);
    return v;
  }

  private final Map<String, String> roots = new HashMap<>();

  /** The root type of an operation kind ("query", "mutation", "subscription"), or null. */
  String root(String operation) {
    String name = roots.get(operation);
    if (name == null && !explicitSchema) {
      name = switch (operation) {
        case "query" -> "Query";
        case "mutation" -> "Mutation";
        default -> "Subscription";
      };
    }
    return name != null && types.containsKey(name) ? name : null;
  }

  private boolean explicitSchema;

  String kindOf(String type) {
    Def d = types.get(type);
    return d == null ? null : d.kind;
  }

  /** The field definition of a type (object, interface or input object), or null. */
  ObjectValue field(String type, String field) {
    Def d = types.get(type);
    if (d == null) return null;
    for (ObjectValue f : d.fields) if (str(f, "Name").equals(field)) return f;
    return null;
  }

  boolean hasDirective(String name) { return directives.containsKey(name); }

  static String namedType(Value type) { return typeName(type); }

  private static Def toDef(Value v) {
    Def d = new Def();
    d.kind = str(v, "Kind");
    d.name = str(v, "Name");
    d.builtIn = v instanceof ObjectValue o && o.get("BuiltIn") == BooleanValue.TRUE;
    merge(d, v);
    return d;
  }

  private static void merge(Def d, Value v) {
    d.directives.addAll(list(v, "Directives"));
    for (Value i : list(v, "Interfaces")) d.interfaces.add(i instanceof StringValue s ? s.value() : "");
    for (Value f : list(v, "Fields")) if (f instanceof ObjectValue o) d.fields.add(o);
    for (Value t : list(v, "Types")) d.types.add(t instanceof StringValue s ? s.value() : "");
    for (Value e : list(v, "EnumValues")) if (e instanceof ObjectValue o) d.enumValues.add(o);
  }

  private void run(ObjectValue doc) throws InvalidSchema {
    for (Value v : list(doc, "Definitions")) {
      Def d = toDef(v);
      if (types.containsKey(d.name)) {
        throw new InvalidSchema("Cannot redeclare type " + d.name + ".");
      }
      types.put(d.name, d);
    }
    for (Value ext : list(doc, "Extensions")) {
      String name = str(ext, "Name"), kind = str(ext, "Kind");
      Def d = types.get(name);
      if (d == null) {
        d = new Def();
        d.kind = kind;
        d.name = name;
        types.put(name, d);
      }
      if (!d.kind.equals(kind)) {
        throw new InvalidSchema("Cannot extend type " + name + " because the base type is a " + d.kind + ", not "
            + kind + ".");
      }
      merge(d, ext);
    }
    for (Value dir : list(doc, "Directives")) {
      String name = str(dir, "Name");
      if (directives.containsKey(name) && !BUILTIN_DIRECTIVES.contains(name)) {
        throw new InvalidSchema("Cannot redeclare directive " + name + ".");
      }
      directives.put(name, (ObjectValue) dir);
    }
    List<Value> schema = list(doc, "Schema");
    if (schema.size() > 1) {
      throw new InvalidSchema("Cannot have multiple schema entry points, consider schema extensions instead.");
    }
    List<Value> entries = new ArrayList<>(schema);
    entries.addAll(list(doc, "SchemaExtension"));
    explicitSchema = !schema.isEmpty();
    for (Value s : entries) {
      for (Value op : list(s, "OperationTypes")) {
        roots.put(str(op, "Operation"), str(op, "Type"));
        if (!types.containsKey(str(op, "Type"))) {
          throw new InvalidSchema("Schema root " + str(op, "Operation") + " refers to a type " + str(op, "Type")
              + " that does not exist.");
        }
      }
      checkDirectives(list(s, "Directives"), "SCHEMA", null);
    }
    for (Def d : types.values()) checkDefinition(d);
    for (ObjectValue d : directives.values()) {
      checkName(str(d, "Name"));
      checkArgs(list(d, "Arguments"), str(d, "Name"));
    }
  }

  private static void checkName(String name) throws InvalidSchema {
    if (name.startsWith("__")) {
      throw new InvalidSchema("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
    }
  }

  private static String typeName(Value type) {
    Value cur = type;
    while (cur instanceof ObjectValue o && o.get("Elem") instanceof ObjectValue elem) cur = elem;
    return str(cur, "NamedType");
  }

  private void checkTypeRef(Value type) throws InvalidSchema {
    if (!types.containsKey(typeName(type))) throw new InvalidSchema("Undefined type " + typeName(type) + ".");
  }

  private void checkArgs(List<Value> args, String currentDirective) throws InvalidSchema {
    for (Value a : args) {
      checkName(str(a, "Name"));
      Value type = ((ObjectValue) a).get("Type");
      checkTypeRef(type);
      Def d = types.get(typeName(type));
      if (!Set.of("SCALAR", "ENUM", "INPUT_OBJECT").contains(d.kind)) {
        throw new InvalidSchema("cannot use " + typeName(type) + " as argument " + str(a, "Name") + " because "
            + d.kind + " is not a valid input type");
      }
      checkDirectives(list(a, "Directives"), "ARGUMENT_DEFINITION", currentDirective);
    }
  }

  private void checkDirectives(List<Value> dirs, String location, String currentDirective) throws InvalidSchema {
    for (Value dir : dirs) {
      String name = str(dir, "Name");
      checkName(name);
      if (name.equals(currentDirective)) throw new InvalidSchema("Directive " + name + " cannot refer to itself.");
      ObjectValue def = directives.get(name);
      if (def == null) throw new InvalidSchema("Undefined directive " + name + ".");
      boolean ok = false;
      for (Value l : list(def, "Locations")) ok |= l.equals(StringValue.of(location));
      if (!ok) throw new InvalidSchema("Directive " + name + " is not applicable on " + location + ".");
    }
  }

  private void checkDefinition(Def d) throws InvalidSchema {
    for (ObjectValue f : d.fields) {
      checkName(str(f, "Name"));
      checkTypeRef(f.get("Type"));
      checkArgs(list(f, "Arguments"), null);
      checkDirectives(list(f, "Directives"), d.kind.equals("INPUT_OBJECT") ? "INPUT_FIELD_DEFINITION"
          : "FIELD_DEFINITION", null);
    }
    for (String t : d.types) {
      Def member = types.get(t);
      if (member == null) throw new InvalidSchema("Undefined type " + t + ".");
      if (!member.kind.equals("OBJECT")) throw new InvalidSchema(d.kind + " type " + t + " must be OBJECT.");
    }
    for (String i : d.interfaces) checkImplements(d, i);
    switch (d.kind) {
      case "OBJECT", "INTERFACE" -> {
        if (d.fields.isEmpty()) throw new InvalidSchema(d.kind + " " + d.name + ": must define one or more fields.");
        for (ObjectValue f : d.fields) {
          Def t = types.get(typeName(f.get("Type")));
          if (t != null && t.kind.equals("INPUT_OBJECT")) {
            throw new InvalidSchema(d.kind + " " + d.name + ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
          }
        }
      }
      case "ENUM" -> {
        if (d.enumValues.isEmpty()) {
          throw new InvalidSchema(d.kind + " " + d.name + ": must define one or more unique enum values.");
        }
        for (ObjectValue v : d.enumValues) {
          String n = str(v, "Name");
          if (Set.of("true", "false", "null").contains(n)) {
            throw new InvalidSchema(d.kind + " " + d.name + ": non-enum value " + n + ".");
          }
          checkDirectives(list(v, "Directives"), "ENUM_VALUE", null);
        }
      }
      case "INPUT_OBJECT" -> {
        if (d.fields.isEmpty()) throw new InvalidSchema(d.kind + " " + d.name + ": must define one or more input fields.");
        for (ObjectValue f : d.fields) {
          Def t = types.get(typeName(f.get("Type")));
          if (t != null && !Set.of("SCALAR", "ENUM", "INPUT_OBJECT").contains(t.kind)) {
            throw new InvalidSchema(d.kind + " " + d.name + ": field must be one of SCALAR, ENUM, INPUT_OBJECT.");
          }
        }
      }
      default -> { }
    }
    Map<String, Boolean> seen = new HashMap<>();
    for (ObjectValue f : d.fields) {
      if (seen.put(str(f, "Name"), true) != null) {
        throw new InvalidSchema("Field " + d.name + "." + str(f, "Name") + " can only be defined once.");
      }
    }
    if (!d.builtIn) checkName(d.name);
    checkDirectives(d.directives, d.kind, null);
  }

  private void checkImplements(Def d, String name) throws InvalidSchema {
    Def intf = types.get(name);
    if (intf == null) throw new InvalidSchema("Undefined type " + name + ".");
    if (!intf.kind.equals("INTERFACE")) throw new InvalidSchema(d.name + " is a non interface type " + name + ".");
    for (ObjectValue required : intf.fields) {
      ObjectValue found = null;
      for (ObjectValue f : d.fields) if (str(f, "Name").equals(str(required, "Name"))) found = f;
      if (found == null) {
        throw new InvalidSchema("For " + d.name + " to implement " + name + " it must have a field called "
            + str(required, "Name") + ".");
      }
    }
    for (String transitive : intf.interfaces) {
      if (!d.interfaces.contains(transitive)) {
        throw new InvalidSchema(d.name + " must implement " + transitive + " because it is implemented by " + name + ".");
      }
    }
  }
}
