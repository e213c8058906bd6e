package dev.portcullis.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.config.Durations;
import dev.portcullis.gateway.protocol.Decision.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A decision document checked against the contract (policies/decision.schema.json). Anything that does not fit —
 * undefined, not an object, an unknown outcome, malformed masks or approval — becomes a deny whose reason says
 * what was wrong, so a policy bug never lets a request through.
 *
 * @param json the document as it will be recorded: outcome, reasons, and masks/approval when they apply
 */
public record DecisionDocument(Outcome outcome, List<String> reasons, ObjectNode json) {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> STRATEGIES = Set.of("redact", "partial", "hash", "null");
  public static final Set<String> DETECTORS =
      Set.of("email", "card_number", "iban", "phone", "aws_key", "private_key", "jwt", "secret");

  /** A deny carrying the given reason. */
  public static DecisionDocument deny(String reason) {
    ObjectNode json = F.objectNode();
    json.put("outcome", Outcome.DENY.json());
    json.putArray("reasons").add(reason);
    return new DecisionDocument(Outcome.DENY, List.of(reason), json);
  }

  /**
   * Checks what the policy returned for {@code ref}. The document's masks and approval are kept as they are, not
   * copied: an engine hands over a tree of its own making for each evaluation (see {@link PolicyEngine#evaluate}).
   */
  public static DecisionDocument check(String ref, Optional<JsonNode> value) {
    if (value.isEmpty()) return deny(ref + " is undefined for this request (no rule decided)");
    JsonNode d = value.get();
    if (!d.isObject()) return deny(ref + " is malformed: not an object");
    JsonNode outcomeNode = d.get("outcome");
    Outcome outcome = null;
    for (Outcome o : Outcome.values()) {
      if (outcomeNode != null && outcomeNode.isTextual() && o.json().equals(outcomeNode.asText())) outcome = o;
    }
    if (outcome == null) {
      return deny(ref + " is malformed: outcome " + (outcomeNode == null ? "missing" : outcomeNode.toString())
          + " is not one of allow, mask, require_approval, deny");
    }
    List<String> reasons = new ArrayList<>();
    JsonNode reasonsNode = d.get("reasons");
    if (reasonsNode != null && !reasonsNode.isNull()) {
      if (!reasonsNode.isArray()) return deny(ref + " is malformed: reasons must be a list of texts");
      for (JsonNode r : reasonsNode) {
        if (!r.isTextual()) return deny(ref + " is malformed: reasons must be a list of texts");
        reasons.add(r.asText());
      }
    }
    if (outcome == Outcome.DENY && reasons.isEmpty()) reasons.add("denied by policy");
    ObjectNode json = F.objectNode();
    json.put("outcome", outcome.json());
    reasons.forEach(json.putArray("reasons")::add);
    if (outcome == Outcome.MASK) {
      String problem = checkMasks(d.get("masks"));
      if (problem != null) return deny(ref + " is malformed: " + problem);
      json.set("masks", d.get("masks"));
    }
    if (outcome == Outcome.REQUIRE_APPROVAL) {
      String problem = checkApproval(d.get("approval"));
      if (problem != null) return deny(ref + " is malformed: " + problem);
      json.set("approval", d.get("approval"));
    }
    return new DecisionDocument(outcome, List.copyOf(reasons), json);
  }

  private static String checkMasks(JsonNode masks) {
    if (masks == null || !masks.isArray() || masks.isEmpty()) return "outcome mask needs a non-empty masks list";
    for (int i = 0; i < masks.size(); i++) {
      String problem = maskProblem(masks.get(i));
      if (problem != null) return "masks[" + i + "]" + problem;
    }
    return null;
  }

  /** What is wrong with one mask, as the end of a sentence about it; null when nothing is. Checked per decision. */
  private static String maskProblem(JsonNode m) {
    if (!m.isObject()) return " must be an object";
    JsonNode column = present(m.get("column"));
    JsonNode detector = present(m.get("detector"));
    if ((column != null) == (detector != null)) return " needs exactly one of column, detector";
    if (column != null && !column.isTextual()) return ".column must be a text";
    if (detector != null && !DETECTORS.contains(detector.asText())) {
      return ".detector " + detector + " is not one of " + String.join(", ", new TreeSet<>(DETECTORS));
    }
    JsonNode table = present(m.get("table"));
    if (table != null && (column == null || !table.isTextual())) return ".table must be a text beside column";
    JsonNode strategy = present(m.get("strategy"));
    if (strategy == null || !STRATEGIES.contains(strategy.asText())) {
      return ".strategy must be one of redact, partial, hash, null";
    }
    return null;
  }

  /** The field's value unless it is missing or null (what {@link JsonNode#hasNonNull} tests). */
  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() ? null : value;
  }

  private static String checkApproval(JsonNode a) {
    if (a == null || !a.isObject()) return "outcome require_approval needs an approval object";
    JsonNode reviewers = a.get("reviewers");
    if (reviewers == null || !reviewers.isArray() || reviewers.isEmpty()) return "approval.reviewers must name at least one group";
    for (JsonNode r : reviewers) if (!r.isTextual()) return "approval.reviewers must be texts";
    JsonNode required = a.get("approvals_required");
    if (required != null && (!required.canConvertToInt() || !required.isIntegralNumber() || required.asInt() < 1 || required.asInt() > 10)) {
      return "approval.approvals_required must be 1-10";
    }
    JsonNode timeout = a.get("timeout");
    if (timeout != null) {
      try {
        if (!timeout.isTextual()) throw new IllegalArgumentException("must be a text");
        Durations.parse(timeout.asText());
      } catch (IllegalArgumentException e) {
        return "approval.timeout " + e.getMessage();
      }
    }
    return null;
  }

  /** The masks list of a mask decision (an empty list otherwise). */
  public ArrayNode masks() {
    return json.has("masks") ? (ArrayNode) json.get("masks") : F.arrayNode();
  }
}
