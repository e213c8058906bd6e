package dev.portcullis.rego.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.Values;
import org.junit.jupiter.api.Test;

class SchemaParserTest {
  @Test
  void objectTypesBecomeGqlparsersAstWithoutEmptyFields() throws Exception {
    ObjectValue doc = SchemaParser.parse("type Hello implements & A & B {\n  world(flag: Boolean = true): [String!]\n}");
    assertEquals("{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{"
        + "\"DefaultValue\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"true\"},\"Description\":\"\","
        + "\"Name\":\"flag\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}}],\"Description\":\"\","
        + "\"Name\":\"world\",\"Type\":{\"Elem\":{\"NamedType\":\"String\",\"NonNull\":true},\"NamedType\":\"\","
        + "\"NonNull\":false}}],\"Interfaces\":[\"A\",\"B\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}",
        Values.toJson(doc));
  }

  @Test
  void syntaxErrorsCarryGqlparsersMessageAndPlace() {
    SchemaParser.GraphQlError e = assertThrows(SchemaParser.GraphQlError.class,
        () -> SchemaParser.parse("union Hello = Wo || Rld"));
    assertEquals("Expected Name, found |", e.getMessage());
    assertEquals(1, e.line);
    assertEquals(19, e.column);
    SchemaParser.GraphQlError empty = assertThrows(SchemaParser.GraphQlError.class,
        () -> SchemaParser.parse("enum Hello {}"));
    assertEquals("expected at least one definition, found }", empty.getMessage());
  }

  @Test
  void validationRejectsUndefinedTypesAndMisplacedDirectives() throws Exception {
    SchemaValidator.validate(SchemaParser.parse("type Query { a: String @deprecated }"));
    SchemaValidator.InvalidSchema undefined = assertThrows(SchemaValidator.InvalidSchema.class,
        () -> SchemaValidator.validate(SchemaParser.parse("type Query { a: Missing }")));
    assertEquals("Undefined type Missing.", undefined.getMessage());
    SchemaValidator.InvalidSchema misplaced = assertThrows(SchemaValidator.InvalidSchema.class,
        () -> SchemaValidator.validate(SchemaParser.parse("scalar Foo @deprecated")));
    assertEquals("Directive deprecated is not applicable on SCALAR.", misplaced.getMessage());
  }
}
