package dev.portcullis.conftest.cli;

import dev.portcullis.conftest.test.CoverageReport;
import dev.portcullis.conftest.test.JsonTestReport;
import dev.portcullis.conftest.test.JunitTestReport;
import dev.portcullis.conftest.test.PrettyTestReport;
import dev.portcullis.conftest.test.TapTestReport;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import dev.portcullis.rego.tester.TestReport;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy test}: {@code opa test} on the embedded engine, same output and exit codes. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = {"Runs the test_* rules of the Rego files below each DIR (opa test semantics).",
        "Exit status: 0 when every test passes, 2 when a test fails, errors or is skipped, 1 on a load or compile "
            + "error."})
public final class TestCommand implements Callable<Integer> {
  enum Format { pretty, json, junit, tap }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "0..*", description = "Rego files or folders (default: .)")
  List<Path> paths = List.of(Path.of("."));

  @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures.")
  boolean verbose;

  @Option(names = {"-r", "--run"}, paramLabel = "REGEX", description = "Run only tests whose full name "
      + "(data.pkg.test_x) matches.")
  String run;

  @Option(names = {"-f", "--format"}, description = "pretty (default), json, junit or tap.")
  Format format = Format.pretty;

  @Option(names = {"-c", "--coverage"}, description = "Print opa's JSON coverage report (rule lines per file).")
  boolean coverage;

  @Option(names = "--threshold", paramLabel = "PERCENT", description = "With --coverage: fail below this coverage.")
  double threshold;

  @Option(names = {"-z", "--exit-zero-on-skipped"}, description = "Skipped (todo_) tests do not fail the run.")
  boolean exitZeroOnSkipped;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Predicate<String> filter = name -> true;
    if (run != null) {
      try {
        Pattern pattern = Pattern.compile(run);
        filter = name -> pattern.matcher(name).find();
      } catch (PatternSyntaxException e) {
        err.println("error: --run: " + e.getDescription() + " in " + run);
        return 1;
      }
    }
    TestReport report;
    try {
      report = dev.portcullis.rego.tester.Tester.run(Policy.compileFiles(paths), filter, coverage);
    } catch (RegoException e) {
      err.println("1 error occurred: " + e);
      return 1;
    }
    List<TestResult> results = report.results();
    boolean failed = results.stream().anyMatch(r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.ERROR
        || (r.outcome() == Outcome.SKIPPED && !exitZeroOnSkipped));
    if (coverage) {
      if (failed) {
        // As opa does: failures are reported instead of the coverage, which would mean little.
        out.print(PrettyTestReport.render(results.stream().filter(r -> r.outcome() != Outcome.PASS).toList(), verbose));
        out.flush();
        return 2;
      }
      out.print(CoverageReport.render(report.coverage()));
      out.flush();
      int covered = report.coverage().values().stream().mapToInt(c -> c.covered().size()).sum();
      int notCovered = report.coverage().values().stream().mapToInt(c -> c.notCovered().size()).sum();
      if (CoverageReport.percent(covered, notCovered).doubleValue() < threshold) {
        err.printf("Code coverage threshold not met: got %.2f instead of %.2f%n",
            CoverageReport.percent(covered, notCovered).doubleValue(), threshold);
        return 2;
      }
      return 0;
    }
    out.print(switch (format) {
      case pretty -> PrettyTestReport.render(results, verbose);
      case json -> JsonTestReport.render(results);
      case junit -> JunitTestReport.render(results);
      case tap -> TapTestReport.render(results);
    });
    out.flush();
    return failed ? 2 : 0;
  }
}
