package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.metrics.GatewayMetrics;
import dev.portcullis.gateway.policy.DecisionDocument;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Asks the policy and records the answer before anyone acts on it. Every failure on the way (engine, malformed
 * decision, masks that cannot be applied, ledger) ends in a deny that says what failed.
 */
public final class Decider {

  /** A decision and whether it is a deny the gateway imposed because something failed (not the policy's own). */
  public record Decided(Decision decision, boolean failedClosed) {}

  private static final Function<List<ResultColumn>, ResultMasker> NO_MASKS = columns -> ResultMasker.PASS_THROUGH;

  private final PolicyEngine engine;
  private final String decisionRef;
  private final AuditTrail audit;
  private final MaskPlanner masks;
  private final GatewayMetrics metrics;

  public Decider(PolicyEngine engine, String decisionRef, AuditTrail audit, MaskPlanner masks, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.engine = engine;
    this.decisionRef = decisionRef;
    this.audit = audit;
    this.masks = masks;
  }

  /** Whether evaluation runs in this process (the embedded engine), not as a call to a server that may be slow. */
  public boolean evaluatesInProcess() {
    return engine.inProcess();
  }

  /**
   * Decides the normalized request on the caller's thread and records the decision; completes (always normally)
   * once the decision entry is durable, or with a deny that says what failed: on the ledger's thread, or already on
   * return when the ledger was idle and this thread made the entry durable itself.
   *
   * @param arrivedNanos {@link System#nanoTime()} when the request arrived, for the decision latency metric
   */
  public CompletableFuture<Decided> decide(ObjectNode request, long arrivedNanos) {
    String requestId = request.path("request_id").asText();
    String revision = "";
    DecisionDocument doc;
    boolean failedClosed = false;
    try {
      revision = engine.revision();
      doc = DecisionDocument.check(decisionRef, engine.evaluate(decisionRef, request));
    } catch (PolicyException | RuntimeException e) {
      doc = DecisionDocument.deny(e.getMessage() == null ? e.toString() : e.getMessage());
      failedClosed = true;
    }
    Function<List<ResultColumn>, ResultMasker> maskers = NO_MASKS;
    if (doc.outcome() == Decision.Outcome.MASK) {
      try {
        maskers = masks.plan(doc.masks());
      } catch (RuntimeException e) {
        doc = DecisionDocument.deny("masks cannot be applied: " + e.getMessage());
        failedClosed = true;
      }
    }
    Decided decided = new Decided(new Decision(requestId, doc.outcome(), doc.reasons(), revision, request, doc.json(),
        maskers), failedClosed);
    String recordedRevision = revision;
    return audit.decision(requestId, request, doc.json(), revision).handle((appended, failure) -> {
      if (failure == null) {
        measure(arrivedNanos, decided.decision().outcome());
        return decided;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      DecisionDocument deny = DecisionDocument.deny("audit ledger cannot record the decision, so nothing runs: "
          + cause.getMessage());
      measure(arrivedNanos, Decision.Outcome.DENY);
      return new Decided(new Decision(requestId, Decision.Outcome.DENY, deny.reasons(), recordedRevision, request,
          deny.json(), NO_MASKS), true);
    });
  }

  /** Counts the outcome; the latency runs from the request's arrival, so it includes analysis and the fsync. */
  private void measure(long arrivedNanos, Decision.Outcome outcome) {
    metrics.decided(outcome.json(), Duration.ofNanos(Math.max(0, System.nanoTime() - arrivedNanos)));
  }
}
