package dev.portcullis.conftest.replay;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decision entry of the audit ledger, as far as replay needs it.
 *
 * @param seq        the entry's sequence number
 * @param requestId  the request it decided
 * @param identity   subject, issuer, groups
 * @param connection the connection name (text) or object, as recorded
 * @param statement  the statement text, or the HTTP method and path; may be null (connect)
 * @param outcome    the recorded outcome
 * @param entry      the whole entry, from which the policy input is rebuilt
 */
public record RecordedDecision(long seq, String requestId, JsonNode identity, JsonNode connection, String statement,
                               String outcome, JsonNode entry) {

  static RecordedDecision of(JsonNode entry) {
    return new RecordedDecision(entry.path("seq").asLong(-1), entry.path("request_id").asText(null),
        entry.path("identity"), entry.path("connection"), text(entry.get("statement")),
        entry.path("decision").path("outcome").asText(null), entry);
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) return null;
    if (n.isTextual()) return n.textValue();
    return n.path("text").asText(n.toString());
  }

  public String subject() {
    return identity.path("subject").asText("");
  }

  public String connectionName() {
    return connection.isTextual() ? connection.textValue() : connection.path("name").asText("");
  }
}
