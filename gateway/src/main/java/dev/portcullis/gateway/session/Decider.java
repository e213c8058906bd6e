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
import dev.portcullis.ledger.LedgerException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
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

  /** Decides the normalized request and returns once the decision entry is durable (or failed closed). */
  public Decided decide(ObjectNode request) {
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
    try {
      audit.decision(requestId, request, doc.json(), revision);
    } catch (LedgerException | RuntimeException e) {
      DecisionDocument deny = DecisionDocument.deny("audit ledger cannot record the decision, so nothing runs: " + e.getMessage());
      measure(request, Decision.Outcome.DENY);
      return new Decided(new Decision(requestId, Decision.Outcome.DENY, deny.reasons(), revision, request, deny.json(), NO_MASKS), true);
    }
    measure(request, doc.outcome());
    return new Decided(new Decision(requestId, doc.outcome(), doc.reasons(), revision, request, doc.json(), maskers),
        failedClosed);
  }

  /** Counts the outcome; the latency runs from the request's {@code time} (its arrival), so it includes analysis. */
  private void measure(ObjectNode request, Decision.Outcome outcome) {
    Duration latency = Duration.ZERO;
    try {
      latency = Duration.between(Instant.parse(request.path("time").asText()), Instant.now());
    } catch (DateTimeParseException ignored) {
      // Every request the gateway builds has a time; a test's hand-made one may not.
    }
    metrics.decided(outcome.json(), latency.isNegative() ? Duration.ZERO : latency);
  }
}
