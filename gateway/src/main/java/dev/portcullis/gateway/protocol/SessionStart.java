package dev.portcullis.gateway.protocol;

import java.util.Objects;

/**
 * What a client presents when it connects.
 *
 * @param token           the identity token (a JWT), e.g. from the PostgreSQL password field
 * @param clientAddress   the client's IP address as text
 * @param database        the database asked for; null for protocols without one
 * @param applicationName the client's self-description (PostgreSQL {@code application_name}); may be null
 * @param justification   why the client connects (e.g. a ticket), when it says so; may be null
 */
public record SessionStart(String token, String clientAddress, String database, String applicationName,
                           String justification) {
  public SessionStart {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(clientAddress, "clientAddress");
  }
}
