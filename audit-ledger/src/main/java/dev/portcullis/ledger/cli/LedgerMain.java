package dev.portcullis.ledger.cli;

/** The auditor's jar: {@code java -jar portcullis-ledger.jar verify EXPORT_DIR --key VKEY}. */
public final class LedgerMain {
  private LedgerMain() {}

  public static void main(String[] args) {
    System.exit(LedgerCommand.commandLine().execute(args));
  }
}
