package dev.portcullis.gateway.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Who is asking, as the policy sees it ({@code input.identity}).
 *
 * @param authenticatedBy {@code jwt}, or {@code grant} for a just-in-time credential
 */
public record Identity(String subject, String issuer, List<String> groups, String authenticatedBy) {
  public Identity {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    groups = List.copyOf(groups);
    Objects.requireNonNull(authenticatedBy, "authenticatedBy");
  }

  /** Two identities are the same principal when issuer and subject match; groups do not matter. */
  public boolean samePrincipal(Identity other) {
    return other != null && subject.equals(other.subject) && issuer.equals(other.issuer);
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("subject", subject);
    node.put("issuer", issuer);
    groups.forEach(node.putArray("groups")::add);
    node.put("authenticated_by", authenticatedBy);
    return node;
  }
}
