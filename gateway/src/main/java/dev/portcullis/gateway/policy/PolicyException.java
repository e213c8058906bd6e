package dev.portcullis.gateway.policy;

/** The engine could not answer (compile error, evaluation error, timeout, unreachable server). */
public final class PolicyException extends Exception {
  public PolicyException(String message) { super(message); }

  public PolicyException(String message, Throwable cause) { super(message, cause); }
}
