package dev.portcullis.ledger;

/** The ledger could not do what was asked; nothing that depended on it may proceed. */
public class LedgerException extends Exception {
  public LedgerException(String message) { super(message); }

  public LedgerException(String message, Throwable cause) { super(message, cause); }
}
