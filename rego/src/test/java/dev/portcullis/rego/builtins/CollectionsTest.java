package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.Call.assertFails;
import static dev.portcullis.rego.builtins.Call.assertResult;
import static dev.portcullis.rego.builtins.Call.call;
import static dev.portcullis.rego.builtins.Call.set;
import static dev.portcullis.rego.builtins.Call.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.SetValue;
import org.junit.jupiter.api.Test;

class CollectionsTest {
  @Test
  void aggregates() throws Exception {
    assertResult("3", "count", v("'a😀b'"));
    assertResult("2", "count", v("{'a': 1, 'b': 2}"));
    assertResult("10", "sum", v("[1, 2, 3, 4]"));
    assertResult("6.5", "sum", set("[1, 2, 3.5]"));
    assertEquals(NumberValue.parse("18446744073709551616"), call("sum", v("[9223372036854775807, 9223372036854775809]")));
    assertResult("24", "product", v("[1, 2, 3, 4]"));
    // OPA's float product keeps float64's 53 bits, its sum big.Float's 64.
    assertEquals(NumberValue.parse("0.30000000000000004"), call("product", v("[0.1, 3]")));
    assertEquals(NumberValue.parse("0.3"), call("sum", v("[0.1, 0.2]")));
    assertResult("'b'", "max", v("[1, 'a', 'b', null]"));
    assertResult("null", "min", v("[1, 'a', null]"));
    assertNull(call("max", v("[]")));
    assertResult("[null, false, 1, 'a', [1], {}]", "sort", v("[{}, [1], 'a', 1, false, null]"));
    assertFails(Kind.TYPE, "operand 1 must be array of numbers but got array containing string", "sum", v("[1, 'a']"));
    assertFails(Kind.TYPE, "operand 1 must be one of {set, array} but got object", "sort", v("{}"));
  }

  @Test
  void arrays() throws Exception {
    assertResult("[1, 2, 3]", "array.concat", v("[1]"), v("[2, 3]"));
    assertResult("[2, 3]", "array.slice", v("[1, 2, 3, 4]"), v("1"), v("3"));
    assertResult("[]", "array.slice", v("[1, 2, 3, 4]"), v("3"), v("1"));
    assertResult("[1, 2, 3, 4]", "array.slice", v("[1, 2, 3, 4]"), v("-5"), v("50"));
    assertResult("[3, 2, 1]", "array.reverse", v("[1, 2, 3]"));
    assertResult("[1, 2, 'x', [3]]", "array.flatten", v("[[1, 2], 'x', [[3]]]"));
    assertFails(Kind.TYPE, "operand 1 must be array but got object", "array.concat", v("{}"), v("[]"));
  }

  @Test
  void comparisonUsesCanonicalOrderAcrossTypes() throws Exception {
    assertResult("true", "lt", v("1"), v("'a'"));
    assertResult("true", "equal", v("1"), v("1.0"));
    assertResult("true", "gt", set("[1]"), v("{'a': 1}"));
    assertResult("true", "lte", v("[1, 2]"), v("[1, 2]"));
    assertResult("false", "neq", v("{'a': [1]}"), v("{'a': [1.0]}"));
    assertResult("true", "gte", v("'b'"), v("'a'"));
  }

  @Test
  void setOperations() throws Exception {
    assertEquals(set("[2]"), call("and", set("[1, 2]"), set("[2, 3]")));
    assertEquals(set("[1, 2, 3]"), call("or", set("[1, 2]"), set("[2, 3]")));
    assertEquals(set("[2]"), call("intersection", SetValue.of(set("[1, 2]"), set("[2, 3]"))));
    assertEquals(set("[1, 2, 3]"), call("union", SetValue.of(set("[1, 2]"), set("[2, 3]"))));
    assertEquals(SetValue.EMPTY, call("intersection", SetValue.EMPTY));
    assertFails(Kind.TYPE, "operand 1 must be set but got array", "and", v("[]"), set("[]"));
    assertFails(Kind.TYPE, "operand 1 must be set but got number", "union", set("[1]"));
  }

  @Test
  void typeTests() throws Exception {
    assertResult("true", "is_number", v("1.5"));
    assertResult("false", "is_number", v("null"));
    assertResult("true", "is_set", set("[]"));
    assertResult("false", "is_object", set("[]"));
    assertResult("'set'", "type_name", set("[]"));
    assertResult("'null'", "type_name", v("null"));
  }
}
