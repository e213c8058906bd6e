package dev.portcullis.ledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis ledger ...}: keys, verification and inspection of the audit ledger. */
@Command(name = "ledger", mixinStandardHelpOptions = true, version = "portcullis-ledger 0.1.0",
    description = "The audit ledger: generate keys, verify offline, print checkpoints, show, export and prove entries.",
    subcommands = {KeygenCommand.class, VerifyCommand.class, CheckpointCommand.class, ShowCommand.class,
        ExportCommand.class, ProveCommand.class, VerifyProofCommand.class, RotateKeyCommand.class,
        CommandLine.HelpCommand.class})
public final class LedgerCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }

  /** The command line of the auditor's jar. */
  public static CommandLine commandLine() {
    return new CommandLine(new LedgerCommand());
  }
}
