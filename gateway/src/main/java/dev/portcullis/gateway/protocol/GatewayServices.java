package dev.portcullis.gateway.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * What the gateway offers a protocol module for one configured connection. Every decision is made and recorded
 * here; the module only enforces it.
 */
public interface GatewayServices {

  /**
   * Verifies the client's token, checks the database against the connection's allowed databases, and asks the
   * policy about action {@code connect}; the outcome is recorded in the ledger first. Completes with the open
   * session, or exceptionally with an {@link AccessDeniedException} saying why (a failed token is recorded too).
   */
  CompletableFuture<Session> openSession(SessionStart start);
}
