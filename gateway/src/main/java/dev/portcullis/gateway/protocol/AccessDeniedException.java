package dev.portcullis.gateway.protocol;

import java.util.List;

/** A session was refused. The module reports {@link #getMessage()} to the client and closes the connection. */
public final class AccessDeniedException extends Exception {

  /** Why, so the module can pick the protocol's error code (PostgreSQL: 28P01, 42501, 3D000, 58000). */
  public enum Kind {
    /** The token is missing, malformed, expired, wrongly signed or from an unknown issuer. */
    AUTHENTICATION,
    /** The database is not among the connection's allowed databases. */
    DATABASE,
    /** The policy did not allow action {@code connect}. */
    POLICY,
    /** The gateway could not decide or record (policy engine or ledger failure): refused, failing closed. */
    INTERNAL
  }

  private final Kind kind;
  private final List<String> reasons;

  public AccessDeniedException(Kind kind, List<String> reasons) {
    super(String.join("; ", reasons));
    this.kind = kind;
    this.reasons = List.copyOf(reasons);
  }

  public Kind kind() { return kind; }

  public List<String> reasons() { return reasons; }
}
