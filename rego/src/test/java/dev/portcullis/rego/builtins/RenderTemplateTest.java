package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.Call.assertFails;
import static dev.portcullis.rego.builtins.Call.call;
import static dev.portcullis.rego.builtins.Call.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.StringValue;
import org.junit.jupiter.api.Test;

class RenderTemplateTest {
  private static void assertRenders(String expected, String template, String varsJson) throws Exception {
    assertEquals(StringValue.of(expected), call("strings.render_template", StringValue.of(template), v(varsJson)),
        template);
  }

  @Test
  void fieldsAndNumbers() throws Exception {
    assertRenders("hello world", "{{.test}}", "{'test': 'hello world'}");
    assertRenders("2023", "{{.test}}", "{'test': 2023}");
    assertRenders("x=2 map[b:2 c:[1 2]]", "x={{.a.b}} {{.a}}", "{'a': {'b': 2, 'c': [1, 2]}}");
  }

  @Test
  void missingKeysPrintUndefined() throws Exception {
    assertRenders("<undefined>", "{{.testvarnotprovided}}", "{'test': 'hello world'}");
    assertRenders("test <undefined> <undefined> 1", "test {{.foo}} {{.bar}} {{.baz}}", "{'baz': 1}");
  }

  @Test
  void rangeIfAndVariables() throws Exception {
    assertRenders("hello rohan,hello john doe",
        "{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
        "{'hellonames': ['rohan', 'john doe']}");
    assertRenders("a=1;b=2;", "{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", "{'m': {'b': 2, 'a': 1}}");
    assertRenders("none", "{{range .xs}}x{{else}}none{{end}}", "{'xs': []}");
    assertRenders("big", "{{if gt .n 10}}big{{else if gt .n 5}}mid{{else}}small{{end}}", "{'n': 11}");
    assertRenders("mid", "{{if gt .n 10}}big{{else if gt .n 5}}mid{{else}}small{{end}}", "{'n': 6}");
    assertRenders("3 B", "{{len .xs}} {{with .inner}}{{.name}}{{end}}", "{'xs': [1,2,3], 'inner': {'name': 'B'}}");
    assertRenders("<7>", "{{.n | printf \"<%d>\"}}", "{'n': 7}");
    assertRenders("a\nb", "a\n  {{- /* comment */}}\nb", "{}");
  }

  @Test
  void badTemplatesAreBuiltinErrors() {
    assertFails(Kind.BUILTIN, "template: template: 1: unexpected EOF", "strings.render_template",
        StringValue.of("{{if .a}}x"), v("{}"));
    assertFails(Kind.BUILTIN, "template: template: 1: actions nested too deeply", "strings.render_template",
        StringValue.of("{{if .a}}".repeat(5000) + "{{end}}".repeat(5000)), v("{}"));
    assertFails(Kind.BUILTIN, "template: template: 1: unexpected \")\" in command", "strings.render_template",
        StringValue.of("{{.a)}}"), v("{}"));
    assertFails(Kind.TYPE, "operand 2 must be object but got array", "strings.render_template",
        StringValue.of("x"), v("[]"));
  }
}
