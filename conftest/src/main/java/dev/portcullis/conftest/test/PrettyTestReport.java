package dev.portcullis.conftest.test;

import dev.portcullis.conftest.format.GoDuration;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code opa test}'s default report: failing and erroring tests (every test with {@code -v}), each under its
 * {@code file:row:} line, a FAILURES section in verbose mode, then {@code PASS: n/total}-style counts.
 */
public final class PrettyTestReport {
  static final String RULE = "-".repeat(80);

  private PrettyTestReport() {}

  public static String render(List<TestResult> results, boolean verbose) {
    StringBuilder out = new StringBuilder();
    boolean dirty = false;
    int pass = 0;
    int fail = 0;
    int skip = 0;
    int errors = 0;
    List<TestResult> failures = new ArrayList<>();
    String lastFile = null;
    for (TestResult r : results) {
      switch (r.outcome()) {
        case SKIPPED -> skip++;
        case ERROR -> errors++;
        case FAIL -> {
          fail++;
          failures.add(r);
        }
        case PASS -> pass++;
      }
      if (verbose || r.outcome() != Outcome.PASS) {
        if (r.location() != null) {
          if (lastFile != null && !lastFile.equals(r.location().file())) out.append('\n');
          out.append(r.location().file()).append(':').append(r.location().row()).append(":\n");
          lastFile = r.location().file();
        }
        dirty = true;
        out.append(line(r)).append('\n');
        if (r.output() != null && !r.output().isEmpty()) {
          out.append('\n').append(indent(r.output().strip(), "  ")).append("\n\n");
        }
      }
      if (r.outcome() == Outcome.ERROR && r.error() != null) out.append("  ").append(opaError(r.error())).append('\n');
    }
    if (fail > 0 && verbose) {
      out.append(RULE).append('\n').append("FAILURES\n").append(RULE).append('\n');
      // opa prints the evaluation trace of each failure between these blank lines; our engine records none.
      for (TestResult f : failures) out.append(line(f)).append("\n\n\n");
    }
    if (dirty) out.append(RULE).append('\n');
    int total = pass + fail + skip + errors;
    if (pass != 0) out.append("PASS: ").append(pass).append('/').append(total).append('\n');
    if (fail != 0) out.append("FAIL: ").append(fail).append('/').append(total).append('\n');
    if (skip != 0) out.append("SKIPPED: ").append(skip).append('/').append(total).append('\n');
    if (errors != 0) out.append("ERROR: ").append(errors).append('/').append(total).append('\n');
    return out.toString();
  }

  /** {@code data.pkg.test_x: FAIL (1.2ms)}; a skipped test has no duration. */
  public static String line(TestResult r) {
    String head = r.pkg() + "." + r.name() + ": " + outcome(r.outcome());
    return r.outcome() == Outcome.SKIPPED ? head : head + " (" + GoDuration.format(r.durationNanos()) + ")";
  }

  static String outcome(Outcome o) {
    return o == Outcome.SKIPPED ? "SKIPPED" : o.name();
  }

  private static final java.util.regex.Pattern ROW_COL =
      java.util.regex.Pattern.compile("^(.+?:\\d+):\\d+: ([a-z][a-z_]*_error: )");

  /** An engine error as opa prints it: its location as {@code file:row}, without the column. */
  public static String opaError(String error) {
    return ROW_COL.matcher(error).replaceFirst("$1: $2");
  }

  private static String indent(String text, String prefix) {
    return prefix + text.replace("\n", "\n" + prefix);
  }
}
