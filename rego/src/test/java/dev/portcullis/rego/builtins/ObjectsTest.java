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
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectsTest {
  @Test
  void getFollowsKeysAndPaths() throws Exception {
    Value obj = v("{'a': {'b': [10, {'c': 1}]}}");
    assertResult("1", "object.get", obj, v("['a','b',1,'c']"), v("'dflt'"));
    assertResult("'dflt'", "object.get", obj, v("['a','x']"), v("'dflt'"));
    assertResult("{'b': [10, {'c': 1}]}", "object.get", obj, v("'a'"), v("null"));
    assertEquals(obj, call("object.get", obj, v("[]"), v("null")));
    assertFails(Kind.TYPE, "operand 1 must be object but got string", "object.get", v("'x'"), v("'a'"), v("1"));
  }

  @Test
  void keysRemoveAndFilter() throws Exception {
    Value obj = v("{'a': 1, 'b': 2, 'c': 3}");
    assertEquals(set("['a','b','c']"), call("object.keys", obj));
    assertResult("{'b': 2}", "object.remove", obj, v("['a','c']"));
    assertResult("{'b': 2}", "object.remove", obj, set("['a','c']"));
    assertResult("{'a': 1}", "object.filter", obj, v("{'a': 0, 'z': 0}"));
    assertFails(Kind.TYPE, "operand 2 must be one of {object, set, array} but got number", "object.remove", obj,
        v("1"));
    Value nonString = ObjectValue.of(Map.of(NumberValue.of(1), StringValue.of("x"), StringValue.of("a"),
        StringValue.of("y")));
    assertEquals(ObjectValue.of(Map.of(NumberValue.of(1), StringValue.of("x"))),
        call("object.filter", nonString, v("[1]")));
  }

  @Test
  void unionMergesNestedObjectsRightWins() throws Exception {
    assertResult("{'a': {'b': 1, 'c': 2}, 'd': 3}", "object.union", v("{'a': {'b': 1}, 'd': 1}"),
        v("{'a': {'c': 2}, 'd': 3}"));
    assertResult("{'a': {'c': 3}}", "object.union_n", v("[{'a': {'b': 2}}, {'a': 4}, {'a': {'c': 3}}]"));
    assertResult("{}", "object.union_n", v("[]"));
    assertFails(Kind.TYPE, "operand 1 must be array of objects but got array containing number", "object.union_n",
        v("[1]"));
  }

  @Test
  void subsetAcrossTypes() throws Exception {
    assertResult("true", "object.subset", v("{'a': {'b': 1, 'c': 2}, 'x': [1,2,3]}"), v("{'a': {'b': 1}, 'x': [2,3]}"));
    assertResult("false", "object.subset", v("{'a': 1}"), v("{'a': 2}"));
    assertResult("true", "object.subset", v("[1,2,3,4]"), v("[2,3]"));
    assertResult("false", "object.subset", v("[1,2,3,4]"), v("[2,4]"));
    assertResult("true", "object.subset", v("[1,2,3]"), set("[3,1]"));
    assertResult("true", "object.subset", set("[1,2,3]"), set("[3,1]"));
    assertFails(Kind.TYPE, "both arguments object.subset must be of the same type or array and set",
        "object.subset", v("{}"), v("[]"));
  }

  @Test
  void jsonFilterAndRemoveByPointer() throws Exception {
    Value doc = v("{'a': {'b': 1, 'c': 2}, 'd': [1, {'e': 1, 'f': 2}], 'g/h': 3}");
    assertResult("{'a': {'b': 1}, 'g/h': 3}", "json.filter", doc, v("['a/b', 'g~1h']"));
    assertResult("{'d': [{'f': 2}]}", "json.filter", doc, set("[['d', '1', 'f']]"));
    assertResult("{'a': {'c': 2}, 'd': [1]}", "json.remove", doc, v("['/a/b', 'd/1', 'g~1h']"));
    assertFails(Kind.TYPE, "operand 2 must be one of {set, array} containing string paths or array of path segments "
        + "but got number", "json.remove", doc, v("[1]"));
    assertFails(Kind.TYPE, "operand 1 must be object but got array", "json.remove", v("[]"), v("[]"));
  }

  @Test
  void jsonPatchAppliesRfc6902AndFailsAsUndefined() throws Exception {
    Value doc = v("{'foo': ['all', 'grass', 'cows', 'eat'], 'q': {'bar': 2}}");
    assertResult("{'foo': ['all', 'cows', 'eat', 'grass'], 'q': {'bar': 2}}", "json.patch", doc,
        v("[{'op': 'move', 'from': '/foo/1', 'path': '/foo/3'}]"));
    assertResult("{'foo': ['all', 'grass', 'cows', 'eat', 'x'], 'q': {'bar': 2, 'baz': 1}}", "json.patch", doc,
        v("[{'op': 'add', 'path': '/foo/-', 'value': 'x'}, {'op': 'copy', 'from': '/q/bar', 'path': '/q/baz'},"
            + "{'op': 'replace', 'path': '/q/baz', 'value': 1}, {'op': 'test', 'path': '/q/bar', 'value': 2}]"));
    assertResult("42", "json.patch", doc, v("[{'op': 'replace', 'path': '', 'value': 42}]"));
    assertNull(call("json.patch", doc, v("[{'op': 'add', 'path': '/a/b', 'value': 1}]")));
    assertNull(call("json.patch", doc, v("[{'op': 'test', 'path': '/foo/01', 'value': 'grass'}]")));
    assertNull(call("json.patch", doc, v("[{'op': 'remove', 'path': '/nope'}]")));
    assertNull(call("json.patch", doc, v("[{'op': 'spam', 'path': '/foo'}]")));
    assertNull(call("json.patch", doc, v("[{'op': 'add', 'path': '/foo/9', 'value': 1}]")));
  }
}
