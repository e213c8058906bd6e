package dev.portcullis.conftest.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code portcullis policy ...} in-process and captures what it prints. */
public record PolicyCli(int exit, String out, String err) {
  public static PolicyCli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new PolicyCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new PolicyCli(exit, out.toString(), err.toString());
  }

  /** The output with every duration made {@code D}, so runs compare byte for byte. */
  public String outWithoutDurations() {
    return out.replaceAll("\\((\\d+(\\.\\d+)?(ns|µs|ms|s|m|h))+\\)", "(D)")
        .replaceAll("\"duration\": \\d+", "\"duration\": 0")
        .replaceAll("time=\"\\d+\\.\\d{3}\"", "time=\"T\"");
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
