package dev.portcullis.conftest.test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.format.GoJson;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code opa test --format=json}: one indented array, keys in the order and with the omissions opa uses. */
public final class JsonTestReport {
  /** opa's error text, {@code file:row: code: message}, split back into the fields its JSON carries. */
  private static final Pattern ERROR = Pattern.compile("(?s)^(?:(.+?):(\\d+)(?::(\\d+))?: )?([a-z][a-z_]*_error): (.*)$");

  private JsonTestReport() {}

  public static String render(List<TestResult> results) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ArrayNode array = f.arrayNode();
    for (TestResult r : results) {
      ObjectNode o = array.addObject();
      if (r.location() == null) {
        o.putNull("location");
      } else {
        o.putObject("location").put("file", r.location().file()).put("row", r.location().row())
            .put("col", r.location().col());
      }
      o.put("package", r.pkg());
      o.put("name", r.name());
      if (r.outcome() == Outcome.FAIL) o.put("fail", true);
      if (r.outcome() == Outcome.ERROR) o.set("error", error(r.error()));
      if (r.outcome() == Outcome.SKIPPED) o.put("skip", true);
      o.put("duration", r.durationNanos());
      if (r.output() != null && !r.output().isEmpty()) {
        String bytes = r.output().endsWith("\n") ? r.output() : r.output() + "\n";
        o.put("output", Base64.getEncoder().encodeToString(bytes.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return GoJson.write(array, "  ") + "\n";
  }

  /** The error object opa marshals from its topdown/ast error: code, message and, when known, location. */
  static ObjectNode error(String text) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    String message = text == null ? "" : text;
    Matcher m = ERROR.matcher(message);
    if (m.matches()) {
      e.put("code", m.group(4));
      e.put("message", m.group(5));
      if (m.group(1) != null) {
        ObjectNode loc = e.putObject("location").put("file", m.group(1)).put("row", Integer.parseInt(m.group(2)));
        if (m.group(3) != null) loc.put("col", Integer.parseInt(m.group(3)));
      }
    } else {
      e.put("code", "eval_error");
      e.put("message", message);
    }
    return e;
  }
}
