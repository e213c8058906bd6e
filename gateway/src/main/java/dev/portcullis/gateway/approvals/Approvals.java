package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The fields of stored approval records, shared by the gateway and the commands. */
public final class Approvals {
  private Approvals() {}

  /** {@code pending}, but {@code expired} once the deadline passed, whatever the file says. */
  public static String effectiveStatus(JsonNode record, Instant now) {
    String status = record.path("status").asText();
    if (status.equals("pending") && now.isAfter(Instant.parse(record.path("expires").asText()))) return "expired";
    return status;
  }

  /**
   * The listing form: id, status, requester (subject), statement, when, where and who reviews, the policy's
   * reasons, the requester's justification (when the connection gave one) and the approvals so far.
   */
  public static ObjectNode summary(JsonNode record, Instant now) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("id", record.path("id").asText());
    s.put("status", effectiveStatus(record, now));
    s.put("requester", record.path("requester").path("subject").asText());
    s.put("request_id", record.path("request_id").asText());
    s.put("statement", record.path("statement").asText());
    s.put("connection", record.path("connection").asText());
    s.put("database", record.path("database").asText());
    s.set("reviewers", record.path("reviewers"));
    s.put("approvals_required", record.path("approvals_required").asInt(1));
    s.put("created", record.path("created").asText());
    s.put("expires", record.path("expires").asText());
    s.set("reasons", record.path("decision").path("reasons"));
    JsonNode justification = record.path("request").path("session").path("justification");
    if (justification.isTextual()) s.put("justification", justification.asText());
    long approvals = 0;
    for (JsonNode r : record.path("reviews")) if (r.path("verdict").asText().equals("approve")) approvals++;
    s.put("approvals", approvals);
    return s;
  }

  /** The stored record without the reviewers' tokens, for {@code approvals show}. */
  public static ObjectNode redacted(JsonNode record) {
    ObjectNode copy = record.deepCopy();
    copy.withArray("reviews").forEach(r -> ((ObjectNode) r).remove("token"));
    return copy;
  }
}
