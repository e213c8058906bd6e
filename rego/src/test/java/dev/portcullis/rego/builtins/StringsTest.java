package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.Call.assertFails;
import static dev.portcullis.rego.builtins.Call.assertResult;
import static dev.portcullis.rego.builtins.Call.call;
import static dev.portcullis.rego.builtins.Call.set;
import static dev.portcullis.rego.builtins.Call.v;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import org.junit.jupiter.api.Test;

class StringsTest {
  private static Value s(String text) { return StringValue.of(text); }

  private static Value n(long i) { return NumberValue.of(i); }

  @Test
  void positionsCountRunesNotUtf16Units() throws Exception {
    assertResult("2", "indexof", s("abcdefgh"), s("cde"));
    assertResult("-1", "indexof", s("abcdefgh"), s("xyz"));
    assertResult("3", "indexof", s("😀åäx"), s("x"));
    assertResult("[0,1,2]", "indexof_n", s("aaaa"), s("aa"));
    assertResult("[1,3]", "indexof_n", s("😀x😀x"), s("x"));
    assertResult("'åä'", "substring", s("åäö"), n(0), n(2));
    assertResult("'cdefghåäö'", "substring", s("abcdefghåäö"), n(2), n(10000));
    assertResult("''", "substring", s("åäö"), n(3), n(-1));
    assertResult("'😀b'", "substring", s("a😀bc"), n(1), n(2));
    assertFails(Kind.BUILTIN, "negative offset", "substring", s("aaa"), n(-1), n(-1));
    assertResult("'bc'", "substring", s("abc"), n(1), n(9_999_999_999L));
    assertFails(Kind.TYPE, "operand 3 must be integer number but got floating-point number", "substring", s("abc"),
        n(1), NumberValue.parse("1.5"));
    assertResult("4", "count", s("a😀bc"));
    assertFails(Kind.BUILTIN, "empty search character", "indexof", s("abc"), s(""));
  }

  @Test
  void splitFollowsGo() throws Exception {
    assertResult("['']", "split", s(""), s("."));
    assertResult("[]", "split", s(""), s(""));
    assertResult("['t','e','s','t']", "split", s("test"), s(""));
    assertResult("['foo','bar','baz']", "split", s("foo.bar.baz"), s("."));
    assertResult("['','a','']", "split", s(".a."), s("."));
    assertResult("['a','b']", "strings.split_n", s("a.b.c.d"), s("."), n(2));
    assertResult("['c','d']", "strings.split_n", s("a.b.c.d"), s("."), n(-2));
    assertResult("[]", "strings.split_n", s("a.b.c.d"), s("."), n(0));
    assertResult("['a','b','c','d']", "strings.split_n", s("a.b.c.d"), s("."), n(-10));
    assertResult("['b','c']", "strings.split_n", s("abc"), s(""), n(-2));
    assertResult("['']", "strings.split_n", s(""), s("."), n(2));
  }

  @Test
  void replaceAndReplaceN() throws Exception {
    assertResult("'foo,,.bar'", "replace", s("foo...bar"), s(".."), s(",,"));
    assertResult("'-a-b-'", "replace", s("ab"), s(""), s("-"));
    assertResult("'1 2 3'", "strings.replace_n", v("{'a':'1','b':'2','c':'3'}"), s("a b c"));
    // Patterns apply in key order and replaced text is never rescanned.
    assertResult("'y'", "strings.replace_n", v("{'ab':'x','x':'y'}"), s("x"));
    assertResult("'-a-X-c-'", "strings.replace_n", v("{'':'-','b':'X'}"), s("abc"));
    assertResult("'xc'", "strings.replace_n", v("{'ab':'x','abc':'y'}"), s("abc"));
    assertFails(Kind.TYPE, "operand 1 non-string value found in pattern object", "strings.replace_n",
        v("{'a':1}"), s("a"));
    assertFails(Kind.TYPE, "operand 2 must be string but got number", "strings.replace_n", v("{'a':'b'}"), n(1));
  }

  @Test
  void replacementsThatWouldExplodeHitTheBudget() {
    String big = "a".repeat(10_000);
    assertEquals(Kind.BUDGET, assertThrows(
        BuiltinException.class, () -> call("replace", s(big), s("a"), s("bbbbbbbbbb"))).kind());
    assertEquals(Kind.BUDGET, assertThrows(
        BuiltinException.class, () -> call("replace", s(big), s(""), s("bbbbbbbbbb"))).kind());
    assertEquals(Kind.BUDGET, assertThrows(
        BuiltinException.class, () -> call("regex.replace", s(big), s("a"), s("bbbbbbbbbb"))).kind());
  }

  @Test
  void trimmingUsesCutsetsOfRunes() throws Exception {
    assertResult("'abc'", "trim", s("xyabcyx"), s("xy"));
    assertResult("'abcyx'", "trim_left", s("xyabcyx"), s("xy"));
    assertResult("'xyabc'", "trim_right", s("xyabcyx"), s("xy"));
    assertResult("'bar'", "trim_prefix", s("foobar"), s("foo"));
    assertResult("'foo'", "trim_suffix", s("foobar"), s("bar"));
    assertResult("'a b'", "trim_space", s("\u00a0\t a b\n\u2003"));
  }

  @Test
  void caseMappingIsPerRune() throws Exception {
    assertResult("'abcdef'", "lower", s("AbCdEf"));
    assertResult("'ÅÄÖ'", "upper", s("åäö"));
    assertResult("'i'", "lower", s("I"));
  }

  @Test
  void concatOverArraysAndSets() throws Exception {
    assertResult("'a/b'", "concat", s("/"), v("['a','b']"));
    assertResult("'1,2,3'", "concat", s(","), set("['3','1','2']"));
    assertResult("''", "concat", s(","), v("[]"));
    assertFails(Kind.TYPE, "operand 2 must be array of strings but got array containing number", "concat", s(","),
        v("['a',1]"));
  }

  @Test
  void prefixAndSuffixMatchingOverCollections() throws Exception {
    assertResult("true", "strings.any_prefix_match", v("['a/b/c','e/f/g']"), v("['x/','e/']"));
    assertResult("false", "strings.any_prefix_match", s("a/b"), set("['b','c']"));
    assertResult("true", "strings.any_suffix_match", v("['a/b/c']"), s("/c"));
    assertFails(Kind.TYPE, "operand 1 must be array of strings but got array containing number",
        "strings.any_prefix_match", v("[1]"), s("a"));
    assertFails(Kind.TYPE, "operand 2 must be one of {string, set, array} but got number",
        "strings.any_suffix_match", s("a"), n(1));
  }

  @Test
  void reverseAndCount() throws Exception {
    assertResult("'c😀ba'", "strings.reverse", s("ab😀c"));
    assertResult("3", "strings.count", s("cheese"), s("e"));
    assertResult("5", "strings.count", s("five"), s(""));
    assertFails(Kind.TYPE, "operand 1 must be string but got number", "strings.reverse", n(1));
  }

  @Test
  void sprintfFollowsGoFmt() throws Exception {
    assertSprintf("hi there", "hi %s", "['there']");
    assertSprintf("hi [\"there\", 5, 3.14]", "hi %v", "[['there', 5, 3.14]]");
    assertSprintf("hi 3.14", "hi %.2f", "[3.1415]");
    assertSprintf("hi 7F.01", "hi %02X.%02X", "[127, 1]");
    assertSprintf("123456789123456789123", "%s", "[123456789123456789123]");
    assertSprintf("x", "x", "[]");
    assertSprintf("42 -7 +5 00042 42   |  42", "%d %d %+d %05d %-5d|%4d", "[42, -7, 5, 42, 42, 42]");
    assertSprintf("ff FF 0xff 377 1010", "%x %X %#x %o %b", "[255, 255, 255, 255, 10]");
    assertSprintf("%!d(string=hi) %!s(int=5)", "%d %s", "['hi', 5]");
    assertSprintf("1.5 1.0000005e+06 1.234568e+00 0.12", "%v %v %e %.2f", "[1.5, 1000000.5, 1.2345678, 0.125]");
    assertSprintf("\"a\\\"b\" true {\"a\": 1} null", "%q %v %v %v", "['a\\\"b', true, {'a': 1}, null]");
    assertSprintf("%!d(MISSING)", "%d", "[]");
    assertSprintf("%!f(big.Int=123456789012345678901234567890) *big.Int", "%f %T",
        "[123456789012345678901234567890, 123456789012345678901234567890]");
    assertSprintf("a%!(EXTRA int=1, string=b)", "a", "[1, 'b']");
    assertSprintf("100%", "100%%", "[]");
    assertSprintf("int string float64", "%T %T %T", "[1, 'a', 1.5]");
    assertEquals(StringValue.of("set() {1, 2}"),
        call("sprintf", s("%v %v"), new dev.portcullis.rego.value.ArrayValue(
            java.util.List.of(dev.portcullis.rego.value.SetValue.EMPTY, set("[2, 1]")))));
  }

  private static void assertSprintf(String expected, String format, String argsJson) throws Exception {
    assertEquals(StringValue.of(expected), call("sprintf", s(format), v(argsJson)), format);
  }
}
