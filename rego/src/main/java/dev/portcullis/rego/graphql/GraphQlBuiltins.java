package dev.portcullis.rego.graphql;

import dev.portcullis.rego.builtins.BuiltinException;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;

/**
 * The {@code graphql.*} built-ins: schema and query parsing into gqlparser's AST, schema validation and the query
 * validation rules of {@link QueryValidator}. Schemas and queries may be given as text or as parsed ASTs.
 */
public final class GraphQlBuiltins {
  private GraphQlBuiltins() {}

  public static void register(BuiltinTable t) {
    t.register("graphql.parse_schema", 1, (ctx, a) -> parseSchema(a[0], 1));
    t.register("graphql.schema_is_valid", 1, (ctx, a) -> {
      try {
        SchemaValidator.validate(schemaOperand(a[0], 1));
        return BooleanValue.TRUE;
      } catch (BuiltinException | SchemaValidator.InvalidSchema e) {
        return BooleanValue.FALSE;
      }
    });
    t.register("graphql.parse_query", 1, (ctx, a) -> GraphQlParser.stripPositions(parseQuery("graphql.parse_query", a[0], 1)));
    t.register("graphql.parse", 2, (ctx, a) -> {
      ObjectValue query = parseQuery("graphql.parse", a[0], 1);
      ObjectValue schema = schemaOperand(a[1], 2);
      try {
        QueryValidator.validate(SchemaValidator.validate(schema), query);
      } catch (SchemaValidator.InvalidSchema e) {
        throw BuiltinException.error(e.getMessage() + " in GraphQL schema");
      } catch (QueryValidator.InvalidQuery e) {
        throw BuiltinException.error(e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
      }
      return ArrayValue.of(GraphQlParser.stripPositions(query), GraphQlParser.stripPositions(schema));
    });
    t.register("graphql.is_valid", 2, (ctx, a) -> BooleanValue.of(verify(a[0], a[1]) != null));
    t.register("graphql.parse_and_verify", 2, (ctx, a) -> {
      ObjectValue[] parsed = verify(a[0], a[1]);
      if (parsed == null) return ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
      return ArrayValue.of(BooleanValue.TRUE, GraphQlParser.stripPositions(parsed[0]),
          GraphQlParser.stripPositions(parsed[1]));
    });
  }

  /** Query and schema when both parse and the query validates against the schema, else null. */
  private static ObjectValue[] verify(Value query, Value schema) {
    try {
      ObjectValue q = parseQuery("", query, 1);
      ObjectValue s = schemaOperand(schema, 2);
      QueryValidator.validate(SchemaValidator.validate(s), q);
      return new ObjectValue[] {q, s};
    } catch (BuiltinException | SchemaValidator.InvalidSchema | QueryValidator.InvalidQuery e) {
      return null;
    }
  }

  private static ObjectValue parseQuery(String name, Value v, int operand) throws BuiltinException {
    if (v instanceof ObjectValue o) return o;
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.type("operand " + operand + " must be one of {object, string} but got " + v.typeName());
    }
    try {
      return GraphQlParser.parseQuery(s.value());
    } catch (GraphQlParser.GraphQlError e) {
      throw BuiltinException.error(e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
    }
  }

  private static ObjectValue parseSchema(Value v, int operand) throws BuiltinException {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.type("operand " + operand + " must be string but got " + v.typeName());
    }
    try {
      return GraphQlParser.parse(s.value());
    } catch (GraphQlParser.GraphQlError e) {
      throw BuiltinException.error(e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
    }
  }

  /** A schema given as SDL text or as the AST object {@code graphql.parse_schema} returns. */
  private static ObjectValue schemaOperand(Value v, int operand) throws BuiltinException {
    if (v instanceof ObjectValue o) return o;
    if (v instanceof StringValue) return parseSchema(v, operand);
    throw BuiltinException.type("operand " + operand + " must be one of {object, string} but got " + v.typeName());
  }
}
