package dev.portcullis.ledger.note;

/** A note, checkpoint or proof text is malformed or its signature does not hold. */
public final class NoteException extends Exception {
  public NoteException(String message) { super(message); }
}
