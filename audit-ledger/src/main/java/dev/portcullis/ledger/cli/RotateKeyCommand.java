package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;

import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate-key", description = {
    "Appends a key_rotation entry signed by the current and the new key, then signs with the new key.",
    "Run it while the gateway is stopped, then point ledger.signing_key at the new key."})
final class RotateKeyCommand extends LedgerSubcommand {
  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  @Option(names = "--new-key", required = true, paramLabel = "FILE", description = "Private key from `ledger keygen`")
  Path newKey;

  @Override
  int run() throws LedgerException {
    try (Ledger ledger = Ledger.open(LedgerConfig.fromYaml(config))) {
      Ledger.Appended a = ledger.rotateKey(newKey);
      System.out.println("rotated at seq " + a.seq() + "; now set ledger.signing_key to " + newKey);
    }
    return 0;
  }
}
