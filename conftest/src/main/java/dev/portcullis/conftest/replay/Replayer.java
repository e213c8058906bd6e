package dev.portcullis.conftest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.EvalOptions;
import dev.portcullis.rego.Policy;
import dev.portcullis.rego.RegoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Re-decides recorded requests under a candidate bundle and keeps those whose outcome would differ. The candidate
 * is judged exactly as the gateway would judge it: an error, an undefined or a malformed decision is a deny.
 */
public final class Replayer {
  private static final Set<String> OUTCOMES = Set.of("allow", "mask", "require_approval", "deny");
  /** Generous next to the gateway's 50 ms: replay runs offline and must not flag a change because of a slow CI box. */
  private static final EvalOptions OPTIONS = EvalOptions.DEFAULT.withTimeout(Duration.ofSeconds(5));

  private final Policy candidate;
  private final String decisionRef;

  public Replayer(Policy candidate, String decisionRef) {
    this.candidate = candidate;
    this.decisionRef = decisionRef;
  }

  /** A recorded decision whose outcome the candidate changes. */
  public record Change(RecordedDecision recorded, String newOutcome, List<String> newReasons) {}

  /** A recorded decision that could not be replayed, and why. */
  public record Skipped(RecordedDecision recorded, String why) {}

  public record Report(String revision, int replayed, List<Change> changes, List<Skipped> skipped) {}

  public Report replay(List<RecordedDecision> decisions) {
    List<Change> changes = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    int replayed = 0;
    for (RecordedDecision d : decisions) {
      Optional<JsonNode> input = input(d.entry());
      if (input.isEmpty()) {
        skipped.add(new Skipped(d, "the entry holds neither the recorded input nor the analyzed statements"));
        continue;
      }
      replayed++;
      JsonNode decision = decide(input.get());
      String outcome = decision.path("outcome").asText();
      if (!outcome.equals(d.outcome())) changes.add(new Change(d, outcome, reasons(decision)));
    }
    return new Report(candidate.revision(), replayed, changes, skipped);
  }

  /**
   * The policy input of a recorded decision: the normalized request the gateway stored ({@code request}; also
   * accepted as {@code input}), else rebuilt from the entry's fields. A rebuilt SQL query needs the statements as analyzed at the time
   * ({@code statements}); the statement text alone cannot be judged without re-running the SQL analyzer.
   */
  static Optional<JsonNode> input(JsonNode entry) {
    if (entry.path("request").isObject()) return Optional.of(entry.get("request"));
    if (entry.path("input").isObject()) return Optional.of(entry.get("input"));
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode in = f.objectNode();
    for (String field : List.of("request_id", "time", "identity", "session", "protocol", "database", "action", "http",
        "grants")) {
      if (entry.has(field)) in.set(field, entry.get(field));
    }
    JsonNode connection = entry.path("connection");
    in.set("connection", connection.isTextual() ? f.objectNode().put("name", connection.textValue()) : connection);
    if ("query".equals(entry.path("action").asText())) {
      JsonNode statements = entry.path("statements");
      if (!statements.isArray()) return Optional.empty();
      JsonNode text = entry.path("statement");
      in.putObject("sql").put("text", text.isTextual() ? text.textValue() : text.path("text").asText(""))
          .set("statements", statements);
    }
    return Optional.of(in);
  }

  private JsonNode decide(JsonNode input) {
    try {
      Optional<JsonNode> value = candidate.evaluate(decisionRef, input, OPTIONS);
      if (value.isEmpty()) return deny("policy decision is undefined");
      JsonNode d = value.get();
      if (!d.isObject() || !OUTCOMES.contains(d.path("outcome").asText())) {
        return deny("policy decision is malformed: " + d);
      }
      return d;
    } catch (RegoException e) {
      return deny("policy error: " + e);
    } catch (RuntimeException e) {
      return deny("policy engine failure: " + e);
    }
  }

  private static JsonNode deny(String reason) {
    ObjectNode d = JsonNodeFactory.instance.objectNode().put("outcome", "deny");
    d.putArray("reasons").add(reason);
    return d;
  }

  private static List<String> reasons(JsonNode decision) {
    List<String> out = new ArrayList<>();
    if (decision.path("reasons") instanceof ArrayNode a) a.forEach(r -> out.add(r.asText()));
    return out;
  }
}
