package dev.portcullis.ledger.merkle;

/** A Merkle proof does not prove what it claims. */
public final class InvalidProofException extends Exception {
  public InvalidProofException(String message) { super(message); }
}
