package dev.portcullis.rego.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.Values;
import org.junit.jupiter.api.Test;

class GraphQlParserTest {
  @Test
  void objectTypesBecomeGqlparsersAstWithoutEmptyFields() throws Exception {
    ObjectValue doc = GraphQlParser.parse("type Hello implements & A & B {\n  world(flag: Boolean = true): [String!]\n}");
    assertEquals("{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{"
        + "\"DefaultValue\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"true\"},\"Description\":\"\","
        + "\"Name\":\"flag\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}}],\"Description\":\"\","
        + "\"Name\":\"world\",\"Type\":{\"Elem\":{\"NamedType\":\"String\",\"NonNull\":true},\"NamedType\":\"\","
        + "\"NonNull\":false}}],\"Interfaces\":[\"A\",\"B\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}",
        Values.toJson(doc));
  }

  @Test
  void syntaxErrorsCarryGqlparsersMessageAndPlace() {
    GraphQlParser.GraphQlError e = assertThrows(GraphQlParser.GraphQlError.class,
        () -> GraphQlParser.parse("union Hello = Wo || Rld"));
    assertEquals("Expected Name, found |", e.getMessage());
    assertEquals(1, e.line);
    assertEquals(19, e.column);
    GraphQlParser.GraphQlError empty = assertThrows(GraphQlParser.GraphQlError.class,
        () -> GraphQlParser.parse("enum Hello {}"));
    assertEquals("expected at least one definition, found }", empty.getMessage());
  }

  @Test
  void validationRejectsUndefinedTypesAndMisplacedDirectives() throws Exception {
    SchemaValidator.validate(GraphQlParser.parse("type Query { a: String @deprecated }"));
    SchemaValidator.InvalidSchema undefined = assertThrows(SchemaValidator.InvalidSchema.class,
        () -> SchemaValidator.validate(GraphQlParser.parse("type Query { a: Missing }")));
    assertEquals("Undefined type Missing.", undefined.getMessage());
    SchemaValidator.InvalidSchema misplaced = assertThrows(SchemaValidator.InvalidSchema.class,
        () -> SchemaValidator.validate(GraphQlParser.parse("scalar Foo @deprecated")));
    assertEquals("Directive deprecated is not applicable on SCALAR.", misplaced.getMessage());
  }

  @Test
  void queriesValidateAgainstTheSchema() throws Exception {
    SchemaValidator schema = SchemaValidator.validate(GraphQlParser.parse("""
        type Query { user(id: ID!): User }
        type User { name: String, friends: [User] }
        """));
    QueryValidator.validate(schema, GraphQlParser.parseQuery("query Q($id: ID!) { user(id: $id) { name } }"));
    QueryValidator.InvalidQuery missing = assertThrows(QueryValidator.InvalidQuery.class,
        () -> QueryValidator.validate(schema, GraphQlParser.parseQuery("{\n  user { name }\n}")));
    assertEquals("Field \"user\" argument \"id\" of type \"ID!\" is required, but it was not provided",
        missing.getMessage());
    assertEquals(2, missing.line);
    assertEquals(3, missing.column);
    QueryValidator.InvalidQuery unknown = assertThrows(QueryValidator.InvalidQuery.class,
        () -> QueryValidator.validate(schema, GraphQlParser.parseQuery("{ user(id: 1) { age } }")));
    assertEquals("Cannot query field \"age\" on type \"User\".", unknown.getMessage());
    assertThrows(QueryValidator.InvalidQuery.class,
        () -> QueryValidator.validate(schema, GraphQlParser.parseQuery("query Q($id: ID!) { user(id: 1) { name } }")));
  }
}
