package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.Call.assertFails;
import static dev.portcullis.rego.builtins.Call.assertResult;
import static dev.portcullis.rego.builtins.Call.v;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegexAndGlobTest {
  private static Value s(String text) { return StringValue.of(text); }

  private static Value n(long i) { return NumberValue.of(i); }

  @Test
  void matchSearchesAnywhereWithRe2Syntax() throws Exception {
    assertResult("true", "regex.match", s("^[a-z]+\\[[0-9]+\\]$"), s("foo[1]"));
    assertResult("true", "regex.match", s("b+"), s("abbbc"));
    assertResult("false", "regex.match", s("^b"), s("abc"));
    assertResult("true", "regex.is_valid", s("a(b)?"));
    assertResult("false", "regex.is_valid", s("a(b"));
    assertResult("false", "regex.is_valid", s("(?=lookahead)"));
    assertResult("false", "regex.is_valid", n(1));
    assertFails(Kind.BUILTIN, "error parsing regexp: missing closing ]: `[a`", "regex.match", s("[a"), s("a"));
  }

  @Test
  void plainWordPatternsAgreeWithTheRegexEngine() throws Exception {
    List<String> patterns = List.of("", "^", "$", "^$", "ab", "^ab", "ab$", "^ab$", "é", "^a$b", "a$$", "^^a", "a.b");
    List<String> texts = List.of("", "ab", "xab", "abx", "xabx", "a", "a$b", "aab", "é", "a\nb", "ab\n");
    for (String p : patterns) {
      for (String t : texts) {
        boolean want = com.google.re2j.Pattern.compile(p).matcher(t).find();
        assertResult(Boolean.toString(want), "regex.match", s(p), s(t));
      }
    }
  }

  @Test
  void findAllSkipsEmptyMatchesRightAfterAMatch() throws Exception {
    assertResult("['','aaa','']", "regex.find_n", s("a*"), s("baaac"), n(-1));
    assertResult("['a','a']", "regex.find_n", s("a"), s("banana"), n(2));
    assertResult("[]", "regex.find_n", s("a"), s("banana"), n(0));
    assertResult("[['a=1','a','1'],['b=2','b','2']]", "regex.find_all_string_submatch_n",
        s("([a-z])=([0-9])"), s("a=1 b=2"), n(-1));
    assertResult("[['x','x','']]", "regex.find_all_string_submatch_n", s("(x)(y)?"), s("x"), n(-1));
  }

  @Test
  void splitAndReplaceFollowGo() throws Exception {
    assertResult("['a','b','c']", "regex.split", s(","), s("a,b,c"));
    assertResult("['']", "regex.split", s("x*"), s(""));
    assertResult("['','b','c']", "regex.split", s("a"), s("abac"));
    assertResult("'x-b-x'", "regex.replace", s("a-b-a"), s("a"), s("x"));
    assertResult("'b=a'", "regex.replace", s("a=b"), s("(\\w)=(\\w)"), s("$2=$1"));
    assertResult("'<b>'", "regex.replace", s("b"), s("(?P<n>b)"), s("<${n}>"));
    assertResult("'$'", "regex.replace", s("a"), s("a"), s("$$"));
    assertResult("'-a-b-'", "regex.replace", s("ab"), s("x*"), s("-"));
  }

  @Test
  void templateMatchQuotesTextOutsideTheDelimiters() throws Exception {
    assertResult("true", "regex.template_match", s("urn:foo:{.*}"), s("urn:foo:bar:baz"), s("{"), s("}"));
    assertResult("false", "regex.template_match", s("urn:foo.bar:{[a-z]+}"), s("urn:fooxbar:abc"), s("{"), s("}"));
    assertFails(Kind.BUILTIN, "unbalanced braces in \"a{b\"", "regex.template_match", s("a{b"), s("a"), s("{"),
        s("}"));
  }

  @Test
  void globsMatchIntersectsTwoPatternLanguages() throws Exception {
    assertResult("true", "regex.globs_match", s("a.a.[0-9]+z"), s(".b.b2359825792*594823z"));
    assertResult("false", "regex.globs_match", s("[a-z]+"), s("[0-9]*"));
    assertResult("true", "regex.globs_match", s("[a-z]+\\[[0-9]+\\]"), s("foo\\[1\\]"));
    assertResult("false", "regex.globs_match", s("[a-z]+\\[[0-9]+\\]"), s("foo[\"bar\"]"));
    assertResult("true", "regex.globs_match", s("a*".repeat(20_000)), s("b*"));
    assertFails(Kind.BUILTIN,
        "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid",
        "regex.globs_match", s("pqrs]"), s("[a-b]+"));
  }

  @Test
  void globMatchHonoursDelimiters() throws Exception {
    assertResult("true", "glob.match", s("*.github.com"), v("['.']"), s("api.github.com"));
    assertResult("false", "glob.match", s("*.github.com"), v("['.']"), s("api.cdn.github.com"));
    assertResult("true", "glob.match", s("api.**.com"), v("['.']"), s("api.cdn.github.com"));
    assertResult("false", "glob.match", s("*"), v("[]"), s("foo.bar"));
    assertResult("true", "glob.match", s("*"), NullValue.INSTANCE, s("foo.bar"));
    assertResult("false", "glob.match", s("?at"), v("['f']"), s("fat"));
    assertResult("true", "glob.match", s("[!a-c]at"), v("[]"), s("fat"));
    assertResult("true", "glob.match", s("{cat,bat,[fr]at}"), v("[]"), s("rat"));
    assertResult("false", "glob.match", s("{cat,bat,[fr]at}"), v("[]"), s("at"));
    assertResult("true", "glob.match", s("a\\*b"), v("[]"), s("a*b"));
    assertResult("false", "glob.match", s("?"), NullValue.INSTANCE, s(""));
    assertResult("false", "glob.match", s("[!0-9]"), NullValue.INSTANCE, s(""));
    assertResult("false", "glob.match", s("a/**/b"), NullValue.INSTANCE, s("a/b"));
    assertResult("true", "glob.match", s("a/**/b"), NullValue.INSTANCE, s("a//b"));
    assertResult("false", "glob.match", s("**/x"), NullValue.INSTANCE, s("x"));
    assertResult("true", "glob.match", s("{**/,}x"), NullValue.INSTANCE, s("x"));
    assertResult("true", "glob.match", s("***"), v("['.']"), s(""));
    assertResult("false", "glob.match", s("*?*"), v("['.', '/']"), s("api.github.com"));
    assertResult("true", "glob.match", s("*?*"), v("['.', '/']"), s("abc"));
    assertResult("false", "glob.match", s("*"), v("['.', '/']"), s("a/b"));
    assertFails(Kind.TYPE, "operand 2 must be one of {array, null} but got string", "glob.match", s("*"), s("."),
        s("a"));
  }

  @Test
  void quoteMetaEscapesGlobSyntax() throws Exception {
    assertResult("'\\\\*.github.com'", "glob.quote_meta", s("*.github.com"));
  }
}
