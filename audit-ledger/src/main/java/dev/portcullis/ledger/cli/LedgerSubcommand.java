package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import java.util.concurrent.Callable;

/** A ledger subcommand: a refusal is one line on stderr ("ledger: ...") and exit status 1, wherever it runs. */
abstract class LedgerSubcommand implements Callable<Integer> {
  @Override
  public final Integer call() {
    try {
      return run();
    } catch (LedgerException e) {
      System.err.println("ledger: " + e.getMessage());
      return 1;
    }
  }

  abstract int run() throws LedgerException;
}
