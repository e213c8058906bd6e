package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.protocol.Identity;
import java.io.IOException;

/**
 * Puts reviews and grant verdicts in the ledger as they are given, from inside the store's atomic update of the
 * record: the entry is durable before the review (or verdict) is written, so nothing counts unrecorded. Only the
 * gateway holds the ledger; a review written by the {@code approvals} commands (another process) is recorded by the
 * gateway when it next reads the record, before it releases a statement or lets a grant's credential be issued.
 * Recorded reviews carry {@code "recorded": true}, a recorded grant verdict {@code "verdict_recorded": true}. If the
 * store write fails after the append, the entry is written again later: a duplicate, never a gap.
 */
public final class ReviewRecorder {
  private final AuditTrail audit;

  public ReviewRecorder(AuditTrail audit) { this.audit = audit; }

  /** True when {@code record} holds a review or a grant verdict not yet in the ledger. */
  public static boolean needsRecording(JsonNode record) {
    for (JsonNode r : record.path("reviews")) if (!r.path("recorded").asBoolean()) return true;
    return isGrant(record) && decided(record) && !record.path("verdict_recorded").asBoolean();
  }

  /** Whether a grant request's verdict may take effect (its credential be issued): it is in the ledger. */
  public static boolean verdictRecorded(JsonNode record) {
    return record.path("verdict_recorded").asBoolean();
  }

  /** Records what {@code record} holds unrecorded (see {@link #apply}), in one atomic update of the store. */
  public ObjectNode catchUp(ApprovalStore store, String id) throws IOException, ApprovalException {
    return store.update(id, this::apply);
  }

  /**
   * For use inside a store update: each unrecorded review becomes an {@code approval} entry with status
   * {@code reviewed}, then a decided grant request its verdict entry ({@code approved} or {@code denied}); the
   * record is marked accordingly. A ledger failure refuses the update.
   */
  public void apply(ObjectNode record) throws ApprovalException {
    Identity requester = Reviews.identity(record.path("requester"));
    String id = record.path("id").asText();
    String requestId = record.path("request_id").asText();
    try {
      for (JsonNode r : record.withArray("reviews")) {
        if (r.path("recorded").asBoolean()) continue;
        ArrayNode one = JsonNodeFactory.instance.arrayNode().add(withoutToken(r));
        audit.approval(id, requestId, "reviewed", requester, Reviews.identity(r.path("reviewer")),
            r.path("reason").asText(), one);
        ((ObjectNode) r).put("recorded", true);
      }
      if (isGrant(record) && decided(record) && !record.path("verdict_recorded").asBoolean()) {
        JsonNode last = record.withArray("reviews").isEmpty() ? null
            : record.withArray("reviews").get(record.withArray("reviews").size() - 1);
        Identity reviewer = last == null ? null : Reviews.identity(last.path("reviewer"));
        String reason = last == null ? "" : last.path("reason").asText();
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        record.withArray("reviews").forEach(r -> all.add(withoutToken(r)));
        audit.approval(id, requestId, record.path("status").asText(), requester, reviewer, reason, all);
        record.put("verdict_recorded", true);
      }
    } catch (Exception e) {
      throw new ApprovalException("the audit ledger cannot record the review of " + id + ", so it does not count: "
          + e.getMessage());
    }
  }

  private static ObjectNode withoutToken(JsonNode review) {
    ObjectNode copy = review.deepCopy();
    copy.remove("token");
    copy.remove("recorded");
    return copy;
  }

  private static boolean isGrant(JsonNode record) {
    return record.path("kind").asText().equals("grant");
  }

  private static boolean decided(JsonNode record) {
    String status = record.path("status").asText();
    return status.equals("approved") || status.equals("denied");
  }
}
