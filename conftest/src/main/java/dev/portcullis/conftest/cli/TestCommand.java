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
import dev.portcullis.rego.tester.Tester;
import java.nio.file.Files;
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
            + "error (and, as in opa, when tests fail under --coverage)."})
public final class TestCommand implements Callable<Integer> {
  enum Format { pretty, json, junit, tap }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "0..*", description = "Rego files or folders (default: policies when "
      + "there is such a folder here, else .)")
  List<Path> paths = List.of(Files.isDirectory(Path.of("policies")) ? Path.of("policies") : Path.of("."));

  @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures.")
  boolean verbose;

  @Option(names = {"-r", "--run"}, paramLabel = "REGEX", description = "Run only tests whose full name "
      + "(data.pkg.test_x) matches.")
  String run;

  @Option(names = {"-f", "--format"}, description = "pretty (default), json, junit or tap.")
  Format format = Format.pretty;

  @Option(names = {"-c", "--coverage"}, description = "Print opa's JSON coverage report (rule lines per file).")
  boolean coverage;

  @Option(names = "--threshold", paramLabel = "PERCENT", description = "Fail (exit 2) below this coverage; implies "
      + "--coverage.")
  double threshold;

  @Option(names = {"-z", "--exit-zero-on-skipped"}, description = "Skipped (todo_) tests do not fail the run.")
  boolean exitZeroOnSkipped;

  @Option(names = "--fail-on-empty", description = "Fail (exit 1) when no test ran.")
  boolean failOnEmpty;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (threshold < 0 || threshold > 100) {
      err.println("Code coverage threshold must be between 0 and 100");
      return 1;
    }
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
    boolean withCoverage = coverage || threshold > 0;
    TestReport report;
    try {
      report = Tester.run(Policy.compileFiles(paths), filter, withCoverage);
    } catch (RegoException e) {
      err.println("1 error occurred: " + PrettyTestReport.opaError(e.toString()));
      return 1;
    }
    List<TestResult> results = report.results();
    int exit = results.stream().anyMatch(r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.ERROR
        || (r.outcome() == Outcome.SKIPPED && !exitZeroOnSkipped)) ? 2 : 0;
    if (withCoverage) {
      Integer failed = reportFailuresInsteadOfCoverage(results);
      if (failed != null) return failed;
      out.print(CoverageReport.render(report.coverage()));
      out.flush();
      int covered = report.coverage().values().stream().mapToInt(c -> c.covered().size()).sum();
      int notCovered = report.coverage().values().stream().mapToInt(c -> c.notCovered().size()).sum();
      double percent = CoverageReport.percent(covered, notCovered).doubleValue();
      if (percent < threshold) {
        err.printf("Code coverage threshold not met: got %.2f instead of %.2f%n", percent, threshold);
        return 2;
      }
    } else {
      out.print(switch (format) {
        case pretty -> PrettyTestReport.render(results, verbose);
        case json -> JsonTestReport.render(results);
        case junit -> JunitTestReport.render(results);
        case tap -> TapTestReport.render(results);
      });
      out.flush();
    }
    if (results.isEmpty() && failOnEmpty) {
      err.println("no tests were run");
      return 1;
    }
    return exit;
  }

  /**
   * As {@code opa test --coverage} does: an erroring test is reported instead of the coverage, failing tests are
   * printed in the pretty format, and either ends the run with status 1. Null when nothing failed.
   */
  private Integer reportFailuresInsteadOfCoverage(List<TestResult> results) {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    for (TestResult r : results) {
      if (r.outcome() == Outcome.ERROR) {
        err.println(PrettyTestReport.opaError(r.error() == null ? "error" : r.error()));
        return 1;
      }
    }
    List<TestResult> failures = results.stream().filter(r -> r.outcome() == Outcome.FAIL).toList();
    if (failures.isEmpty()) return null;
    out.print(PrettyTestReport.render(failures, verbose));
    out.flush();
    err.println(PrettyTestReport.line(failures.get(0)) + "\n");
    return 1;
  }
}
