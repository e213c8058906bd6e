package dev.portcullis.conftest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.conftest.check.CheckOutput;
import dev.portcullis.conftest.check.CheckResult;
import dev.portcullis.conftest.check.Checker;
import dev.portcullis.conftest.check.ConfigFiles;
import dev.portcullis.rego.RegoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code policy check}: {@code conftest test} on the embedded engine, same output formats and exit codes. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Checks YAML and JSON files against deny, violation and warn rules (conftest semantics).",
        "Exit status: 1 when a rule fails (with --fail-on-warn: 2 for failures, 1 for warnings only), 0 otherwise; "
            + "1 also when a policy or a file cannot be loaded."})
public final class CheckCommand implements Callable<Integer> {
  enum Output { stdout, json, tap, junit }

  static final class Namespaces {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Package(s) to check (default: main).")
    List<String> names = new ArrayList<>();

    @Option(names = "--all-namespaces", description = "Check every package of the policy.")
    boolean all;
  }

  @Spec CommandSpec spec;

  @Option(names = {"-p", "--policy"}, paramLabel = "DIR", required = true, description = "Policy folder(s) or files.")
  List<Path> policy;

  @ArgGroup(exclusive = true)
  Namespaces namespaces = new Namespaces();

  @Option(names = {"-o", "--output"}, description = "stdout (default), json, tap or junit.")
  Output output = Output.stdout;

  @Option(names = "--fail-on-warn", description = "Warnings fail the run too.")
  boolean failOnWarn;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files or folders to check; - for standard input.")
  List<Path> files;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Checker checker;
    try {
      checker = Checker.load(policy);
    } catch (RegoException e) {
      err.println("Error: load policies: " + e);
      return 1;
    }
    List<String> selected = namespaces.all ? checker.namespaces()
        : namespaces.names.isEmpty() ? List.of("main") : namespaces.names;
    List<CheckResult> results = new ArrayList<>();
    try {
      for (Path file : ConfigFiles.expand(files)) {
        JsonNode input;
        try {
          // "-" is standard input, as in conftest; YAML parsing reads JSON too.
          input = file.toString().equals("-") ? ConfigFiles.parse("-", System.in) : ConfigFiles.parse(file);
        } catch (IOException e) {
          err.println("Error: parse " + file + ": " + e.getMessage());
          return 1;
        }
        for (String ns : selected) results.add(checker.check(file.toString(), input, ns));
      }
    } catch (IOException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    } catch (RegoException e) {
      err.println("Error: evaluating policy: " + e);
      return 1;
    }
    out.print(CheckOutput.valueOf(output.name().toUpperCase(Locale.ROOT)).render(results));
    out.flush();
    boolean failures = results.stream().anyMatch(r -> !r.failures().isEmpty());
    boolean warnings = results.stream().anyMatch(r -> !r.warnings().isEmpty());
    if (failOnWarn) return failures ? 2 : warnings ? 1 : 0;
    return failures ? 1 : 0;
  }
}
