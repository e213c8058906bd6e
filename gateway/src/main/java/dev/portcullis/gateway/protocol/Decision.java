package dev.portcullis.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The policy's verdict on one request, already recorded in the ledger. Immutable.
 */
public final class Decision {

  public enum Outcome {
    ALLOW("allow"), MASK("mask"), REQUIRE_APPROVAL("require_approval"), DENY("deny");

    private final String json;

    Outcome(String json) { this.json = json; }

    /** The contract's spelling, e.g. {@code require_approval}. */
    public String json() { return json; }
  }

  private final String requestId;
  private final Outcome outcome;
  private final List<String> reasons;
  private final String policyRevision;
  private final ObjectNode request;
  private final ObjectNode decision;
  private final Function<List<ResultColumn>, ResultMasker> maskers;

  /**
   * Built by the gateway only.
   *
   * @param request  the normalized request the policy saw
   * @param decision the decision document as recorded (outcome, reasons, masks, approval)
   * @param maskers  the masking plan of a {@link Outcome#MASK} decision, bound per result shape
   */
  public Decision(String requestId, Outcome outcome, List<String> reasons, String policyRevision, ObjectNode request,
                  ObjectNode decision, Function<List<ResultColumn>, ResultMasker> maskers) {
    this.requestId = Objects.requireNonNull(requestId);
    this.outcome = Objects.requireNonNull(outcome);
    this.reasons = List.copyOf(reasons);
    this.policyRevision = policyRevision == null ? "" : policyRevision;
    this.request = Objects.requireNonNull(request);
    this.decision = Objects.requireNonNull(decision);
    this.maskers = Objects.requireNonNull(maskers);
  }

  public String requestId() { return requestId; }

  public Outcome outcome() { return outcome; }

  /** Human-readable reasons, for the client's error or notice; never empty for a deny. */
  public List<String> reasons() { return reasons; }

  /** The reasons as one line. */
  public String reasonText() { return String.join("; ", reasons); }

  /** The revision of the policy bundle that decided ("" when the bundle has none). */
  public String policyRevision() { return policyRevision; }

  /** True for allow and mask: the request may run now. */
  public boolean mayRun() { return outcome == Outcome.ALLOW || outcome == Outcome.MASK; }

  /** The normalized request the policy saw (read only; e.g. {@code sql.statements[*].type}). */
  public JsonNode request() { return request; }

  /** The decision document as recorded (read only). */
  public JsonNode toJson() { return decision; }

  /**
   * The masker for one result shape (PostgreSQL: one RowDescription). For an allow decision, and for a mask
   * decision whose masks touch none of these columns and use no content detector, it is
   * {@link ResultMasker#PASS_THROUGH}.
   */
  public ResultMasker masker(List<ResultColumn> columns) {
    return outcome == Outcome.MASK ? maskers.apply(columns) : ResultMasker.PASS_THROUGH;
  }
}
