package dev.portcullis.rego.graphql;

import dev.portcullis.rego.builtins.BuiltinException;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;

/**
 * {@code graphql.parse_schema} and {@code graphql.schema_is_valid}. The query built-ins ({@code graphql.parse},
 * {@code graphql.parse_query}, {@code graphql.is_valid}, {@code graphql.parse_and_verify}) need gqlparser's query
 * validation and are not implemented.
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
  }

  private static ObjectValue parseSchema(Value v, int operand) throws BuiltinException {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.type("operand " + operand + " must be string but got " + v.typeName());
    }
    try {
      return SchemaParser.parse(s.value());
    } catch (SchemaParser.GraphQlError e) {
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
