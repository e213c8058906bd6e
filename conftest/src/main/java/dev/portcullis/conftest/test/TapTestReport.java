package dev.portcullis.conftest.test;

import dev.portcullis.rego.tester.TestResult;
import java.util.List;

/**
 * TAP version 13: {@code ok}/{@code not ok} per test, {@code # SKIP} for todo tests, and a YAML block with the
 * error or the printed output under a failing test.
 */
public final class TapTestReport {
  private TapTestReport() {}

  public static String render(List<TestResult> results) {
    StringBuilder out = new StringBuilder("TAP version 13\n1..").append(results.size()).append('\n');
    int n = 0;
    for (TestResult r : results) {
      n++;
      String name = r.pkg() + "." + r.name();
      switch (r.outcome()) {
        case PASS -> out.append("ok ").append(n).append(" - ").append(name).append('\n');
        case SKIPPED -> out.append("ok ").append(n).append(" - ").append(name).append(" # SKIP todo test\n");
        case FAIL, ERROR -> {
          out.append("not ok ").append(n).append(" - ").append(name).append('\n');
          out.append("  ---\n  outcome: ").append(r.outcome().name().toLowerCase()).append('\n');
          if (r.location() != null) {
            out.append("  at: ").append(r.location().file()).append(':').append(r.location().row()).append('\n');
          }
          if (r.error() != null) out.append("  message: ").append(yamlQuote(PrettyTestReport.opaError(r.error()))).append('\n');
          if (r.output() != null && !r.output().isEmpty()) {
            out.append("  output: ").append(yamlQuote(r.output().strip())).append('\n');
          }
          out.append("  ...\n");
        }
      }
    }
    return out.toString();
  }

  private static String yamlQuote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
