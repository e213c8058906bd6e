package dev.portcullis.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's entries in the audit ledger, one method per kind so every entry of a kind has the same fields
 * (documented in docs/architecture.md). Each method returns once the entry is durable, or throws; except
 * {@link #decision}, which hands back the pending append (complete on return only when the idle ledger made it
 * durable on the caller's thread), and {@link #result},
 * which nothing waits for.
 */
public final class AuditTrail {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());
  private final Ledger ledger;
  private final AtomicLong unrecordedResults = new AtomicLong();

  public AuditTrail(Ledger ledger) { this.ledger = ledger; }

  /**
   * kind {@code decision}: the normalized request, the decision document and the policy revision; {@code statement}
   * (which the ledger also hashes) is the SQL text or the HTTP method and path. Completes once the entry is durable,
   * or exceptionally (never throws); {@link Ledger#awaitDurable} waits for it.
   */
  public CompletableFuture<Ledger.Appended> decision(String requestId, JsonNode request, JsonNode decision,
                                                     String policyRevision) {
    ObjectNode e = F.objectNode();
    e.put("request_id", requestId);
    if (request.has("sql")) {
      e.put("statement", request.path("sql").path("text").asText());
    } else if (request.has("http")) {
      e.put("statement", request.path("http").path("method").asText() + " " + request.path("http").path("path").asText());
    }
    e.set("request", request);
    e.set("decision", decision);
    e.put("policy_revision", policyRevision);
    return ledger.appendAsync("decision", e);
  }

  /** kind {@code approval}: a verdict on an approval request (approved, denied, expired, withdrawn). */
  public void approval(String approvalId, String requestId, String status, Identity requester, Identity reviewer,
                       String reason) throws LedgerException {
    approval(approvalId, requestId, status, requester, reviewer, reason, F.arrayNode());
  }

  /**
   * The same with every review that led to the verdict ({@code reviews}: reviewer, verdict, justification, time),
   * so a two-person approval names both people.
   */
  public void approval(String approvalId, String requestId, String status, Identity requester, Identity reviewer,
                       String reason, JsonNode reviews) throws LedgerException {
    ObjectNode e = F.objectNode();
    e.put("approval_id", approvalId);
    e.put("request_id", requestId);
    e.put("status", status);
    e.set("requester", requester.toJson());
    e.set("reviewer", reviewer == null ? F.nullNode() : reviewer.toJson());
    e.put("reason", reason);
    e.set("reviews", reviews);
    ledger.append("approval", e);
  }

  /**
   * kind {@code grant}: a just-in-time credential was {@code used} (a session opened with it), {@code refused}
   * (with the reason), or {@code ended} (its connection closed, or the connect check refused it).
   *
   * @param grantId   {@code apr_...}; empty when the credential did not even name a grant
   * @param requester the grant's owner; null when unknown
   * @param details   more fields for the entry (e.g. the reviews that approved it); may be null
   */
  public void grant(String event, String grantId, String connection, Identity requester, String sessionId,
                    String reason, ObjectNode details) throws LedgerException {
    ObjectNode e = F.objectNode();
    e.put("event", event);
    e.put("grant_id", grantId);
    e.put("connection", connection);
    e.set("requester", requester == null ? F.nullNode() : requester.toJson());
    e.put("session_id", sessionId);
    e.put("reason", reason);
    if (details != null) e.setAll(details);
    ledger.append("grant", e);
  }

  /**
   * kind {@code execution_result}: what running a decided request produced. Does not wait: the entry takes its place
   * after the request's decision now and becomes durable with the next decision's fsync (the statement already ran,
   * so nothing is gained by holding the client). Completes once durable; a failure is logged and counted in
   * {@link #unrecordedResults()}. A failure of the ledger itself also fails the next decision, so nothing runs
   * after it without its own durable decision.
   */
  public CompletableFuture<Void> result(String requestId, long rows, String error) {
    ObjectNode e = F.objectNode();
    e.put("request_id", requestId);
    e.put("rows", rows);
    e.put("error", error);
    return ledger.appendDeferred("execution_result", e).handle((appended, failure) -> {
      if (failure == null) return null;
      unrecordedResults.incrementAndGet();
      LOG.log(System.Logger.Level.WARNING, "the result of " + requestId + " is not recorded: " + failure.getMessage());
      throw failure instanceof CompletionException c ? c : new CompletionException(failure);
    });
  }

  /** How many execution results could not be recorded since the gateway started. */
  public long unrecordedResults() {
    return unrecordedResults.get();
  }

  /** kind {@code policy_loaded}: a bundle now answers (or a reload was refused, with the error). */
  public void policyLoaded(String engine, String source, String revision, String error) throws LedgerException {
    ObjectNode e = F.objectNode();
    e.put("engine", engine);
    e.put("source", source);
    e.put("revision", revision);
    e.put("accepted", error == null);
    e.put("error", error);
    ledger.append("policy_loaded", e);
  }
}
