package dev.portcullis.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.MemoryLedger;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway sends the policy and records matches the published schemas (docs/normalized-request.schema.json,
 * policies/decision.schema.json), checked with the subset of JSON Schema those files use.
 */
class NormalizedRequestSchemaTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRecordedRequestAndDecisionMatchesItsSchema(@TempDir Path dir) throws Exception {
    GatewayConfig config = TestGateways.config(dir, "");
    MemoryLedger ledger = new MemoryLedger();
    JsonNode mask = JSON.readTree("{\"outcome\":\"mask\",\"reasons\":[\"r\"],\"masks\":[{\"column\":\"email\",\"strategy\":\"partial\"},"
        + "{\"detector\":\"card_number\",\"strategy\":\"redact\"}]}");
    JsonNode approval = JSON.readTree("{\"outcome\":\"require_approval\",\"reasons\":[\"r\"],"
        + "\"approval\":{\"reviewers\":[\"dba\"],\"approvals_required\":1,\"timeout\":\"5m\"}}");
    ScriptedEngine engine = new ScriptedEngine().on("data.portcullis.decision", input -> Optional.of(
        input.path("action").asText().equals("connect") ? JSON.readTree("{\"outcome\":\"allow\"}")
            : input.path("sql").path("text").asText().startsWith("DELETE") ? approval : mask));
    CapturingModule module = new CapturingModule();
    try (Gateway g = Gateway.builder(config).module(module).ledger(ledger).policyEngine(engine).start()) {
      GatewayServices services = module.services.get("test-pg");
      try {
        services.openSession(new SessionStart("bad", "127.0.0.1", "shop", null, null)).get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException expected) {
        // recorded as a refused login
      }
      Session s = services.openSession(new SessionStart(TestGateways.token(config, "cursor-agent", "agents"),
          "127.0.0.1", "shop", "psql", "ticket 42")).get(10, TimeUnit.SECONDS);
      s.decideSql("SELECT email FROM customers; SELEKT garbage").get(10, TimeUnit.SECONDS);
      s.decideSql("DELETE FROM t WHERE id = 1").get(10, TimeUnit.SECONDS);
      s.decideHttp("GET", "/v1/x", Map.of("accept", "json")).get(10, TimeUnit.SECONDS);
    }
    JsonNode requestSchema = JSON.readTree(Path.of("..", "docs", "normalized-request.schema.json").toFile());
    JsonNode decisionSchema = JSON.readTree(Path.of("..", "policies", "decision.schema.json").toFile());
    List<String> problems = new ArrayList<>();
    for (MemoryLedger.Entry e : ledger.entries("decision")) {
      check(requestSchema, requestSchema, e.fields().path("request"), "request", problems);
      check(decisionSchema, decisionSchema, e.fields().path("decision"), "decision", problems);
    }
    assertEquals(5, ledger.entries("decision").size());
    assertEquals(List.of(), problems);
  }

  @Test
  void theCheckerCatchesDeviations() throws Exception {
    JsonNode requestSchema = JSON.readTree(Path.of("..", "docs", "normalized-request.schema.json").toFile());
    JsonNode decisionSchema = JSON.readTree(Path.of("..", "policies", "decision.schema.json").toFile());
    List<String> problems = new ArrayList<>();
    check(requestSchema, requestSchema, JSON.readTree("{\"request_id\":\"x\",\"action\":\"drop\",\"sql\":"
        + "{\"text\":\"t\",\"statements\":[{\"type\":\"select\"}]}}"), "request", problems);
    check(decisionSchema, decisionSchema, JSON.readTree("{\"outcome\":\"mask\",\"masks\":[{\"column\":\"a\","
        + "\"detector\":\"email\",\"strategy\":\"redact\"}]}"), "decision", problems);
    assertTrue(problems.contains("request: time is required"), problems.toString());
    assertTrue(problems.contains("request.request_id: 'x' does not match ^req_[0-9A-Z]{26}$"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("request.action: \"drop\" is not one of")), problems.toString());
    assertTrue(problems.contains("request.sql.statements[0]: has_where is required"), problems.toString());
    assertTrue(problems.contains("decision.masks[0]: matches 0 of oneOf"), problems.toString());
  }

  /** type, enum, const, pattern, required, properties, items, minItems, $ref, oneOf, allOf/if/then. */
  static void check(JsonNode root, JsonNode schema, JsonNode value, String at, List<String> problems) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = root.at(ref.substring(1));
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      problems.add(at + ": " + value + " is not " + schema.get("type"));
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode option : schema.get("enum")) found |= option.equals(value);
      if (!found) problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("const") && !schema.get("const").equals(value)) problems.add(at + ": not " + schema.get("const"));
    if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      problems.add(at + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
    }
    if (value.isObject()) {
      for (JsonNode r : schema.path("required")) {
        if (!value.has(r.asText())) problems.add(at + ": " + r.asText() + " is required");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (value.has(p.getKey())) check(root, p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), problems);
      }
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) problems.add(at + ": too few items");
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) check(root, schema.get("items"), value.get(i), at + "[" + i + "]", problems);
      }
    }
    if (schema.has("oneOf")) {
      int matching = 0;
      for (JsonNode option : schema.get("oneOf")) {
        List<String> sub = new ArrayList<>();
        check(root, option, value, at, sub);
        if (option.has("not")) {
          List<String> negated = new ArrayList<>();
          check(root, option.get("not"), value, at, negated);
          if (negated.isEmpty() && !option.get("not").isEmpty()) sub.add("matches not");
        }
        if (sub.isEmpty()) matching++;
      }
      if (matching != 1) problems.add(at + ": matches " + matching + " of oneOf");
    }
    if (schema.has("anyOf")) {
      boolean any = false;
      for (JsonNode option : schema.get("anyOf")) {
        List<String> sub = new ArrayList<>();
        check(root, option, value, at, sub);
        any |= sub.isEmpty();
      }
      if (!any) problems.add(at + ": matches none of anyOf");
    }
    for (JsonNode part : schema.path("allOf")) {
      if (part.has("if")) {
        List<String> cond = new ArrayList<>();
        check(root, part.get("if"), value, at, cond);
        if (cond.isEmpty()) check(root, part.get("then"), value, at, problems);
      } else {
        check(root, part, value, at, problems);
      }
    }
  }

  static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) if (typeMatches(t, value)) return true;
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "integer" -> value.isIntegralNumber();
      case "null" -> value.isNull();
      default -> true;
    };
  }
}
