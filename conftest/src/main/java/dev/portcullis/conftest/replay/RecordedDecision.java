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

  /**
   * Reads a {@code decision} entry. The gateway stores the normalized request under {@code request}; identity,
   * connection and statement are taken from there, falling back to top-level fields of older or foreign entries.
   */
  static RecordedDecision of(JsonNode entry) {
    JsonNode request = entry.path("request");
    return new RecordedDecision(entry.path("seq").asLong(-1), entry.path("request_id").asText(null),
        field(entry, request, "identity"), field(entry, request, "connection"), statement(entry, request),
        entry.path("decision").path("outcome").asText(null), entry);
  }

  private static JsonNode field(JsonNode entry, JsonNode request, String name) {
    return request.has(name) ? request.get(name) : entry.path(name);
  }

  private static String statement(JsonNode entry, JsonNode request) {
    if (request.path("sql").path("text").isTextual()) return request.get("sql").get("text").textValue();
    if (request.path("http").isObject()) {
      return request.get("http").path("method").asText("") + " " + request.get("http").path("path").asText("");
    }
    return text(entry.get("statement"));
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
