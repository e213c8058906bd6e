package dev.portcullis.gateway.grants;

/** A grant operation was refused; the message says why (shown to the requester or client as is). */
public final class GrantException extends Exception {
  public GrantException(String message) { super(message); }
}
