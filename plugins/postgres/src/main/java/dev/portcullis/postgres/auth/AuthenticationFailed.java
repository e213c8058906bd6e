package dev.portcullis.postgres.auth;

/** The upstream login could not be completed. */
public final class AuthenticationFailed extends Exception {
  private static final long serialVersionUID = 1L;

  public AuthenticationFailed(String message) {
    super(message);
  }
}
