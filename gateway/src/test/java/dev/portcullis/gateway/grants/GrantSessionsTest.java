package dev.portcullis.gateway.grants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.portcullis.gateway.approvals.FileApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.protocol.AccessDeniedException;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.TestLedger;
import dev.portcullis.gateway.testing.MovableClock;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session opened with a grant credential: who it is to the policy, once only, and until when. */
class GrantSessionsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  GatewayConfig config;
  TestLedger ledger;
  MovableClock clock = new MovableClock();
  ScriptedEngine engine = new ScriptedEngine();
  List<JsonNode> inputs = new CopyOnWriteArrayList<>();
  Gateway gateway;
  GatewayServices services;
  /** The access commands' side: another Grants over the same store, as another process has. */
  Grants cli;

  @BeforeEach
  void start() throws Exception {
    config = TestGateways.config(dir, "");
    ledger = TestLedger.open(dir);
    engine.on("data.portcullis.decision", input -> {
      inputs.add(input);
      return Optional.of(JSON.readTree("{\"outcome\":\"allow\",\"reasons\":[\"ok\"]}"));
    });
    engine.on("data.portcullis.grants", input -> Optional.of(JSON.readTree("{\"approval\":{\"reviewers\":[\"dba\"]}}")));
    engine.on("data.portcullis.review.allow", input -> Optional.of(BooleanNode.valueOf(
        input.path("reviewer").path("groups").toString().contains("dba"))));
    CapturingModule module = new CapturingModule();
    gateway = Gateway.builder(config).module(module).ledger(ledger.ledger()).policyEngine(engine).clock(clock).start();
    services = module.services.get("test-pg");
    FileApprovalStore store = new FileApprovalStore(config.approvals().store());
    cli = new Grants(store, new Reviews(store, TokenVerifier.create(config.identity()), engine, config.policy().review()),
        engine, Map.of("test-pg", List.of("staging")), null, clock);
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    ledger.close();
  }

  String credential() throws Exception {
    String agent = TestGateways.token(config, "cursor-agent", "agents");
    String id = cli.request(agent, "test-pg", Duration.ofMinutes(30), "ticket 42").path("id").asText();
    cli.review(id, TestGateways.token(config, "alice", "dba"), true, "ok");
    gateway.grants().refresh(); // records the verdict, which the credential waits for (the gateway does it every second)
    return cli.collect(agent, id).path("credential").asText();
  }

  Session open(String password) throws Exception {
    return services.openSession(new SessionStart(password, "127.0.0.1", "shop", "psql", null)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSessionRunsAsTheRequesterAuthenticatedByTheGrantWhichThePolicySees() throws Exception {
    String credential = credential();
    String id = credential.split("\\.")[1];
    Session session = open(credential);
    assertEquals("cursor-agent", session.identity().subject());
    assertEquals("grant", session.identity().authenticatedBy());
    assertEquals(Decision.Outcome.ALLOW, session.decideSql("SELECT 1").get(10, TimeUnit.SECONDS).outcome());
    for (JsonNode input : inputs) {
      assertEquals("grant", input.path("identity").path("authenticated_by").asText());
      assertEquals(id, input.path("grants").get(0).path("id").asText());
      assertEquals("test-pg", input.path("grants").get(0).path("connection").asText());
      assertEquals("ticket 42", input.path("grants").get(0).path("reason").asText());
      assertEquals(clock.now.plus(Duration.ofMinutes(30)).toString(), input.path("grants").get(0).path("expires_at").asText());
    }
    assertEquals(List.of("connect", "query"), inputs.stream().map(i -> i.path("action").asText()).toList());
  }

  @Test
  void theSecondLoginWithTheCredentialIsRefusedAndRecorded() throws Exception {
    String credential = credential();
    open(credential);
    ExecutionException again = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> open(credential));
    AccessDeniedException denied = (AccessDeniedException) again.getCause();
    assertEquals(AccessDeniedException.Kind.AUTHENTICATION, denied.kind());
    assertTrue(denied.getMessage().contains("already used"), denied.getMessage());
    assertEquals(List.of("used", "refused"),
        ledger.entries("grant").stream().map(e -> e.path("event").asText()).toList());
    JsonNode refusedLogin = ledger.entries("decision").get(ledger.entries("decision").size() - 1);
    assertEquals("deny", refusedLogin.path("decision").path("outcome").asText());
  }

  @Test
  void afterExpiryTheSessionRunsNothing() throws Exception {
    Session session = open(credential());
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    Decision d = session.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.DENY, d.outcome());
    assertTrue(d.reasonText().contains("expired at"), d.reasonText());
  }

  @Test
  void closingTheSessionEndsTheGrant() throws Exception {
    String credential = credential();
    Session session = open(credential);
    session.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // the end is recorded off the caller's thread
    while (ledger.entries("grant").size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals("ended", ledger.entries("grant").get(1).path("event").asText());
    assertEquals("the connection closed", ledger.entries("grant").get(1).path("reason").asText());
  }

  @Test
  void aTokenSessionWithoutGrantsHasNone() throws Exception {
    Session session = open(TestGateways.token(config, "cursor-agent", "agents"));
    assertEquals("jwt", session.identity().authenticatedBy());
    assertEquals("[]", inputs.get(0).path("grants").toString());
  }

  @Test
  void aTokenSessionSeesItsIdentitysActiveGrants() throws Exception {
    String id = credential().split("\\.")[1];
    gateway.grants().refresh();
    Session session = open(TestGateways.token(config, "cursor-agent", "agents"));
    session.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    for (JsonNode input : inputs) {
      assertEquals(1, input.path("grants").size(), input.toString());
      assertEquals(id, input.path("grants").get(0).path("id").asText());
    }
    inputs.clear();
    open(TestGateways.token(config, "alice", "dba"));
    assertEquals("[]", inputs.get(0).path("grants").toString(), "another identity's grants are not its own");
  }
}
