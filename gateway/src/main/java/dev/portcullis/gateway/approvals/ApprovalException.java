package dev.portcullis.gateway.approvals;

/** An approval operation was refused; the message says why (shown to the reviewer as is). */
public final class ApprovalException extends Exception {
  public ApprovalException(String message) { super(message); }

  public ApprovalException(String message, Throwable cause) { super(message, cause); }
}
