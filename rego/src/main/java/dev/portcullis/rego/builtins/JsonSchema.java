package dev.portcullis.rego.builtins;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code json.verify_schema} and {@code json.match_schema} with gojsonschema's messages for the common keywords:
 * type, enum, const, properties, required, additionalProperties, items, min/maxItems, uniqueItems, min/maxLength,
 * pattern (RE2), minimum/maximum (and exclusive), multipleOf, min/maxProperties, allOf/anyOf/oneOf/not and local
 * {@code $ref}. Formats are not checked.
 */
final class JsonSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "null", "object", "string");

  private JsonSchema() {}

  static void register(BuiltinTable t) {
    t.register("json.verify_schema", 1, (ctx, a) -> {
      try {
        schema(a[0], 1);
        return ArrayValue.of(BooleanValue.TRUE, NullValue.INSTANCE);
      } catch (InvalidSchema e) {
        return ArrayValue.of(BooleanValue.FALSE, StringValue.of("jsonschema: " + e.getMessage()));
      }
    });
    t.register("json.match_schema", 2, (ctx, a) -> {
      Value doc = a[0] instanceof StringValue s ? parse(s.value(), 1) : a[0];
      Value schema;
      try {
        schema = schema(a[1], 2);
      } catch (InvalidSchema e) {
        throw BuiltinException.error("jsonschema: " + e.getMessage());
      }
      List<Value> errors = new ArrayList<>();
      new Validator(schema).validate(doc, schema, "(root)", errors);
      return ArrayValue.of(BooleanValue.of(errors.isEmpty()), new ArrayValue(errors));
    });
  }

  static final class InvalidSchema extends Exception {
    InvalidSchema(String m) { super(m, null, false, false); }
  }

  private static Value parse(String text, int operand) throws BuiltinException {
    try {
      return Values.fromJson(JSON.readTree(text));
    } catch (Exception e) {
      throw BuiltinException.error("operand " + operand + " is not valid JSON: " + e.getMessage());
    }
  }

  private static Value schema(Value v, int operand) throws BuiltinException, InvalidSchema {
    Value s = v instanceof StringValue str ? parse(str.value(), operand) : v;
    if (!(s instanceof ObjectValue || s instanceof BooleanValue)) {
      throw BuiltinException.type("operand " + operand + " must be one of {object, string, boolean} but got "
          + v.typeName());
    }
    check(s);
    return s;
  }

  /** The parts of the meta-schema gojsonschema enforces when it loads a schema. */
  private static void check(Value s) throws InvalidSchema {
    if (!(s instanceof ObjectValue o)) return;
    Value type = o.get("type");
    if (type != null) {
      List<Value> types = type instanceof ArrayValue a ? a.elements() : List.of(type);
      for (Value t : types) {
        if (!(t instanceof StringValue ts) || !TYPES.contains(ts.value())) {
          throw new InvalidSchema("has a primitive type that is NOT VALID -- given: /"
              + (t instanceof StringValue ts2 ? ts2.value() : Values.toJson(t))
              + "/ Expected valid values are:[array boolean integer number null object string]");
        }
      }
    }
    for (String k : List.of("properties", "definitions", "$defs", "patternProperties")) {
      if (o.get(k) instanceof ObjectValue props) for (Value p : props.map().values()) check(p);
    }
    for (String k : List.of("allOf", "anyOf", "oneOf")) {
      if (o.get(k) instanceof ArrayValue arr) for (Value p : arr.elements()) check(p);
    }
    for (String k : List.of("not", "additionalProperties", "items", "additionalItems")) {
      Value sub = o.get(k);
      if (sub instanceof ArrayValue arr) for (Value p : arr.elements()) check(p);
      else if (sub != null) check(sub);
    }
    if (o.get("required") != null && !(o.get("required") instanceof ArrayValue)) {
      throw new InvalidSchema("Invalid type. Expected: array, given: " + o.get("required").typeName());
    }
  }

  private static final class Validator {
    private final Value root;
    private int depth;

    Validator(Value root) { this.root = root; }

    void validate(Value doc, Value schema, String field, List<Value> errors) {
      if (++depth > 200) {
        depth--;
        return;
      }
      try {
        run(doc, schema, field, errors);
      } finally {
        depth--;
      }
    }

    private void run(Value doc, Value schema, String field, List<Value> errors) {
      if (schema instanceof BooleanValue b) {
        if (!b.value()) error(errors, field, "false", "False always fails validation");
        return;
      }
      if (!(schema instanceof ObjectValue s)) return;
      if (s.get("$ref") instanceof StringValue ref) {
        Value target = resolve(ref.value());
        if (target != null) validate(doc, target, field, errors);
        return;
      }
      Value type = s.get("type");
      if (type != null && !typeMatches(doc, type)) {
        String expected = type instanceof ArrayValue a ? String.join("/", a.elements().stream()
            .map(v -> v instanceof StringValue sv ? sv.value() : v.toString()).toList())
            : ((StringValue) type).value();
        error(errors, field, "invalid_type", "Invalid type. Expected: " + expected + ", given: " + given(doc));
        return;
      }
      if (s.get("enum") instanceof ArrayValue en && !en.elements().contains(doc)) {
        List<String> allowed = new ArrayList<>();
        for (Value v : en.elements()) allowed.add(Values.toJson(v));
        error(errors, field, "enum", field + " must be one of the following: " + String.join(", ", allowed));
      }
      if (s.get("const") != null && !s.get("const").equals(doc)) {
        error(errors, field, "const", field + " does not match: " + Values.toJson(s.get("const")));
      }
      if (doc instanceof ObjectValue o) object(o, s, field, errors);
      if (doc instanceof ArrayValue a) array(a, s, field, errors);
      if (doc instanceof StringValue str) string(str.value(), s, field, errors);
      if (doc instanceof NumberValue n) number(n.bigDecimal(), s, field, errors);
      combinators(doc, s, field, errors);
    }

    private Value resolve(String ref) {
      if (!ref.startsWith("#")) return null;
      Value cur = root;
      for (String part : ref.substring(1).split("/")) {
        if (part.isEmpty()) continue;
        String key = part.replace("~1", "/").replace("~0", "~");
        if (!(cur instanceof ObjectValue o)) return null;
        cur = o.get(key);
      }
      return cur;
    }

    private void object(ObjectValue o, ObjectValue s, String field, List<Value> errors) {
      if (s.get("required") instanceof ArrayValue req) {
        for (Value r : req.elements()) {
          if (o.get(r) == null) {
            error(errors, field, "required", (r instanceof StringValue rs ? rs.value() : r.toString()) + " is required");
          }
        }
      }
      ObjectValue props = s.get("properties") instanceof ObjectValue p ? p : ObjectValue.EMPTY;
      for (Value k : o.keys()) {
        Value sub = props.get(k);
        String child = child(field, k instanceof StringValue ks ? ks.value() : Values.toJson(k));
        if (sub != null) {
          validate(o.get(k), sub, child, errors);
        } else if (s.get("additionalProperties") != null) {
          Value add = s.get("additionalProperties");
          if (add == BooleanValue.FALSE) {
            error(errors, field, "additional_property_not_allowed",
                "Additional property " + (k instanceof StringValue ks ? ks.value() : Values.toJson(k))
                    + " is not allowed");
          } else if (add instanceof ObjectValue) {
            validate(o.get(k), add, child, errors);
          }
        }
      }
      bound(o.size(), s.get("minProperties"), true, field, errors, "array_min_properties",
          "Must have at least %s properties");
      bound(o.size(), s.get("maxProperties"), false, field, errors, "array_max_properties",
          "Must have at most %s properties");
    }

    private void array(ArrayValue a, ObjectValue s, String field, List<Value> errors) {
      Value items = s.get("items");
      for (int i = 0; i < a.size(); i++) {
        Value sub = items instanceof ArrayValue tuple ? (i < tuple.size() ? tuple.get(i) : null) : items;
        if (sub != null) validate(a.get(i), sub, child(field, String.valueOf(i)), errors);
      }
      bound(a.size(), s.get("minItems"), true, field, errors, "array_min_items", "Array must have at least %s items");
      bound(a.size(), s.get("maxItems"), false, field, errors, "array_max_items", "Array must have at most %s items");
      if (s.get("uniqueItems") == BooleanValue.TRUE) {
        for (int i = 0; i < a.size(); i++) {
          for (int j = i + 1; j < a.size(); j++) {
            if (a.get(i).equals(a.get(j))) {
              error(errors, field, "unique", "array items[" + i + "," + j + "] must be unique");
              return;
            }
          }
        }
      }
    }

    private void string(String str, ObjectValue s, String field, List<Value> errors) {
      int len = str.codePointCount(0, str.length());
      bound(len, s.get("minLength"), true, field, errors, "string_gte",
          "String length must be greater than or equal to %s");
      bound(len, s.get("maxLength"), false, field, errors, "string_lte",
          "String length must be less than or equal to %s");
      if (s.get("pattern") instanceof StringValue p) {
        try {
          if (!com.google.re2j.Pattern.compile(p.value()).matcher(str).find()) {
            error(errors, field, "pattern", "Does not match pattern '" + p.value() + "'");
          }
        } catch (RuntimeException e) {
          error(errors, field, "pattern", "Invalid pattern '" + p.value() + "'");
        }
      }
    }

    private void number(BigDecimal n, ObjectValue s, String field, List<Value> errors) {
      if (s.get("minimum") instanceof NumberValue min) {
        boolean exclusive = s.get("exclusiveMinimum") == BooleanValue.TRUE;
        int c = n.compareTo(min.bigDecimal());
        if (exclusive ? c <= 0 : c < 0) {
          error(errors, field, exclusive ? "number_gt" : "number_gte",
              (exclusive ? "Must be greater than " : "Must be greater than or equal to ") + min);
        }
      }
      if (s.get("exclusiveMinimum") instanceof NumberValue min && n.compareTo(min.bigDecimal()) <= 0) {
        error(errors, field, "number_gt", "Must be greater than " + min);
      }
      if (s.get("maximum") instanceof NumberValue max) {
        boolean exclusive = s.get("exclusiveMaximum") == BooleanValue.TRUE;
        int c = n.compareTo(max.bigDecimal());
        if (exclusive ? c >= 0 : c > 0) {
          error(errors, field, exclusive ? "number_lt" : "number_lte",
              (exclusive ? "Must be less than " : "Must be less than or equal to ") + max);
        }
      }
      if (s.get("exclusiveMaximum") instanceof NumberValue max && n.compareTo(max.bigDecimal()) >= 0) {
        error(errors, field, "number_lt", "Must be less than " + max);
      }
      if (s.get("multipleOf") instanceof NumberValue m && m.signum() != 0
          && n.remainder(m.bigDecimal()).signum() != 0) {
        error(errors, field, "multiple_of", "Must be a multiple of " + m);
      }
    }

    private void combinators(Value doc, ObjectValue s, String field, List<Value> errors) {
      if (s.get("allOf") instanceof ArrayValue all) {
        boolean ok = true;
        for (Value sub : all.elements()) ok &= matches(doc, sub, field);
        if (!ok) {
          for (Value sub : all.elements()) validate(doc, sub, field, errors);
          error(errors, field, "number_all_of", "Must validate all the schemas (allOf)");
        }
      }
      if (s.get("anyOf") instanceof ArrayValue any) {
        boolean ok = false;
        for (Value sub : any.elements()) ok |= matches(doc, sub, field);
        if (!ok) error(errors, field, "number_any_of", "Must validate at least one schema (anyOf)");
      }
      if (s.get("oneOf") instanceof ArrayValue one) {
        int n = 0;
        for (Value sub : one.elements()) if (matches(doc, sub, field)) n++;
        if (n != 1) error(errors, field, "number_one_of", "Must validate one and only one schema (oneOf)");
      }
      if (s.get("not") != null && matches(doc, s.get("not"), field)) {
        error(errors, field, "number_not", "Must not validate the schema (not)");
      }
    }

    private boolean matches(Value doc, Value schema, String field) {
      List<Value> errs = new ArrayList<>();
      validate(doc, schema, field, errs);
      return errs.isEmpty();
    }

    private static void bound(long n, Value limit, boolean min, String field, List<Value> errors, String type,
                              String message) {
      if (!(limit instanceof NumberValue l)) return;
      int c = BigDecimal.valueOf(n).compareTo(l.bigDecimal());
      if (min ? c < 0 : c > 0) error(errors, field, type, String.format(message, l));
    }
  }

  private static boolean typeMatches(Value doc, Value type) {
    if (type instanceof ArrayValue a) {
      for (Value t : a.elements()) if (typeMatches(doc, t)) return true;
      return false;
    }
    String t = type instanceof StringValue s ? s.value() : "";
    return switch (t) {
      case "integer" -> doc instanceof NumberValue n && n.isInteger();
      case "number" -> doc instanceof NumberValue;
      case "string" -> doc instanceof StringValue;
      case "boolean" -> doc instanceof BooleanValue;
      case "null" -> doc instanceof NullValue;
      case "array" -> doc instanceof ArrayValue;
      case "object" -> doc instanceof ObjectValue;
      default -> false;
    };
  }

  private static String given(Value doc) {
    if (doc instanceof NumberValue n) return n.isInteger() ? "integer" : "number";
    return doc.typeName();
  }

  private static String child(String field, String key) { return field.equals("(root)") ? key : field + "." + key; }

  /** One gojsonschema result error: "error" is "field: desc". */
  private static void error(List<Value> errors, String field, String type, String desc) {
    Map<Value, Value> e = new LinkedHashMap<>();
    e.put(StringValue.of("error"), StringValue.of(field + ": " + desc));
    e.put(StringValue.of("type"), StringValue.of(type));
    e.put(StringValue.of("field"), StringValue.of(field));
    e.put(StringValue.of("desc"), StringValue.of(desc));
    errors.add(ObjectValue.wrap(e));
  }
}
