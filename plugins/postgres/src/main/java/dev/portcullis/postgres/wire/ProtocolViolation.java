package dev.portcullis.postgres.wire;

/** Input that is not PostgreSQL protocol 3.0: the connection that sent it is closed with SQLSTATE 08P01. */
public final class ProtocolViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolViolation(String message) {
    super(message, null, false, false);
  }
}
