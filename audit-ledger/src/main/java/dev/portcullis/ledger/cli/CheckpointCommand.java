package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.store.LedgerStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "checkpoint", description = "Prints the latest signed checkpoint: the text an auditor saves.")
final class CheckpointCommand extends LedgerSubcommand {
  @Mixin
  Source source;

  @Override
  int run() throws LedgerException {
    try (LedgerStore store = source.open()) {
      List<String> notes = store.checkpoints();
      if (notes.isEmpty()) throw new LedgerException("the ledger has no checkpoint yet");
      System.out.print(notes.get(notes.size() - 1));
    }
    return 0;
  }
}
