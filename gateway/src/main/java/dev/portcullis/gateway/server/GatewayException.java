package dev.portcullis.gateway.server;

/** The gateway could not start; the message names the part (and YAML path) that failed. */
public final class GatewayException extends Exception {
  public GatewayException(String message) { super(message); }

  public GatewayException(String message, Throwable cause) { super(message, cause); }
}
