package dev.portcullis.gateway.grants;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.protocol.Identity;
import java.time.Instant;

/**
 * A redeemed just-in-time grant: the session it opened runs as {@code identity} (authenticated_by {@code grant})
 * on {@code connection} until {@code expiresAt} or until it closes.
 */
public record Grant(String id, Identity identity, String connection, Instant expiresAt, String reason) {

  /** One element of the policy's {@code input.grants}. */
  public ObjectNode toJson() {
    ObjectNode g = JsonNodeFactory.instance.objectNode();
    g.put("id", id);
    g.put("connection", connection);
    g.put("expires_at", expiresAt.toString());
    g.put("reason", reason);
    return g;
  }
}
