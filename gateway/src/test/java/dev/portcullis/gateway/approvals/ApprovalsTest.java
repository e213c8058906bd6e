package dev.portcullis.gateway.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.PendingApproval.Status;
import dev.portcullis.gateway.protocol.PendingApproval.Verdict;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.TestLedger;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  GatewayConfig config;
  TestLedger ledger;
  ScriptedEngine engine = new ScriptedEngine();
  volatile String approvalJson = "{\"reviewers\":[\"dba\"]}";
  Gateway gateway;
  Session agent;
  /** The approvals commands' view: another store object and verifier over the same folder, as another process has. */
  Reviews cli;
  ApprovalStore store;

  @BeforeEach
  void start() throws Exception {
    config = TestGateways.config(dir, "");
    ledger = TestLedger.open(dir);
    engine.on("data.portcullis.decision", input -> Optional.of(JSON.readTree(input.path("action").asText().equals("connect")
        ? "{\"outcome\":\"allow\"}"
        : "{\"outcome\":\"require_approval\",\"reasons\":[\"writes need a dba\"],\"approval\":" + approvalJson + "}")));
    engine.on("data.portcullis.review.allow", input -> {
      for (JsonNode g : input.path("reviewer").path("groups")) {
        for (JsonNode r : input.path("approval").path("decision").path("approval").path("reviewers")) {
          if (g.equals(r)) return Optional.of(BooleanNode.TRUE);
        }
      }
      return Optional.of(BooleanNode.FALSE);
    });
    CapturingModule module = new CapturingModule();
    gateway = Gateway.builder(config).module(module).ledger(ledger.ledger()).policyEngine(engine).start();
    agent = module.services.get("test-pg").openSession(new SessionStart(
        TestGateways.token(config, "cursor-agent", "agents", "dba"), "127.0.0.1", "shop", "psql", null)).get(10, TimeUnit.SECONDS);
    store = new FileApprovalStore(config.approvals().store());
    cli = new Reviews(store, TokenVerifier.create(config.identity()), engine, config.policy().review());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    ledger.close();
  }

  PendingApproval held(String sql) throws Exception {
    Decision d = agent.decideSql(sql).get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.REQUIRE_APPROVAL, d.outcome());
    return agent.requestApproval(d).get(10, TimeUnit.SECONDS);
  }

  static Verdict verdict(PendingApproval p) throws Exception {
    return p.verdict().get(10, TimeUnit.SECONDS);
  }

  String dba(String name) throws Exception {
    return TestGateways.token(config, name, "dba");
  }

  @Test
  void aDbaApprovalReleasesTheStatementAfterTheVerdictIsRecorded() throws Exception {
    PendingApproval p = held("DELETE FROM customers WHERE id = 1");
    assertTrue(p.id().startsWith("apr_"));
    assertTrue(p.notice().contains(p.id()) && p.notice().contains("./portcullis approvals approve " + p.id()), p.notice());
    JsonNode listed = Approvals.summary(store.read(p.id()).orElseThrow(), Instant.now());
    assertEquals("pending", listed.path("status").asText());
    assertEquals("cursor-agent", listed.path("requester").asText());
    assertEquals("DELETE FROM customers WHERE id = 1", listed.path("statement").asText());

    cli.review(p.id(), dba("alice"), true, "ticket 42");
    Verdict v = verdict(p);
    assertEquals(Status.APPROVED, v.status());
    assertEquals("alice", v.reviewer().subject());
    assertEquals("ticket 42", v.reason());
    assertEquals(List.of("reviewed", "approved"), statuses());
    JsonNode review = ledger.entries("approval").get(0);
    assertEquals("alice", review.path("reviewer").path("subject").asText());
    assertEquals("ticket 42", review.path("reviews").get(0).path("reason").asText());
    assertFalse(review.toString().contains("\"token\""), "reviewer tokens stay out of the ledger");
    JsonNode entry = ledger.entries("approval").get(1);
    assertEquals(p.id(), entry.path("approval_id").asText());
    assertEquals("approved", entry.path("status").asText());
    assertEquals("alice", entry.path("reviewer").path("subject").asText());
    assertEquals("cursor-agent", entry.path("requester").path("subject").asText());
  }

  @Test
  void anApprovalIsUsedOnce() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    cli.review(p.id(), dba("alice"), true, "ok");
    verdict(p);
    ApprovalException again = assertThrows(ApprovalException.class, () -> cli.review(p.id(), dba("bob"), true, "ok"));
    assertEquals(p.id() + " is approved, nothing to review", again.getMessage());
    assertEquals(List.of("reviewed", "approved"), statuses());
  }

  List<String> statuses() throws Exception {
    return ledger.entries("approval").stream().map(e -> e.path("status").asText()).toList();
  }

  @Test
  void theRequesterCanNeverApproveItsOwnRequest() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    ApprovalException e = assertThrows(ApprovalException.class,
        () -> cli.review(p.id(), TestGateways.token(config, "cursor-agent", "dba"), true, "ok"));
    assertEquals("cursor-agent filed " + p.id() + " and can never approve its own request", e.getMessage());
    assertFalse(p.verdict().isDone());
  }

  @Test
  void theReviewPolicyDecidesWhoMayReview() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    ApprovalException e = assertThrows(ApprovalException.class,
        () -> cli.review(p.id(), TestGateways.token(config, "mallory", "agents"), true, "ok"));
    assertTrue(e.getMessage().startsWith("mallory may not review " + p.id() + " (data.portcullis.review.allow is false"), e.getMessage());
    assertThrows(ApprovalException.class, () -> cli.review(p.id(), "forged", true, "ok"));
  }

  @Test
  void aDenialRefusesTheStatement() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    cli.review(p.id(), dba("alice"), false, "not during business hours");
    Verdict v = verdict(p);
    assertEquals(Status.DENIED, v.status());
    assertEquals("not during business hours", v.reason());
    assertEquals(List.of("reviewed", "denied"), statuses());
  }

  @Test
  void withoutAVerdictTheRequestExpires() throws Exception {
    approvalJson = "{\"reviewers\":[\"dba\"],\"timeout\":\"100ms\"}";
    PendingApproval p = held("DELETE FROM t");
    Verdict v = verdict(p);
    assertEquals(Status.EXPIRED, v.status());
    assertEquals("expired", store.read(p.id()).orElseThrow().path("status").asText());
    ApprovalException late = assertThrows(ApprovalException.class, () -> cli.review(p.id(), dba("alice"), true, "ok"));
    assertEquals(p.id() + " is expired, nothing to review", late.getMessage());
    assertEquals("expired", ledger.entries("approval").get(0).path("status").asText());
  }

  @Test
  void aClientThatGoesAwayWithdrawsItsRequests() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    agent.close();
    assertEquals(Status.WITHDRAWN, verdict(p).status());
    assertEquals("withdrawn", store.read(p.id()).orElseThrow().path("status").asText());
  }

  @Test
  void twoApprovalsNeedTwoDistinctReviewers() throws Exception {
    approvalJson = "{\"reviewers\":[\"dba\"],\"approvals_required\":2}";
    PendingApproval p = held("DROP TABLE t");
    cli.review(p.id(), dba("alice"), true, "ok");
    assertEquals("pending", store.read(p.id()).orElseThrow().path("status").asText());
    ApprovalException twice = assertThrows(ApprovalException.class, () -> cli.review(p.id(), dba("alice"), true, "ok"));
    assertEquals("alice already reviewed " + p.id(), twice.getMessage());
    assertFalse(p.verdict().isDone());
    cli.review(p.id(), dba("bob"), true, "ok");
    Verdict v = verdict(p);
    assertEquals(Status.APPROVED, v.status());
    assertEquals("bob", v.reviewer().subject());
    assertEquals(List.of("reviewed", "reviewed", "approved"), statuses(), "each review, then the verdict");
    List<ObjectNode> entries = ledger.entries("approval");
    assertEquals("alice", entries.get(0).path("reviewer").path("subject").asText());
    assertEquals("bob", entries.get(1).path("reviewer").path("subject").asText());
    assertEquals(2, entries.get(2).path("reviews").size());
  }

  @Test
  void aReviewGivenInTheGatewayIsInTheLedgerBeforeItIsStored() throws Exception {
    approvalJson = "{\"reviewers\":[\"dba\"],\"approvals_required\":2}";
    PendingApproval p = held("DROP TABLE t");
    Reviews admin = new Reviews(store, TokenVerifier.create(config.identity()), engine, config.policy().review(),
        new ReviewRecorder(new AuditTrail(ledger.ledger())));
    ObjectNode stored = admin.review(p.id(), dba("alice"), true, "first look");
    assertTrue(stored.path("reviews").get(0).path("recorded").asBoolean());
    assertEquals(List.of("reviewed"), statuses(), "a partial review is recorded as it is given");
    assertEquals("first look", ledger.entries("approval").get(0).path("reason").asText());
    assertFalse(p.verdict().isDone());

    ledger.close();
    ApprovalException unrecorded = assertThrows(ApprovalException.class, () -> admin.review(p.id(), dba("bob"), true, "ok"));
    assertTrue(unrecorded.getMessage().contains("cannot record the review") && unrecorded.getMessage().contains("does not count"),
        unrecorded.getMessage());
    assertEquals(1, store.read(p.id()).orElseThrow().path("reviews").size(), "the unrecorded review is not stored");
    assertEquals("pending", store.read(p.id()).orElseThrow().path("status").asText());
  }

  @Test
  void aHandEditedStoreReleasesNothing() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    JsonNode alice = JSON.readTree("{\"subject\":\"alice\",\"issuer\":\"https://dev.portcullis.local\",\"groups\":[\"dba\"]}");
    store.update(p.id(), r -> {
      ObjectNode fake = r.withArray("reviews").addObject();
      fake.set("reviewer", alice);
      fake.put("verdict", "approve");
      fake.put("token", "eyJhbGciOiJub25lIn0.e30.");
      r.put("status", "approved");
    });
    Verdict v = verdict(p);
    assertEquals(Status.DENIED, v.status());
    assertTrue(v.reason().startsWith("the store's verdict does not stand: review by alice has an invalid token"), v.reason());
  }

  @Test
  void aVerdictTheLedgerCannotRecordReleasesNothing() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    ledger.close();
    cli.review(p.id(), dba("alice"), true, "ok");
    Verdict v = verdict(p);
    assertEquals(Status.DENIED, v.status());
    assertEquals("the audit ledger cannot record the verdict, so nothing runs: ledger is closed", v.reason());
  }

  @Test
  void onlyRequireApprovalDecisionsCanBeFiled() throws Exception {
    engine.on("data.portcullis.decision", input -> Optional.of(JSON.readTree("{\"outcome\":\"allow\"}")));
    Decision allow = agent.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> agent.requestApproval(allow).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("not require_approval"), e.getCause().getMessage());
    assertNull(store.list().stream().findFirst().orElse(null));
  }
}
