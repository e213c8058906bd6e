package dev.portcullis.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.PendingApproval.Status;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import dev.portcullis.ledger.cli.LedgerCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over real HTTP, on a gateway with the durable ledger: who gets in, the approval workflow with its
 * review rules, the ledger search and verification, live events, health and metrics.
 */
class AdminApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  GatewayConfig config;
  ScriptedEngine engine = new ScriptedEngine();
  volatile String approvalJson = "{\"reviewers\":[\"dba\"]}";
  Gateway gateway;
  Session agent;
  URI base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    config = TestGateways.config(dir, """
        admin:
          listen: 127.0.0.1:0
          groups: [dba, security]
        """);
    Files.createDirectories(dir.resolve("var"));
    assertEquals(0, LedgerCommand.commandLine().execute("keygen", "--origin", "test.portcullis/ledger", "--out",
        dir.resolve("var/ledger.key").toString()));
    engine.on("data.portcullis.decision", input -> Optional.of(JSON.readTree(input.path("action").asText().equals("connect")
        ? "{\"outcome\":\"allow\"}"
        : input.path("sql").path("text").asText().startsWith("SELECT") ? "{\"outcome\":\"allow\"}"
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
    gateway = Gateway.builder(config).module(module).policyEngine(engine).start();
    base = gateway.consoleUrl();
    // The requester is also a dba: only the self-review rule keeps it from approving its own request.
    agent = module.services.get("test-pg").openSession(new SessionStart(
        TestGateways.token(config, "cursor-agent", "agents", "dba"), "127.0.0.1", "shop", "psql", "ticket 42"))
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (agent != null) agent.close();
    gateway.close();
  }

  PendingApproval held(String sql) throws Exception {
    Decision d = agent.decideSql(sql).get(10, TimeUnit.SECONDS);
    assertEquals(Decision.Outcome.REQUIRE_APPROVAL, d.outcome());
    return agent.requestApproval(d).get(10, TimeUnit.SECONDS);
  }

  record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

  Reply call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(java.time.Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
        ? JSON.readTree(r.body()) : null;
    return new Reply(r.statusCode(), json, r);
  }

  String token(String subject, String... groups) throws Exception {
    return TestGateways.token(config, subject, groups);
  }

  @Test
  void healthReadinessAndMetricsNeedNoToken() throws Exception {
    assertEquals(200, call("GET", "healthz", null, null).status());
    Reply ready = call("GET", "readyz", null, null);
    assertEquals(200, ready.status());
    assertTrue(ready.json().path("ready").asBoolean());
    held("DELETE FROM t");
    String metrics = call("GET", "metrics", null, null).raw().body();
    for (String name : new String[] {"portcullis_decisions_total{outcome=\"require_approval\"} 1.0",
        "portcullis_decision_latency_seconds_bucket", "portcullis_ledger_append_latency_seconds_count",
        "portcullis_sessions_open 1.0", "portcullis_approvals_pending 1.0",
        "portcullis_notification_failures_total{format=\"webhook\"} 0.0"}) {
      assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
    }
  }

  @Test
  void theApiNeedsAValidTokenOfAnAdminGroup() throws Exception {
    Reply none = call("GET", "api/approvals", null, null);
    assertEquals(401, none.status());
    assertTrue(none.json().path("error").asText().contains("Bearer"), none.json().toString());
    assertEquals(401, call("GET", "api/approvals", "not-a-jwt", null).status());
    Reply agentOnly = call("GET", "api/approvals", token("some-agent", "agents"), null);
    assertEquals(403, agentOnly.status());
    assertEquals("some-agent is in none of the admin groups [dba, security]", agentOnly.json().path("error").asText());
  }

  @Test
  void aReviewerApprovesWithAJustificationAndTheStatementIsReleased() throws Exception {
    PendingApproval p = held("DELETE FROM customers WHERE id = 1");
    String alice = token("alice", "dba");
    JsonNode list = call("GET", "api/approvals?status=pending", alice, null).json();
    assertEquals(1, list.size());
    JsonNode shown = list.get(0);
    assertEquals(p.id(), shown.path("id").asText());
    assertEquals("cursor-agent", shown.path("requester").asText());
    assertEquals("DELETE FROM customers WHERE id = 1", shown.path("statement").asText());
    assertEquals("ticket 42", shown.path("justification").asText(), "the requester's justification is shown");
    assertEquals("writes need a dba", shown.path("reasons").get(0).asText());

    Reply unjustified = call("POST", "api/approvals/" + p.id() + "/approve", alice, "{\"justification\":\"  \"}");
    assertEquals(400, unjustified.status());
    assertTrue(unjustified.json().path("error").asText().startsWith("a justification is required"), unjustified.json().toString());
    assertFalse(p.verdict().isDone());

    Reply approved = call("POST", "api/approvals/" + p.id() + "/approve", alice, "{\"justification\":\"INC-7 cleanup\"}");
    assertEquals(200, approved.status(), approved.raw().body());
    PendingApproval.Verdict v = p.verdict().get(10, TimeUnit.SECONDS);
    assertEquals(Status.APPROVED, v.status());
    assertEquals("INC-7 cleanup", v.reason());

    JsonNode detail = call("GET", "api/approvals/" + p.id(), alice, null).json();
    assertEquals("approved", detail.path("status").asText());
    assertFalse(detail.toString().contains("\"token\""), "tokens never leave the store: " + detail);

    JsonNode trail = call("GET", "api/decisions/" + detail.path("request_id").asText(), alice, null).json();
    assertEquals(3, trail.size(), trail.toString());
    assertEquals("decision", trail.get(0).path("kind").asText());
    assertEquals("ticket 42", trail.get(0).path("request").path("session").path("justification").asText());
    assertEquals("reviewed", trail.get(1).path("status").asText(), "the review, as it was given");
    assertEquals("alice", trail.get(1).path("reviewer").path("subject").asText());
    JsonNode verdict = trail.get(2);
    assertEquals("approval", verdict.path("kind").asText());
    assertEquals("approved", verdict.path("status").asText());
    assertEquals("alice", verdict.path("reviews").get(0).path("reviewer").path("subject").asText());
    assertEquals("INC-7 cleanup", verdict.path("reviews").get(0).path("reason").asText());
  }

  @Test
  void theRequesterCanNeverReviewItsOwnRequest() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    String requester = token("cursor-agent", "dba");
    Reply self = call("POST", "api/approvals/" + p.id() + "/approve", requester, "{\"justification\":\"mine\"}");
    assertEquals(403, self.status());
    assertEquals("cursor-agent filed " + p.id() + " and can never approve its own request", self.json().path("error").asText());
    Reply selfDeny = call("POST", "api/approvals/" + p.id() + "/deny", requester, "{\"justification\":\"mine\"}");
    assertEquals(403, selfDeny.status());
    assertEquals("cursor-agent filed " + p.id() + " and can never review its own request", selfDeny.json().path("error").asText());
    assertFalse(p.verdict().isDone());
  }

  @Test
  void aTwoApprovalRuleNeedsTwoDistinctReviewersAndTheLedgerNamesBoth() throws Exception {
    approvalJson = "{\"reviewers\":[\"dba\",\"security\"],\"approvals_required\":2}";
    PendingApproval p = held("DROP TABLE t");
    String alice = token("alice", "dba");
    Reply first = call("POST", "api/approvals/" + p.id() + "/approve", alice, "{\"justification\":\"planned\"}");
    assertEquals(200, first.status());
    assertEquals("pending", first.json().path("status").asText());
    assertEquals(1, first.json().path("approvals").asInt());
    Reply again = call("POST", "api/approvals/" + p.id() + "/approve", token("alice", "dba"), "{\"justification\":\"again\"}");
    assertEquals(409, again.status());
    assertEquals("alice already reviewed " + p.id(), again.json().path("error").asText());
    assertFalse(p.verdict().isDone());
    Reply second = call("POST", "api/approvals/" + p.id() + "/approve", token("sam", "security"), "{\"justification\":\"change CHG-9\"}");
    assertEquals(200, second.status());
    assertEquals("approved", second.json().path("status").asText());
    assertEquals(Status.APPROVED, p.verdict().get(10, TimeUnit.SECONDS).status());
    JsonNode trail = call("GET", "api/decisions/" + second.json().path("request_id").asText(), alice, null).json();
    assertEquals(List.of("decision", "reviewed", "reviewed", "approved"), java.util.stream.StreamSupport
        .stream(trail.spliterator(), false).map(e -> e.path("status").asText(e.path("kind").asText())).toList(),
        "each review as it was given, then the verdict");
    JsonNode reviews = trail.get(3).path("reviews");
    assertEquals(2, reviews.size(), trail.toString());
    assertEquals("alice", reviews.get(0).path("reviewer").path("subject").asText());
    assertEquals("sam", reviews.get(1).path("reviewer").path("subject").asText());
  }

  @Test
  void aDenialNeedsAJustificationToo() throws Exception {
    PendingApproval p = held("DELETE FROM t");
    Reply missing = call("POST", "api/approvals/" + p.id() + "/deny", token("alice", "dba"), "{}");
    assertEquals(400, missing.status());
    Reply denied = call("POST", "api/approvals/" + p.id() + "/deny", token("alice", "dba"), "{\"justification\":\"not in business hours\"}");
    assertEquals(200, denied.status());
    PendingApproval.Verdict v = p.verdict().get(10, TimeUnit.SECONDS);
    assertEquals(Status.DENIED, v.status());
    assertEquals("not in business hours", v.reason());
    assertEquals(404, call("POST", "api/approvals/apr_00000000000000000000000000/deny", token("alice", "dba"),
        "{\"justification\":\"x\"}").status());
  }

  @Test
  void decisionsCanBeSearchedByIdentityConnectionOutcomeAndTime() throws Exception {
    agent.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    held("DELETE FROM t");
    String alice = token("alice", "dba");
    JsonNode all = call("GET", "api/decisions?subject=cursor-agent", alice, null).json();
    assertEquals(3, all.size(), "connect, select, delete: " + all);
    assertEquals("DELETE FROM t", all.get(0).path("statement").asText(), "newest first");
    JsonNode held = call("GET", "api/decisions?outcome=require_approval&connection=test-pg", alice, null).json();
    assertEquals(1, held.size());
    assertEquals(0, call("GET", "api/decisions?subject=nobody", alice, null).json().size());
    assertEquals(0, call("GET", "api/decisions?since=2999-01-01T00:00:00Z", alice, null).json().size());
    assertEquals(3, call("GET", "api/decisions?subject=cursor-agent&until=2999-01-01T00:00:00Z", alice, null).json().size());
    assertEquals(1, call("GET", "api/decisions?subject=cursor-agent&limit=1", alice, null).json().size());
    Reply badOutcome = call("GET", "api/decisions?outcome=maybe", alice, null);
    assertEquals(400, badOutcome.status());
    assertEquals("outcome: must be allow, mask, require_approval or deny (was 'maybe')", badOutcome.json().path("error").asText());
    assertEquals(400, call("GET", "api/decisions?since=yesterday", alice, null).status());
    assertEquals(400, call("GET", "api/decisions?limit=0", alice, null).status());
  }

  @Test
  void theLedgerPageShowsItsStatusAndVerifiesOnDemand() throws Exception {
    held("DELETE FROM t");
    String alice = token("alice", "dba");
    JsonNode status = call("GET", "api/ledger", alice, null).json();
    assertTrue(status.path("size").asLong() >= 3, status.toString());
    assertTrue(status.path("last_verification").isNull());
    Reply notJson = call("POST", "api/ledger/verify", alice, null);
    assertEquals(415, notJson.status(), "state changes need a JSON body (no cross-site form posts)");
    Reply verified = call("POST", "api/ledger/verify", alice, "{}");
    assertEquals(200, verified.status(), verified.raw().body());
    assertTrue(verified.json().path("ok").asBoolean(), verified.json().toString());
    JsonNode after = call("GET", "api/ledger", alice, null).json();
    assertTrue(after.path("last_verification").path("ok").asBoolean());
  }

  @Test
  void theConsoleSignsInWithAPastedTokenIntoAnHttpOnlyCookie() throws Exception {
    Reply refused = call("POST", "api/session", null, "{\"token\":\"forged\"}");
    assertEquals(401, refused.status());
    Reply signedIn = call("POST", "api/session", null, "{\"token\":\"" + token("alice", "dba") + "\"}");
    assertEquals(200, signedIn.status());
    String cookie = signedIn.raw().headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("portcullis_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite"), cookie);
    String session = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> me = http.send(HttpRequest.newBuilder(base.resolve("api/me")).header("Cookie", session).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, me.statusCode());
    assertEquals("alice", JSON.readTree(me.body()).path("subject").asText());
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>Portcullis console</title>"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    http.send(HttpRequest.newBuilder(base.resolve("api/session")).header("Cookie", session).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> after = http.send(HttpRequest.newBuilder(base.resolve("api/me")).header("Cookie", session).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, after.statusCode(), "signed out");
  }

  @Test
  void newRequestsAndVerdictsArriveAsServerSentEvents() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest subscribe = HttpRequest.newBuilder(base.resolve("api/events"))
        .header("Authorization", "Bearer " + token("alice", "dba")).build();
    HttpResponse<Stream<String>> stream = http.send(subscribe, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    Thread reader = new Thread(() -> stream.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    assertEquals(": connected", lines.poll(10, TimeUnit.SECONDS));
    PendingApproval p = held("DELETE FROM t");
    assertEquals("event: approval", next(lines));
    assertEquals("data: {\"id\":\"" + p.id() + "\",\"event\":\"filed\"}", next(lines));
    call("POST", "api/approvals/" + p.id() + "/deny", token("alice", "dba"), "{\"justification\":\"no\"}");
    p.verdict().get(10, TimeUnit.SECONDS);
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 8 && !seen.toString().contains("\"event\":\"denied\""); i++) seen.append(next(lines)).append('\n');
    assertTrue(seen.toString().contains("\"event\":\"denied\""), seen.toString());
    stream.body().close();
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    while (true) {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertNotNull(line, "no event within 10 s");
      if (!line.isEmpty() && !line.startsWith(":")) return line;
    }
  }
}
