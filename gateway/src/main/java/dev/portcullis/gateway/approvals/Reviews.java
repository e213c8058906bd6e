package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.identity.InvalidTokenException;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import dev.portcullis.gateway.protocol.Identity;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may approve or deny what: a valid token, the policy's review rule ({@code data.portcullis.review.allow} must
 * be exactly {@code true}), never the requester reviewing its own request, each reviewer once, and always with a
 * justification. The
 * {@code approvals} commands apply it when a reviewer acts; the waiting gateway applies it again to every review it
 * finds in the store before it releases a statement, so a hand-edited store file releases nothing.
 */
public final class Reviews {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ApprovalStore store;
  private final TokenVerifier verifier;
  private final PolicyEngine engine;
  private final String reviewRef;
  private final ReviewRecorder recorder;

  /** For the {@code approvals} commands: the gateway records their reviews when it next reads the record. */
  public Reviews(ApprovalStore store, TokenVerifier verifier, PolicyEngine engine, String reviewRef) {
    this(store, verifier, engine, reviewRef, null);
  }

  /** @param recorder puts each review in the ledger before it is stored (the gateway's admin API); may be null */
  public Reviews(ApprovalStore store, TokenVerifier verifier, PolicyEngine engine, String reviewRef,
                 ReviewRecorder recorder) {
    this.store = store;
    this.verifier = verifier;
    this.engine = engine;
    this.reviewRef = reviewRef;
    this.recorder = recorder;
  }

  /** Verifies a token for the {@code approvals} commands. */
  public Identity authenticate(String token) throws ApprovalException {
    try {
      return verifier.verify(token);
    } catch (InvalidTokenException e) {
      throw new ApprovalException("your token is refused: " + e.getMessage());
    }
  }

  /**
   * Approves or denies a pending request on behalf of the token's holder, and returns the record as stored. A
   * denial decides at once; an approval decides once {@code approvals_required} reviewers approved.
   */
  public ObjectNode review(String id, String token, boolean approve, String reason) throws ApprovalException, IOException {
    Identity reviewer = authenticate(token);
    ObjectNode current = store.read(id).orElseThrow(() -> new ApprovalException("no approval request " + id));
    String before = Approvals.effectiveStatus(current, Instant.now());
    if (!before.equals("pending")) throw new ApprovalException(id + " is " + before + ", nothing to review");
    String refusal = refusal(current, reviewer, approve);
    if (refusal != null) throw new ApprovalException(refusal);
    if (reason == null || reason.isBlank()) {
      throw new ApprovalException("a justification is required to " + (approve ? "approve " : "deny ") + id
          + " (it is recorded in the audit ledger)");
    }
    return store.update(id, record -> {
      String status = Approvals.effectiveStatus(record, Instant.now());
      if (!status.equals("pending")) throw new ApprovalException(id + " is " + status + ", nothing to review");
      for (JsonNode r : record.withArray("reviews")) {
        if (reviewer.samePrincipal(identity(r.path("reviewer")))) throw new ApprovalException(reviewer.subject() + " already reviewed " + id);
      }
      ObjectNode review = record.withArray("reviews").addObject();
      review.set("reviewer", reviewer.toJson());
      review.put("verdict", approve ? "approve" : "deny");
      review.put("reason", reason);
      review.put("time", Instant.now().toString());
      review.put("token", token);
      long approvals = 0;
      for (JsonNode r : record.withArray("reviews")) if (r.path("verdict").asText().equals("approve")) approvals++;
      if (!approve) record.put("status", "denied");
      else if (approvals >= record.path("approvals_required").asInt(1)) record.put("status", "approved");
      if (recorder != null) recorder.apply(record);
    });
  }

  /** Null when the reviewer may give this verdict on the record, else why not. */
  public String refusal(ObjectNode record, Identity reviewer, boolean approve) {
    Identity requester = identity(record.path("requester"));
    if (reviewer.samePrincipal(requester)) {
      return reviewer.subject() + " filed " + record.path("id").asText() + " and can never "
          + (approve ? "approve" : "review") + " its own request";
    }
    ObjectNode approval = F.objectNode();
    approval.put("id", record.path("id").asText());
    approval.set("requester", record.path("requester"));
    approval.set("request", record.path("request"));
    approval.set("decision", record.path("decision"));
    ObjectNode input = F.objectNode();
    input.set("approval", approval);
    input.set("reviewer", reviewer.toJson());
    Optional<JsonNode> allowed;
    try {
      allowed = engine.evaluate(reviewRef, input);
    } catch (PolicyException e) {
      return "the review policy failed, so nobody may review now: " + e.getMessage();
    }
    if (allowed.isEmpty() || !allowed.get().isBoolean() || !allowed.get().asBoolean()) {
      return reviewer.subject() + " may not review " + record.path("id").asText() + " (" + reviewRef + " is "
          + allowed.map(JsonNode::toString).orElse("undefined") + "; reviewers: " + record.path("reviewers") + ")";
    }
    return null;
  }

  /**
   * Checks every review in a decided record again (tokens and policy, as of now). Null when the verdict stands,
   * else why it does not.
   */
  public String recheck(ObjectNode record) {
    List<String> problems = new ArrayList<>();
    for (JsonNode r : record.withArray("reviews")) {
      Identity claimed = identity(r.path("reviewer"));
      Identity verified;
      try {
        verified = verifier.verify(r.path("token").asText());
      } catch (InvalidTokenException e) {
        problems.add("review by " + claimed.subject() + " has an invalid token: " + e.getMessage());
        continue;
      }
      if (!verified.samePrincipal(claimed)) {
        problems.add("review claims " + claimed.subject() + " but its token is " + verified.subject());
        continue;
      }
      String refusal = refusal(record, verified, r.path("verdict").asText().equals("approve"));
      if (refusal != null) problems.add(refusal);
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** The identity a stored record names (requester, reviewer). */
  public static Identity identity(JsonNode json) {
    List<String> groups = new ArrayList<>();
    json.path("groups").forEach(g -> groups.add(g.asText()));
    return new Identity(json.path("subject").asText(), json.path("issuer").asText(), groups,
        json.path("authenticated_by").asText("jwt"));
  }
}
