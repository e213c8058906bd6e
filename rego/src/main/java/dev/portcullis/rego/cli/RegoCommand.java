package dev.portcullis.rego.cli;

import dev.portcullis.rego.conformance.ConformanceRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis rego ...}: tools of the embedded Rego engine. */
@Command(name = "rego", mixinStandardHelpOptions = true, description = "Embedded Rego engine tools.",
    subcommands = {RegoCommand.Conformance.class})
public final class RegoCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Runs OPA conformance cases and prints failures, a table per category and the summary line. */
  @Command(name = "conformance", mixinStandardHelpOptions = true,
      description = "Run OPA conformance cases (*.yaml below the folder) against the engine.")
  public static final class Conformance implements Callable<Integer> {
    @Parameters(index = "0", description = "Folder of conformance case files")
    Path folder;

    @Option(names = "--markdown", description = "Also write the per-category report as Markdown to this file")
    Path markdown;

    @Override
    public Integer call() throws Exception {
      if (!Files.isDirectory(folder)) {
        System.err.println("rego conformance: not a folder: " + folder);
        return 1;
      }
      ConformanceRunner.Report report = ConformanceRunner.run(folder);
      ConformanceRunner.print(report, System.out);
      if (markdown != null) Files.writeString(markdown, ConformanceRunner.markdown(report));
      return report.count(ConformanceRunner.Outcome.FAIL) == 0 ? 0 : 1;
    }
  }
}
