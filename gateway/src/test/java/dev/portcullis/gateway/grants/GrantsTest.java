package dev.portcullis.gateway.grants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.FileApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.policy.EmbeddedEngine;
import dev.portcullis.gateway.testing.TestLedger;
import dev.portcullis.gateway.testing.MovableClock;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grant requests reviewed by the reference policy bundle; credentials issued once, redeemed once, recorded. */
class GrantsTest {
  static final Path POLICIES = Path.of("..", "policies").toAbsolutePath().normalize();

  @TempDir Path dir;
  GatewayConfig config;
  EmbeddedEngine engine;
  FileApprovalStore store;
  TestLedger ledger;
  MovableClock clock = new MovableClock();
  Grants grants;

  @BeforeEach
  void start() throws Exception {
    config = TestGateways.config(dir, "");
    ledger = TestLedger.open(dir);
    engine = EmbeddedEngine.load(POLICIES, Duration.ofSeconds(5));
    store = new FileApprovalStore(dir.resolve("approvals"));
    Reviews reviews = new Reviews(store, TokenVerifier.create(config.identity()), engine, GatewayConfig.DEFAULT_REVIEW);
    grants = new Grants(store, reviews, engine, Map.of("test-pg", List.of("staging"), "prod-pg", List.of("production")),
        new AuditTrail(ledger.ledger()), clock);
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
    ledger.close();
  }

  String token(String subject, String... groups) throws Exception {
    return TestGateways.token(config, subject, groups);
  }

  /** An approved grant's credential, collected by the requester. */
  String approvedCredential(String duration) throws Exception {
    String agent = token("cursor-agent", "agents");
    String id = grants.request(agent, "test-pg", Duration.parse("PT" + duration.toUpperCase()), "ticket 42").path("id").asText();
    grants.review(id, token("alice", "dba"), true, "looks fine");
    return grants.collect(agent, id).path("credential").asText();
  }

  @Test
  void anApprovedGrantIssuesACredentialOnceThatOpensOneSession() throws Exception {
    String agent = token("cursor-agent", "agents");
    ObjectNode filed = grants.request(agent, "test-pg", Duration.ofMinutes(30), "ticket 42");
    String id = filed.path("id").asText();
    assertEquals("grant", filed.path("kind").asText());
    assertEquals("[\"dba\"]", filed.path("reviewers").toString());
    assertEquals("none", grants.collect(agent, id).path("credential_state").asText());
    assertFalse(grants.collect(agent, id).has("credential"), "nothing to collect while pending");

    GrantException self = assertThrows(GrantException.class,
        () -> grants.review(id, token("cursor-agent", "agents", "dba"), true, "me"));
    assertTrue(self.getMessage().contains("can never approve its own request"), self.getMessage());
    GrantException notDba = assertThrows(GrantException.class, () -> grants.review(id, token("carol", "oncall"), true, "x"));
    assertTrue(notDba.getMessage().contains("may not review"), notDba.getMessage());
    grants.review(id, token("alice", "dba"), true, "looks fine");

    GrantException stranger = assertThrows(GrantException.class, () -> grants.collect(token("bob", "dba"), id));
    assertTrue(stranger.getMessage().contains("only the requester collects"), stranger.getMessage());
    String credential = grants.collect(agent, id).path("credential").asText();
    assertTrue(credential.matches("pcg\\.apr_[0-9A-Z]{26}\\.[A-Za-z0-9_-]{43}"), credential);
    JsonNode again = grants.collect(agent, id);
    assertFalse(again.has("credential"), "shown once");
    assertEquals("issued", again.path("credential_state").asText());
    String stored = Files.readString(dir.resolve("approvals").resolve(id + ".json"));
    assertFalse(stored.contains(credential.substring(credential.lastIndexOf('.') + 1)), "the store keeps a hash only");

    Grant grant = grants.redeem(credential, "test-pg", "sess_1");
    assertEquals("cursor-agent", grant.identity().subject());
    assertEquals("grant", grant.identity().authenticatedBy());
    assertEquals(clock.now.plus(Duration.ofMinutes(30)), grant.expiresAt());
    assertEquals("ticket 42", grant.toJson().path("reason").asText());
    GrantException twice = assertThrows(GrantException.class, () -> grants.redeem(credential, "test-pg", "sess_2"));
    assertTrue(twice.getMessage().contains("already used"), twice.getMessage());

    List<ObjectNode> entries = ledger.entries("grant");
    assertEquals(List.of("used", "refused"), entries.stream().map(e -> e.path("event").asText()).toList());
    assertEquals("alice", entries.get(0).path("reviews").get(0).path("reviewer").path("subject").asText());
    assertFalse(entries.get(0).toString().contains("\"token\""), "reviewer tokens stay out of the ledger");
    assertEquals("sess_2", entries.get(1).path("session_id").asText());

    grants.end(grant, "sess_1", "the connection closed");
    grants.end(grant, "sess_1", "closed twice");
    assertEquals("ended", grants.collect(agent, id).path("credential_state").asText());
    assertEquals(List.of("used", "refused", "ended"),
        ledger.entries("grant").stream().map(e -> e.path("event").asText()).toList(), "a grant ends once");
  }

  @Test
  void anExpiredCredentialIsRefused() throws Exception {
    String credential = approvedCredential("10m");
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    GrantException late = assertThrows(GrantException.class, () -> grants.redeem(credential, "test-pg", "sess_1"));
    assertTrue(late.getMessage().contains("expired at"), late.getMessage());
    assertEquals("refused", ledger.entries("grant").get(0).path("event").asText());
  }

  @Test
  void aGrantEndsForItsSessionAtExpiry() throws Exception {
    Grant grant = grants.redeem(approvedCredential("5m"), "test-pg", "sess_1");
    assertFalse(grants.expired(grant));
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    assertTrue(grants.expired(grant));
  }

  @Test
  void aCredentialOpensOnlyItsConnectionAndOnlyWithItsSecret() throws Exception {
    String credential = approvedCredential("30m");
    GrantException elsewhere = assertThrows(GrantException.class, () -> grants.redeem(credential, "prod-pg", "s"));
    assertTrue(elsewhere.getMessage().contains("grants connection test-pg, not prod-pg"), elsewhere.getMessage());
    String forged = credential.substring(0, credential.lastIndexOf('.') + 1) + "A".repeat(43);
    GrantException wrong = assertThrows(GrantException.class, () -> grants.redeem(forged, "test-pg", "s"));
    assertTrue(wrong.getMessage().contains("wrong or unissued credential"), wrong.getMessage());
    assertEquals("malformed grant credential", assertThrows(GrantException.class,
        () -> grants.redeem("pcg.nonsense", "test-pg", "s")).getMessage());
    GrantException unknown = assertThrows(GrantException.class,
        () -> grants.redeem("pcg.apr_01HX0000000000000000000000.abc", "test-pg", "s"));
    assertTrue(unknown.getMessage().contains("no approval request"), unknown.getMessage());
    assertEquals(4, ledger.entries("grant").size());
    grants.redeem(credential, "test-pg", "s"); // refusals did not use it up
  }

  @Test
  void aUseTheLedgerCannotRecordIsRefused() throws Exception {
    String credential = approvedCredential("30m");
    ledger.close();
    GrantException refused = assertThrows(GrantException.class, () -> grants.redeem(credential, "test-pg", "s"));
    assertTrue(refused.getMessage().contains("cannot record the use") && refused.getMessage().contains("ledger is closed"),
        refused.getMessage());
  }

  @Test
  void aDenialIssuesNothingAndIsInTheLedgerAtOnce() throws Exception {
    String agent = token("cursor-agent", "agents");
    String id = grants.request(agent, "test-pg", Duration.ofMinutes(30), "ticket 42").path("id").asText();
    grants.review(id, token("alice", "dba"), false, "use the replica");
    List<ObjectNode> entries = ledger.entries("approval");
    assertEquals(List.of("reviewed", "denied"), entries.stream().map(e -> e.path("status").asText()).toList());
    assertEquals(id, entries.get(1).path("approval_id").asText());
    assertEquals("use the replica", entries.get(1).path("reason").asText());
    assertEquals("alice", entries.get(1).path("reviews").get(0).path("reviewer").path("subject").asText());
    JsonNode shown = grants.collect(agent, id);
    assertEquals("denied", shown.path("status").asText());
    assertFalse(shown.has("credential"));
    assertTrue(ledger.entries("grant").isEmpty(), "never used");
  }

  @Test
  void eachReviewOfATwoApprovalGrantIsRecordedAsItIsGiven() throws Exception {
    String agent = token("cursor-agent", "agents");
    String id = grants.request(agent, "prod-pg", Duration.ofMinutes(5), "incident").path("id").asText();
    grants.review(id, token("alice", "dba"), true, "seen the incident");
    List<ObjectNode> partial = ledger.entries("approval");
    assertEquals(1, partial.size());
    assertEquals("reviewed", partial.get(0).path("status").asText());
    assertEquals("approve", partial.get(0).path("reviews").get(0).path("verdict").asText());
    assertFalse(partial.get(0).toString().contains("\"token\""), "reviewer tokens stay out of the ledger");
    grants.review(id, token("bob", "dba"), true, "agreed");
    assertEquals(List.of("reviewed", "reviewed", "approved"),
        ledger.entries("approval").stream().map(e -> e.path("status").asText()).toList());
    assertEquals(2, ledger.entries("approval").get(2).path("reviews").size());
  }

  @Test
  void aVerdictGivenWithoutTheLedgerIssuesNoCredentialUntilTheGatewayRecordsIt() throws Exception {
    // The approvals and access commands: the same store, no ledger.
    Grants commands = new Grants(store, new Reviews(store, TokenVerifier.create(config.identity()), engine,
        GatewayConfig.DEFAULT_REVIEW), engine, Map.of("test-pg", List.of("staging")), null, clock);
    String agent = token("cursor-agent", "agents");
    String id = commands.request(agent, "test-pg", Duration.ofMinutes(30), "ticket 42").path("id").asText();
    commands.review(id, token("alice", "dba"), true, "looks fine");
    JsonNode waiting = commands.collect(agent, id);
    assertEquals("approved", waiting.path("status").asText());
    assertFalse(waiting.has("credential"), "not recorded yet, so not issued");
    assertFalse(waiting.path("verdict_recorded").asBoolean());
    assertTrue(ledger.entries("approval").isEmpty());

    grants.refresh(); // the gateway's periodic pass
    assertEquals(List.of("reviewed", "approved"),
        ledger.entries("approval").stream().map(e -> e.path("status").asText()).toList());
    assertTrue(commands.collect(agent, id).path("credential").asText().startsWith("pcg." + id + "."));
    grants.refresh();
    assertEquals(2, ledger.entries("approval").size(), "recorded once");
  }

  @Test
  void theActiveGrantsAreTheCollectedUnexpiredUnendedOnes() throws Exception {
    String agent = token("cursor-agent", "agents");
    var requester = TokenVerifier.create(config.identity()).verify(agent);
    String credential = approvedCredential("10m");
    assertTrue(grants.active(requester).isEmpty(), "known from the next refresh on");
    grants.refresh();
    List<Grant> active = grants.active(requester);
    assertEquals(1, active.size());
    assertEquals(credential.split("\\.")[1], active.get(0).id());
    assertTrue(grants.active(TokenVerifier.create(config.identity()).verify(token("bob", "dba"))).isEmpty());

    Grant used = grants.redeem(credential, "test-pg", "sess_1");
    grants.refresh();
    assertEquals(1, grants.active(requester).size(), "in use");
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    assertTrue(grants.active(requester).isEmpty(), "expired, even before the next refresh");
    clock.now = clock.now.minus(Duration.ofMinutes(10));
    grants.end(used, "sess_1", "the connection closed");
    grants.refresh();
    assertTrue(grants.active(requester).isEmpty(), "ended");
  }

  @Test
  void theGrantsPolicyRefusesBadRequestsWithItsReasons() throws Exception {
    String agent = token("cursor-agent", "agents");
    assertEquals("grant refused by the policy: a grant request needs a reason", assertThrows(GrantException.class,
        () -> grants.request(agent, "test-pg", Duration.ofMinutes(30), " ")).getMessage());
    assertEquals("grant refused by the policy: a grant lasts at most 4h", assertThrows(GrantException.class,
        () -> grants.request(agent, "test-pg", Duration.ofHours(5), "all night")).getMessage());
    assertTrue(assertThrows(GrantException.class, () -> grants.request(agent, "nope", Duration.ofMinutes(5), "x"))
        .getMessage().startsWith("no connection named 'nope'"));
    assertTrue(assertThrows(GrantException.class, () -> grants.request("not-a-token", "test-pg", Duration.ofMinutes(5), "x"))
        .getMessage().startsWith("your token is refused"));
    assertEquals(2, grants.request(agent, "prod-pg", Duration.ofMinutes(5), "incident").path("approvals_required").asInt());
    assertTrue(store.list().size() == 1 && grants.list().size() == 1);
  }
}
