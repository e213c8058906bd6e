package dev.portcullis.gateway.identity;

/** A token was refused; the message says why (and is safe to show the client). */
public final class InvalidTokenException extends Exception {
  public InvalidTokenException(String reason) { super(reason); }
}
