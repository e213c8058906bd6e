package dev.portcullis.conftest.test;

import dev.portcullis.conftest.format.Xml;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML for CI test tabs (opa has no such format): one {@code <testsuite>} per Rego package, one
 * {@code <testcase>} per test, {@code <failure>}, {@code <error>} or {@code <skipped>} as the outcome says.
 */
public final class JunitTestReport {
  private JunitTestReport() {}

  public static String render(List<TestResult> results) {
    Map<String, List<TestResult>> byPackage = new LinkedHashMap<>();
    for (TestResult r : results) byPackage.computeIfAbsent(r.pkg(), k -> new ArrayList<>()).add(r);
    StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    Counts all = Counts.of(results);
    out.append("<testsuites name=\"policy test\"").append(all.attributes()).append(">\n");
    for (Map.Entry<String, List<TestResult>> suite : byPackage.entrySet()) {
      Counts c = Counts.of(suite.getValue());
      out.append("  <testsuite name=\"").append(Xml.attr(suite.getKey())).append('"').append(c.attributes())
          .append(">\n");
      for (TestResult r : suite.getValue()) testcase(r, out);
      out.append("  </testsuite>\n");
    }
    out.append("</testsuites>\n");
    return out.toString();
  }

  private static void testcase(TestResult r, StringBuilder out) {
    out.append("    <testcase classname=\"").append(Xml.attr(r.pkg())).append("\" name=\"").append(Xml.attr(r.name()))
        .append('"');
    if (r.location() != null) {
      out.append(" file=\"").append(Xml.attr(r.location().file())).append("\" line=\"").append(r.location().row())
          .append('"');
    }
    out.append(" time=\"").append(seconds(r.durationNanos())).append('"');
    boolean hasOutput = r.output() != null && !r.output().isEmpty();
    if (r.outcome() == Outcome.PASS && !hasOutput) {
      out.append("/>\n");
      return;
    }
    out.append(">\n");
    switch (r.outcome()) {
      case FAIL -> out.append("      <failure message=\"").append(Xml.attr(PrettyTestReport.line(r)))
          .append("\" type=\"FAIL\"/>\n");
      case ERROR -> {
        String error = r.error() == null ? "" : PrettyTestReport.opaError(r.error());
        out.append("      <error message=\"").append(Xml.attr(firstLine(error))).append("\" type=\"ERROR\">")
            .append(Xml.text(error)).append("</error>\n");
      }
      case SKIPPED -> out.append("      <skipped message=\"todo test\"/>\n");
      case PASS -> { }
    }
    if (hasOutput) out.append("      <system-out>").append(Xml.text(r.output())).append("</system-out>\n");
    out.append("    </testcase>\n");
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  private record Counts(int tests, int failures, int errors, int skipped, long nanos) {
    static Counts of(List<TestResult> results) {
      int failures = 0;
      int errors = 0;
      int skipped = 0;
      long nanos = 0;
      for (TestResult r : results) {
        switch (r.outcome()) {
          case FAIL -> failures++;
          case ERROR -> errors++;
          case SKIPPED -> skipped++;
          case PASS -> { }
        }
        nanos += r.durationNanos();
      }
      return new Counts(results.size(), failures, errors, skipped, nanos);
    }

    String attributes() {
      return " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped
          + "\" time=\"" + seconds(nanos) + "\"";
    }
  }
}
