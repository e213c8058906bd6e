package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import picocli.CommandLine.Option;

/** The {@code --format text|json} choice of the commands that print entries or reports. */
final class OutputFormat {
  @Option(names = "--format", defaultValue = "text", description = "text or json")
  String format;

  /** Whether to print JSON; a format other than text or json is refused. */
  boolean json() throws LedgerException {
    if (!format.equals("text") && !format.equals("json")) throw new LedgerException("--format must be text or json");
    return format.equals("json");
  }
}
