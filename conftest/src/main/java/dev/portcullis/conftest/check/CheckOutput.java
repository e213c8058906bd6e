package dev.portcullis.conftest.check;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.conftest.format.GoJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** conftest's output formats for {@code policy check}: stdout (the default), json, tap and junit. */
public enum CheckOutput {
  STDOUT {
    @Override
    public String render(List<CheckResult> results) {
      StringBuilder out = new StringBuilder();
      int failures = 0;
      int warnings = 0;
      int exceptions = 0;
      int successes = 0;
      for (CheckResult r : results) {
        String prefix = " - " + r.fileName() + " - " + r.namespace() + " - ";
        if (r.fileName().equals("-")) prefix = " - - " + r.namespace() + " - ";
        for (Finding f : r.warnings()) out.append("WARN").append(prefix).append(f.message()).append('\n');
        for (Finding f : r.failures()) out.append("FAIL").append(prefix).append(f.message()).append('\n');
        for (Finding f : r.exceptions()) out.append("EXCP").append(prefix).append(f.message()).append('\n');
        failures += r.failures().size();
        warnings += r.warnings().size();
        exceptions += r.exceptions().size();
        successes += r.successes();
      }
      out.append('\n').append(summary(successes + failures + warnings + exceptions, successes, warnings, failures,
          exceptions)).append('\n');
      return out.toString();
    }
  },

  JSON {
    @Override
    public String render(List<CheckResult> results) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (CheckResult r : results) {
        ObjectNode o = array.addObject();
        o.put("filename", r.fileName().equals("-") ? "" : r.fileName());
        o.put("namespace", r.namespace());
        o.put("successes", r.successes());
        findings(o, "warnings", r.warnings());
        findings(o, "failures", r.failures());
        findings(o, "exceptions", r.exceptions());
      }
      return GoJson.write(array, "\t") + "\n";
    }

    private void findings(ObjectNode o, String key, List<Finding> findings) {
      if (findings.isEmpty()) return;
      ArrayNode list = o.putArray(key);
      for (Finding f : findings) {
        ObjectNode item = list.addObject().put("msg", f.message());
        if (f.location() != null) item.set("loc", f.location());
        if (f.metadata() != null) item.set("metadata", f.metadata());
      }
    }
  },

  TAP {
    @Override
    public String render(List<CheckResult> results) {
      StringBuilder out = new StringBuilder();
      for (CheckResult r : results) {
        if (r.tests() == 0) continue;
        String indicator = r.fileName().equals("-") ? " - " + r.namespace() + " - " : " - " + r.fileName() + " - "
            + r.namespace() + " - ";
        out.append("1..").append(r.tests()).append('\n');
        int n = 0;
        for (Finding f : r.failures()) out.append("not ok ").append(++n).append(indicator).append(f.message()).append('\n');
        if (!r.warnings().isEmpty()) {
          out.append("# warnings\n");
          for (Finding f : r.warnings()) out.append("not ok ").append(++n).append(indicator).append(f.message()).append('\n');
        }
        if (!r.exceptions().isEmpty()) {
          out.append("# exceptions\n");
          for (Finding f : r.exceptions()) out.append("ok ").append(++n).append(indicator).append(f.message()).append('\n');
        }
        if (r.successes() > 0) {
          out.append("# successes\n");
          for (int i = 0; i < r.successes(); i++) out.append("ok ").append(++n).append(indicator).append("SUCCESS\n");
        }
      }
      return out.toString();
    }
  },

  /** go-junit-report's XML as conftest prints it: one suite per namespace, tab-indented, Go's XML escaping. */
  JUNIT {
    @Override
    public String render(List<CheckResult> results) {
      Map<String, List<String[]>> suites = new LinkedHashMap<>();
      for (CheckResult r : results) {
        List<String[]> cases = suites.computeIfAbsent(r.namespace(), k -> new ArrayList<>());
        for (Finding f : r.warnings()) cases.add(new String[] {testName(r, f.message()), f.message()});
        for (Finding f : r.failures()) cases.add(new String[] {testName(r, f.message()), f.message()});
        for (int i = 0; i < r.successes(); i++) cases.add(new String[] {r.fileName(), null});
      }
      suites.values().removeIf(List::isEmpty);
      if (suites.isEmpty()) return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites></testsuites>\n";
      StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
      for (Map.Entry<String, List<String[]>> suite : suites.entrySet()) {
        String name = "conftest." + suite.getKey();
        long failed = suite.getValue().stream().filter(c -> c[1] != null).count();
        out.append("\t<testsuite tests=\"").append(suite.getValue().size()).append("\" failures=\"").append(failed)
            .append("\" time=\"0.000\" name=\"").append(goEscape(name)).append("\">\n");
        out.append("\t\t<properties>\n\t\t\t<property name=\"go.version\" value=\"")
            .append(goEscape("java" + Runtime.version().feature())).append("\"></property>\n\t\t</properties>\n");
        for (String[] c : suite.getValue()) {
          out.append("\t\t<testcase classname=\"").append(goEscape(name)).append("\" name=\"").append(goEscape(c[0]))
              .append("\" time=\"0.000\">");
          if (c[1] != null) {
            out.append("\n\t\t\t<failure message=\"Failed\" type=\"\">").append(goEscape(c[1]))
                .append("</failure>\n\t\t");
          }
          out.append("</testcase>\n");
        }
        out.append("\t</testsuite>\n");
      }
      return out.append("</testsuites>\n").toString();
    }

    private String testName(CheckResult r, String message) {
      int nl = message.indexOf('\n');
      return r.fileName() + " - " + (nl < 0 ? message : message.substring(0, nl));
    }
  };

  public abstract String render(List<CheckResult> results);

  /** {@code N tests, P passed, W warnings, F failures, E exceptions} with conftest's exact plurals. */
  public static String summary(int tests, int passed, int warnings, int failures, int exceptions) {
    return tests + " test" + plural(tests) + ", " + passed + " passed, " + warnings + " warning" + plural(warnings)
        + ", " + failures + " failure" + plural(failures) + ", " + exceptions + " exception" + plural(exceptions);
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }

  /** Go's {@code xml.EscapeText}, used for attributes and text alike. */
  static String goEscape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("&#34;");
        case '\'' -> out.append("&#39;");
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\t' -> out.append("&#x9;");
        case '\n' -> out.append("&#xA;");
        case '\r' -> out.append("&#xD;");
        default -> out.append(c < 0x20 ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }
}
