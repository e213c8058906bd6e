package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.BuiltinCalls.assertValue;
import static dev.portcullis.rego.builtins.BuiltinCalls.call;
import static dev.portcullis.rego.builtins.BuiltinCalls.fails;
import static dev.portcullis.rego.builtins.BuiltinCalls.s;
import static dev.portcullis.rego.builtins.BuiltinCalls.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodingAndUnitsTest {
  @Test
  void base64RoundTripsAndRejectsWhatGoRejects() throws Exception {
    assertValue("\"c3ViamVjdHM/X2Q=\"", call("base64.encode", s("subjects?_d")));
    assertValue("\"subjects?_d\"", call("base64.decode", s("c3ViamVjdHM/X2Q=")));
    assertValue("true", call("base64.is_valid", s("aGVsbG8=")));
    assertValue("false", call("base64.is_valid", s("{'not':'base64'}")));
    assertValue("false", call("base64.is_valid", s("aGVsbG8")));
    assertValue("false", call("base64.is_valid", v("1")));
    fails(Kind.BUILTIN, "illegal base64 data at input byte 0", "base64.decode", s("{"));
    fails(Kind.BUILTIN, "illegal base64 data at input byte 4", "base64.decode", s("aGVsbG8"));
    fails(Kind.BUILTIN, "illegal base64 data at input byte 1", "base64.decode", s("a==="));
    fails(Kind.BUILTIN, "illegal base64 data at input byte 8", "base64.decode", s("aGVsbG8=x"));
    assertValue("\"hello\"", call("base64.decode", s("aGVs\nbG8=")));
  }

  @Test
  void base64urlDecodesWithAndWithoutPadding() throws Exception {
    assertValue("\"hello\"", call("base64url.decode", s("aGVsbG8=")));
    assertValue("\"hello\"", call("base64url.decode", s("aGVsbG8")));
    assertValue("\"aGVsbG8\"", call("base64url.encode_no_pad", s("hello")));
    fails(Kind.BUILTIN, "illegal base64url string: a", "base64url.decode", s("a"));
  }

  @Test
  void hexReportsTheFirstBadByteAsGoDoes() throws Exception {
    assertValue("\"6c6f72656d20697073756d\"", call("hex.encode", s("lorem ipsum")));
    assertValue("\"lorem ipsum\"", call("hex.decode", s("6c6f72656d20697073756d")));
    fails(Kind.BUILTIN, "invalid byte: U+0067 'g'", "hex.decode", s("fghijkl"));
    fails(Kind.BUILTIN, "odd length hex string", "hex.decode", s("abc"));
  }

  @Test
  void urlqueryFollowsGoEscaping() throws Exception {
    assertValue("\"a%3Db%2B1+~\"", call("urlquery.encode", s("a=b+1 ~")));
    assertValue("\"a=b+1\"", call("urlquery.decode", s("a%3Db%2B1")));
    assertValue("\"a=b%2B1&a=c%2B2&z=y\"", call("urlquery.encode_object", v("{\"z\":\"y\",\"a\":[\"b+1\",\"c+2\"]}")));
    assertValue("{\"a\":[\"value_a1\",\"value_a2\"],\"b\":[\"\"]}",
        call("urlquery.decode_object", s("a=value_a1&b&a=value_a2")));
    assertValue("{}", call("urlquery.decode_object", s("")));
    fails(Kind.BUILTIN, "invalid URL escape \"%zz\"", "urlquery.decode", s("%zz"));
    fails(Kind.TYPE, "values must be string, array[string], or set[string]", "urlquery.encode_object",
        v("{\"a\":1}"));
  }

  @Test
  void jsonMarshalWithOptionsIndentsLikeGo() throws Exception {
    Value arr = v("[1234567890, 2000000, {\"b\": [], \"a\": {}}]");
    assertValue("\"[1234567890,2000000,{\\\"a\\\":{},\\\"b\\\":[]}]\"", call("json.marshal_with_options", arr, v("{}")));
    assertEquals("JSON => [\nJSON => \t1234567890,\nJSON => \t2000000,\nJSON => \t{\nJSON => \t\t\"a\": {},\n"
        + "JSON => \t\t\"b\": []\nJSON => \t}\nJSON => ]",
        ((StringValue) call("json.marshal_with_options", arr, v("{\"prefix\": \"JSON => \"}")))
            .value());
    assertValue("\"---[]\"", call("json.marshal_with_options", v("[]"), v("{\"indent\": \"    \", \"prefix\": \"---\"}")));
    fails(Kind.TYPE, "object contained unknown key \"x\"", "json.marshal_with_options", v("[]"), v("{\"x\": true}"));
    fails(Kind.TYPE, "operand 2 key \"prefix\" failed cast to string: operand 1 must be string but got number",
        "json.marshal_with_options", v("[]"), v("{\"indent\": \"x\", \"prefix\": 1}"));
    fails(Kind.TYPE, "operand 2 key \"pretty\" failed cast to bool", "json.marshal_with_options", v("[]"),
        v("{\"pretty\": 1}"));
  }

  @Test
  void jsonKeepsBigNumbersExactAndSetsSorted() throws Exception {
    assertValue("[18446744073709551614, 1.10]", call("json.unmarshal", s("[18446744073709551614, 1.10]")));
    assertEquals("18446744073709551614", call("json.unmarshal", s("18446744073709551614")).toString());
    assertEquals(s("[1.10,-0.5]"), call("json.marshal", call("json.unmarshal", s("[1.10, -0.5]"))));
    Value withSet = ArrayValue.of(ObjectValue.of(Map.of(s("foo"),
        SetValue.of(NumberValue.of(3), NumberValue.of(1), NumberValue.of(2)))));
    assertEquals(s("[{\"foo\":[1,2,3]}]"), call("json.marshal", withSet));
    assertValue("false", call("json.is_valid", s("{")));
    assertValue("false", call("json.is_valid", s("{} {}")));
    assertValue("true", call("json.is_valid", s("{\"json\": \"ok\"}")));
    fails(Kind.TYPE, "operand 1 must be string but got number", "json.unmarshal", v("1"));
    fails(Kind.BUILTIN, "unexpected EOF", "json.unmarshal", s("{"));
    fails(Kind.BUILTIN, "EOF", "json.unmarshal", s(" "));
    fails(Kind.BUILTIN, "invalid character 'p' looking for beginning of value", "json.unmarshal", s("plain"));
    fails(Kind.BUILTIN, "invalid character '}' looking for beginning of object key string", "json.unmarshal",
        s("{\"a\": 1,}"));
    fails(Kind.BUILTIN, "invalid character 'x' in literal true (expecting 'r')", "json.unmarshal", s("tx"));
    fails(Kind.BUILTIN, "invalid character '\\n' in string literal", "json.unmarshal", s("\"a\nb\""));
    fails(Kind.BUILTIN, "error: invalid character '{' after top-level value", "json.unmarshal", s("{} {}"));
    fails(Kind.BUILTIN, "invalid character ']' after object key:value pair", "json.unmarshal", s("{\"a\": 1]"));
  }

  @Test
  void yamlRoundTripsAndReportsParseErrorsLikeGoYaml() throws Exception {
    Value doc = v("[{\"foo\": [1, 2, 3], \"bar\": \"1\", \"baz\": \"a: b\"}]");
    Value text = call("yaml.marshal", doc);
    assertEquals(doc, call("yaml.unmarshal", text));
    assertValue("true", call("yaml.is_valid", s("foo:\n   - qux: bar\n   - baz: 2")));
    assertValue("false", call("yaml.is_valid", s("foo:\n   - qux: bar\n   - baz: {")));
    fails(Kind.BUILTIN, "yaml: line 1: did not find expected ',' or ']'", "yaml.unmarshal", s("[1,2,3"));
    fails(Kind.BUILTIN, "yaml: line 1: mapping values are not allowed in this context", "yaml.unmarshal",
        s("a: b: c"));
    fails(Kind.BUILTIN, "yaml: line 2: did not find expected key", "yaml.unmarshal", s("a:\n  b: 1\n c: 2"));
  }

  @Test
  void yamlMarshalWritesWhatGoYamlWrites() throws Exception {
    assertEquals(s("bar:\n  baz:\n  - a: 1\n    b:\n    - true\nfoo:\n- 1\n- 2\n"),
        call("yaml.marshal", v("{\"foo\": [1, 2], \"bar\": {\"baz\": [{\"a\": 1, \"b\": [true]}]}}")));
    assertEquals(s("- - 1\n  - 2\n- []\n- {}\n"), call("yaml.marshal", v("[[1, 2], [], {}]")));
    // Strings that would read back as something else are quoted; text that cannot be plain is single-quoted.
    assertEquals(s("a: \"\"\nb: ' x'\nc: '#x'\nd: \"2001-12-14\"\ne: \"0x10\"\nf: \"on\"\ng: \"a\\tb\"\n"),
        call("yaml.marshal", v("{\"a\": \"\", \"b\": \" x\", \"c\": \"#x\", \"d\": \"2001-12-14\", "
            + "\"e\": \"0x10\", \"f\": \"on\", \"g\": \"a\\tb\"}")));
    assertEquals(s("m: |-\n  multi\n  line\n"), call("yaml.marshal", v("{\"m\": \"multi\\nline\"}")));
    // Floats are re-read as float64 and printed with %g; keys sort with digit runs as numbers.
    assertEquals(s("a2: 1e+06\na10: 1e-05\n"), call("yaml.marshal", v("{\"a10\": 0.00001, \"a2\": 1000000.0}")));
    assertEquals(s("hello\n"), call("yaml.marshal", s("hello")));
  }

  @Test
  void unitsParseHandlesSiBinaryAndScientificAmounts() throws Exception {
    assertEquals(v("0.5"), call("units.parse", s("500m")));
    assertEquals(v("1126.4"), call("units.parse", s("1.1Ki")));
    assertEquals(v("109951162777600"), call("units.parse", s("\"100TI\"")));
    assertEquals(v("11529215046068469760"), call("units.parse", s("10Ei")));
    assertEquals(v("-0.35"), call("units.parse", s("-3.5E2m")));
    assertEquals(v("2500000"), call("units.parse", s("2.5e3K")));
    assertEquals(v("5000000000000000000"), call("units.parse", s("5E")));
    fails(Kind.BUILTIN, "no amount provided", "units.parse", s("G"));
    fails(Kind.BUILTIN, "could not parse amount to a number", "units.parse", s(".5.2"));
    fails(Kind.BUILTIN, "spaces not allowed in resource strings", "units.parse", s(" 327Mi "));
    fails(Kind.BUILTIN, "unit Zz not recognized", "units.parse", s("1ZZ"));
    fails(Kind.BUILTIN, "exponent too large", "units.parse", s("1e1234567"));
  }

  @Test
  void unitsParseBytesTruncatesToWholeBytes() throws Exception {
    assertEquals(v("4299161"), call("units.parse_bytes", s("4.1Mi")));
    assertEquals(v("137438953472"), call("units.parse_bytes", s("128Gi")));
    assertEquals(v("3000000"), call("units.parse_bytes", s("3MB")));
    assertEquals(v("100"), call("units.parse_bytes", s("0.1kb")));
    assertEquals(v("-1000"), call("units.parse_bytes", s("-1kb")));
    // 1e30 is not a 64-bit binary float; Go keeps the nearest one.
    assertEquals(v("1000000000000000000024696061952"), call("units.parse_bytes", s("1e30")));
    fails(Kind.BUILTIN, "no byte amount provided", "units.parse_bytes", s("foo"));
    fails(Kind.BUILTIN, "could not parse byte amount to a number", "units.parse_bytes", s("0.0.0"));
    fails(Kind.BUILTIN, "byte unit zb not recognized", "units.parse_bytes", s("1zb"));
  }
}
