package dev.portcullis.conftest.cli;

import dev.portcullis.conftest.replay.DecisionLog;
import dev.portcullis.conftest.replay.RecordedDecision;
import dev.portcullis.conftest.replay.ReplayOutput;
import dev.portcullis.conftest.replay.Replayer;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code policy replay}: what a candidate bundle would have decided differently on recorded traffic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Re-decides the requests recorded in a ledger under a candidate bundle and reports every "
        + "decision whose outcome would change.",
        "Exit status: 0, or 2 with --fail-on-change when a decision changes; 1 when the ledger or the bundle cannot "
            + "be loaded."})
public final class ReplayCommand implements Callable<Integer> {
  enum Format { text, json }

  static final class Source {
    @Option(names = "--ledger", paramLabel = "DIR", description = "Ledger folder, export folder, or JSON lines of "
        + "entries (folder or file).")
    Path ledger;

    @Option(names = "--config", paramLabel = "FILE", description = "Gateway config; replays the ledger its "
        + "'ledger:' section names.")
    Path config;
  }

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", required = true, description = "Candidate bundle folder.")
  Path bundle;

  @Option(names = "--decision", paramLabel = "REF", description = "Decision rule (default data.portcullis.decision).")
  String decision = "data.portcullis.decision";

  @Option(names = {"-f", "--format"}, description = "text (default) or json.")
  Format format = Format.text;

  @Option(names = "--fail-on-change", description = "Exit 2 when any decision would change.")
  boolean failOnChange;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    List<RecordedDecision> recorded;
    Policy candidate;
    try {
      recorded = source.ledger != null ? DecisionLog.read(source.ledger) : DecisionLog.fromConfig(source.config);
      candidate = Policy.compileBundle(bundle);
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (RegoException e) {
      err.println("error: bundle " + bundle + ": " + e);
      return 1;
    }
    Replayer.Report report = new Replayer(candidate, decision).replay(recorded);
    out.print(format == Format.json ? ReplayOutput.json(report) : ReplayOutput.text(report));
    out.flush();
    return failOnChange && !report.changes().isEmpty() ? 2 : 0;
  }
}
