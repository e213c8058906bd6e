package dev.portcullis.cli;

import dev.portcullis.conftest.cli.PolicyCommand;
import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.rego.cli.RegoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./portcullis}: every tool of the project under one command. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, version = "portcullis 0.1.0",
    description = "Policy-as-code access gateway for PostgreSQL, MySQL and HTTP services.",
    subcommands = {LedgerCommand.class, PolicyCommand.class, RegoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("serve", new ServeCommand());
    cli.addSubcommand("token", new TokenCommand());
    cli.addSubcommand("approvals", new ApprovalsCommand());
    cli.addSubcommand("access", new AccessCommand());
    cli.addSubcommand("demo", new DemoCommand());
    return cli;
  }
}
