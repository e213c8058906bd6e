package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {
  private static final BuiltinTable TABLE = BuiltinTable.standard();

  private static String call(String name, String... args) throws BuiltinException {
    Value[] vs = new Value[args.length];
    for (int i = 0; i < args.length; i++) vs[i] = StringValue.of(args[i]);
    return Values.toJson(TABLE.lookup(name).fn().call(null, vs));
  }

  @Test
  void verifySchemaReportsGojsonschemasMessage() throws Exception {
    assertEquals("[true,null]", call("json.verify_schema", "{\"type\": \"object\"}"));
    assertEquals("[false,\"jsonschema: has a primitive type that is NOT VALID -- given: /nope/ Expected valid values "
        + "are:[array boolean integer number null object string]\"]", call("json.verify_schema", "{\"type\": \"nope\"}"));
  }

  @Test
  void matchSchemaListsErrorsWithFieldAndType() throws Exception {
    String schema = "{\"type\": \"object\", \"required\": [\"name\"], \"properties\": {\"age\": {\"type\": \"integer\","
        + " \"minimum\": 0}}}";
    assertEquals("[true,[]]", call("json.match_schema", "{\"name\": \"a\", \"age\": 3}", schema));
    assertEquals("[false,[{\"desc\":\"name is required\",\"error\":\"(root): name is required\",\"field\":\"(root)\","
        + "\"type\":\"required\"},{\"desc\":\"Must be greater than or equal to 0\",\"error\":\"age: Must be greater "
        + "than or equal to 0\",\"field\":\"age\",\"type\":\"number_gte\"}]]",
        call("json.match_schema", "{\"age\": -1}", schema));
  }
}
