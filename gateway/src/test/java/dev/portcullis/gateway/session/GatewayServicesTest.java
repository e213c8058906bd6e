package dev.portcullis.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.policy.PolicyException;
import dev.portcullis.gateway.protocol.AccessDeniedException;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.ResultColumn;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.TestLedger;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayServicesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DECISION = "data.portcullis.decision";

  @TempDir Path dir;
  GatewayConfig config;
  TestLedger ledger;
  ScriptedEngine engine = new ScriptedEngine();
  CapturingModule module = new CapturingModule();
  Gateway gateway;
  GatewayServices services;

  @BeforeEach
  void start() throws Exception {
    config = TestGateways.config(dir, "");
    ledger = TestLedger.open(dir);
    engine.on(DECISION, input -> Optional.of(decide(input)));
    gateway = Gateway.builder(config).module(module).ledger(ledger.ledger()).policyEngine(engine).start();
    services = module.services.get("test-pg");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    ledger.close();
  }

  /** connect: allow; select: mask; delete: approval; anything else: deny. */
  static JsonNode decide(JsonNode input) throws PolicyException {
    try {
      if (input.path("action").asText().equals("connect")) return JSON.readTree("{\"outcome\":\"allow\"}");
      if (input.path("sql").path("text").asText().contains("boom")) throw new PolicyException("evaluation blew up");
      return switch (input.path("sql").path("statements").path(0).path("type").asText()) {
        case "select" -> JSON.readTree("{\"outcome\":\"mask\",\"reasons\":[\"agents see masked data\"],"
            + "\"masks\":[{\"column\":\"email\",\"strategy\":\"redact\"}]}");
        case "delete" -> JSON.readTree("{\"outcome\":\"require_approval\",\"reasons\":[\"writes need a dba\"],"
            + "\"approval\":{\"reviewers\":[\"dba\"]}}");
        default -> JSON.readTree("{\"outcome\":\"deny\",\"reasons\":[\"not for agents\"]}");
      };
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  Session open(String token, String database) throws Exception {
    return services.openSession(new SessionStart(token, "127.0.0.1", database, "psql", "ticket 42")).get(10, TimeUnit.SECONDS);
  }

  AccessDeniedException refused(String token, String database) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> open(token, database));
    return assertInstanceOf(AccessDeniedException.class, e.getCause());
  }

  @Test
  void theModuleGetsTheConfiguredConnection() {
    var settings = module.settings.get("test-pg");
    assertEquals("postgres", settings.protocol());
    assertEquals(List.of("staging"), settings.tags());
    assertEquals(5432, settings.upstream().port());
    assertTrue(settings.upstream().allowsDatabase("shop"));
    assertFalse(settings.upstream().allowsDatabase("billing"));
    assertEquals(Optional.empty(), settings.upstream().credential().get());
  }

  @Test
  void aValidTokenOpensASessionAndTheConnectDecisionIsRecorded() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    assertEquals("cursor-agent", s.identity().subject());
    assertTrue(s.id().startsWith("sess_"));
    JsonNode request = ledger.entries("decision").get(0).path("request");
    assertEquals("connect", request.path("action").asText());
    assertEquals(s.id(), request.path("session").path("id").asText());
    assertEquals("ticket 42", request.path("session").path("justification").asText());
    assertEquals("scripted-1", ledger.entries("decision").get(0).path("policy_revision").asText());
  }

  @Test
  void aBadTokenIsRefusedAsAuthenticationAndRecorded() throws Exception {
    AccessDeniedException e = refused("not-a-token", "shop");
    assertEquals(AccessDeniedException.Kind.AUTHENTICATION, e.kind());
    assertEquals("authentication failed: token is not a JWT", e.getMessage());
    JsonNode entry = ledger.entries("decision").get(0);
    assertEquals("deny", entry.path("decision").path("outcome").asText());
    assertEquals("none", entry.path("request").path("identity").path("authenticated_by").asText());
  }

  @Test
  void aDatabaseOutsideTheConnectionIsRefused() throws Exception {
    AccessDeniedException e = refused(TestGateways.token(config, "cursor-agent", "agents"), "billing");
    assertEquals(AccessDeniedException.Kind.DATABASE, e.kind());
    assertEquals(1, ledger.entries("decision").size());
  }

  @Test
  void aStatementBecomesTheContractsNormalizedRequest() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision d = s.decideSql("SELECT email FROM customers").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.MASK, d.outcome());
    JsonNode r = d.request();
    assertTrue(r.path("request_id").asText().startsWith("req_"));
    assertEquals(d.requestId(), r.path("request_id").asText());
    assertEquals(JSON.readTree("{\"subject\":\"cursor-agent\",\"issuer\":\"https://dev.portcullis.local\","
        + "\"groups\":[\"agents\"],\"authenticated_by\":\"jwt\"}"), r.path("identity"));
    assertEquals("psql", r.path("session").path("application_name").asText());
    assertEquals("127.0.0.1", r.path("session").path("client_address").asText());
    assertEquals(JSON.readTree("{\"name\":\"test-pg\",\"tags\":[\"staging\"]}"), r.path("connection"));
    assertEquals("postgres", r.path("protocol").asText());
    assertEquals("shop", r.path("database").asText());
    assertEquals("query", r.path("action").asText());
    assertEquals("SELECT email FROM customers", r.path("sql").path("text").asText());
    assertEquals(JSON.readTree("[{\"text\":\"SELECT email FROM customers\",\"type\":\"select\","
        + "\"tables_read\":[\"public.customers\"],\"tables_written\":[],\"columns\":[\"email\"],\"has_where\":false,"
        + "\"functions\":[],\"side_effects\":false,\"role_change\":false,\"server_file_access\":false,\"error\":null}]"),
        r.path("sql").path("statements"));
    assertTrue(r.path("grants").isArray());
    JsonNode entry = ledger.entries("decision").get(1);
    assertEquals(d.requestId(), entry.path("request_id").asText());
    assertEquals(d.toJson(), entry.path("decision"));
  }

  @Test
  void aMaskDecisionCarriesItsMaskerAndAnAllowPassesThrough() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision mask = s.decideSql("SELECT email FROM customers").get(10, TimeUnit.SECONDS);
    ResultMasker m = mask.masker(List.of(new ResultColumn("name", "public.customers"), new ResultColumn("email", "public.customers")));
    assertFalse(m.passThrough());
    assertEquals("Ada", m.mask(0, "Ada"));
    assertEquals("[REDACTED]", m.mask(1, "ada@example.com"));
    assertNull(m.mask(1, null));
    assertTrue(mask.masker(List.of(new ResultColumn("id", null))).passThrough());
    JsonNode allowAll = JSON.readTree("{\"outcome\":\"allow\"}");
    engine.on(DECISION, input -> Optional.of(allowAll));
    Decision allow = s.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    assertTrue(allow.masker(List.of(new ResultColumn("email", null))).passThrough());
  }

  @Test
  void aMaskThatCannotBeAppliedDenies() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    JsonNode bad = JSON.readTree("{\"outcome\":\"mask\",\"masks\":[{\"column\":\"email\",\"strategy\":\"redact\",\"colour\":\"red\"}]}");
    engine.on(DECISION, input -> Optional.of(bad));
    Decision d = s.decideSql("SELECT email FROM customers").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.DENY, d.outcome());
    assertTrue(d.reasonText().startsWith("masks cannot be applied: masks[0]: unknown field \"colour\""), d.reasonText());
  }

  @Test
  void severalStatementsAreDecidedAsOneRequest() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision d = s.decideSql("SELECT 1; DROP TABLE customers").get(10, TimeUnit.SECONDS);
    assertEquals(2, d.request().path("sql").path("statements").size());
    assertEquals("ddl", d.request().path("sql").path("statements").path(1).path("type").asText());
  }

  @Test
  void engineFailuresAndUndefinedDecisionsDenyWithTheReason() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision boom = s.decideSql("SELECT 'boom'").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.DENY, boom.outcome());
    assertEquals("evaluation blew up", boom.reasonText());
    engine.on(DECISION, input -> Optional.empty());
    Decision undefined = s.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    assertEquals("data.portcullis.decision is undefined for this request (no rule decided)", undefined.reasonText());
    assertEquals("deny", ledger.entries("decision").get(2).path("decision").path("outcome").asText());
  }

  @Test
  void whenTheLedgerCannotWriteNothingRuns() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    ledger.close();
    Decision d = s.decideSql("SELECT email FROM customers").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.DENY, d.outcome());
    assertFalse(d.mayRun());
    assertEquals("audit ledger cannot record the decision, so nothing runs: ledger is closed", d.reasonText());
    AccessDeniedException e = refused(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    assertEquals(AccessDeniedException.Kind.INTERNAL, e.kind());
    ExecutionException recorded = assertThrows(ExecutionException.class,
        () -> s.recordResult(d, 0, null).get(10, TimeUnit.SECONDS));
    assertEquals("ledger is closed", recorded.getCause().getMessage());
  }

  @Test
  void aFailingAnalysisDeniesAndIsRecorded() throws Exception {
    gateway.close();
    gateway = Gateway.builder(config).module(module).ledger(ledger.ledger()).policyEngine(engine)
        .sqlAnalysis("postgres", (db, sql) -> { throw new IllegalStateException("parser crashed"); }).start();
    services = module.services.get("test-pg");
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision d = s.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.DENY, d.outcome());
    assertEquals("SQL analysis failed: java.lang.IllegalStateException: parser crashed", d.reasonText());
    assertEquals(d.requestId(), ledger.entries("decision").get(ledger.entries("decision").size() - 1).path("request_id").asText());
  }

  @Test
  void switchingDatabasesIsCheckedLikeALogin() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    s.changeDatabase("postgres").get(10, TimeUnit.SECONDS);
    assertEquals("postgres", s.database());
    assertEquals("postgres", s.decideSql("SELECT 1").get(10, TimeUnit.SECONDS).request().path("database").asText());
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.changeDatabase("billing").get(10, TimeUnit.SECONDS));
    assertEquals(AccessDeniedException.Kind.DATABASE, assertInstanceOf(AccessDeniedException.class, e.getCause()).kind());
    assertEquals("postgres", s.database());
    long connects = ledger.entries("decision").stream()
        .filter(entry -> entry.path("request").path("action").asText().equals("connect")).count();
    assertEquals(3, connects);
  }

  @Test
  void executionResultsAreRecorded() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    Decision d = s.decideSql("SELECT email FROM customers").get(10, TimeUnit.SECONDS);
    s.recordResult(d, 3, null).get(10, TimeUnit.SECONDS);
    JsonNode entry = ledger.entries("execution_result").get(0);
    assertEquals(d.requestId(), entry.path("request_id").asText());
    assertEquals(3, entry.path("rows").asLong());
    assertTrue(entry.path("error").isNull());
  }

  @Test
  void httpRequestsAreDecidedWithTheirMethodPathAndHeaders() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), null);
    Decision d = s.decideHttp("GET", "/v1/x", Map.of("accept", "json")).get(10, TimeUnit.SECONDS);
    assertEquals("request", d.request().path("action").asText());
    assertEquals(JSON.readTree("{\"method\":\"GET\",\"path\":\"/v1/x\",\"headers\":{\"accept\":\"json\"}}"), d.request().path("http"));
    assertNull(d.request().get("database"));
  }

  @Test
  void thePolicyLoadIsRecordedAtStart() throws Exception {
    JsonNode entry = ledger.entries("policy_loaded").get(0);
    assertEquals("scripted-1", entry.path("revision").asText());
    assertTrue(entry.path("accepted").asBoolean());
  }

  @Test
  void closingTheGatewayClosesTheListenersAndRefusesWhatComesLate() throws Exception {
    Session s = open(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    gateway.close();
    assertTrue(module.closed);
    Decision late = s.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    assertEquals("the gateway is shutting down", late.reasonText());
    AccessDeniedException e = refused(TestGateways.token(config, "cursor-agent", "agents"), "shop");
    assertEquals(AccessDeniedException.Kind.INTERNAL, e.kind());
  }
}
