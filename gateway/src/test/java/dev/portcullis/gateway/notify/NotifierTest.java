package dev.portcullis.gateway.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.gateway.approvals.FileApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import dev.portcullis.gateway.testing.TestLedger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications to real local HTTP receivers, through a running gateway's approval desk. */
class NotifierTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "s3cret-hmac-key";

  record Received(String path, Map<String, String> headers, byte[] body) {
    JsonNode json() throws IOException { return JSON.readTree(body); }
  }

  @TempDir Path dir;
  HttpServer receiver;
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  final AtomicInteger flakyCalls = new AtomicInteger();
  final CountDownLatch releaseHanging = new CountDownLatch(1);
  final AtomicInteger hangingCalls = new AtomicInteger();
  Gateway gateway;
  GatewayConfig config;
  Session agent;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext("/", x -> {
      byte[] body = x.getRequestBody().readAllBytes();
      String path = x.getRequestURI().getPath();
      if (path.equals("/hang")) {
        hangingCalls.incrementAndGet();
        try {
          releaseHanging.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        respond(x, 200);
        return;
      }
      if (path.equals("/flaky") && flakyCalls.incrementAndGet() <= 2) {
        respond(x, 503);
        return;
      }
      received.add(new Received(path, Map.of("signature",
          String.valueOf(x.getRequestHeaders().getFirst(Notifier.SIGNATURE_HEADER)),
          "content-type", String.valueOf(x.getRequestHeaders().getFirst("Content-Type"))), body));
      respond(x, 200);
    });
    receiver.start();
  }

  private static void respond(HttpExchange x, int status) throws IOException {
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  @AfterEach
  void stop() {
    releaseHanging.countDown();
    if (agent != null) agent.close();
    if (gateway != null) gateway.close();
    receiver.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  void startGateway(String notifications) throws Exception {
    Files.writeString(dir.resolve("hook.secret"), SECRET + "\n");
    config = TestGateways.config(dir, """
        admin:
          listen: 127.0.0.1:0
          public_url: https://portcullis.example/console/
          groups: [dba]
        notifications:
        """ + notifications);
    ScriptedEngine engine = new ScriptedEngine();
    engine.on("data.portcullis.decision", input -> Optional.of(JSON.readTree(input.path("action").asText().equals("connect")
        ? "{\"outcome\":\"allow\"}"
        : "{\"outcome\":\"require_approval\",\"reasons\":[\"writes need a dba\"],\"approval\":{\"reviewers\":[\"dba\"]}}")));
    engine.on("data.portcullis.review.allow", input -> Optional.of(BooleanNode.TRUE));
    CapturingModule module = new CapturingModule();
    TestLedger.createKey(config.ledger());
    gateway = Gateway.builder(config).module(module).policyEngine(engine).start();
    agent = module.services.get("test-pg").openSession(new SessionStart(
        TestGateways.token(config, "cursor-agent", "agents"), "127.0.0.1", "shop", "psql", null)).get(10, TimeUnit.SECONDS);
  }

  PendingApproval held(String sql) throws Exception {
    Decision d = agent.decideSql(sql).get(10, TimeUnit.SECONDS);
    return agent.requestApproval(d).get(10, TimeUnit.SECONDS);
  }

  void approve(PendingApproval p) throws Exception {
    ScriptedEngine allowAll = new ScriptedEngine().on("data.portcullis.review.allow", input -> Optional.of(BooleanNode.TRUE));
    new Reviews(new FileApprovalStore(config.approvals().store()), TokenVerifier.create(config.identity()), allowAll,
        config.policy().review()).review(p.id(), TestGateways.token(config, "alice", "dba"), true, "ok");
  }

  Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(r, "nothing reached the receiver within 10 s");
    return r;
  }

  @Test
  void webhookAndSlackMessagesReachTheReceiverSigned() throws Exception {
    startGateway("""
          - url: %s
            secret_file: hook.secret
          - url: %s
            format: slack
        """.formatted(url("/hook"), url("/slack")));
    PendingApproval p = held("DELETE FROM customers WHERE id = 1");
    Received a = next();
    Received b = next();
    Received hook = a.path().equals("/hook") ? a : b;
    Received slack = a.path().equals("/hook") ? b : a;

    assertEquals(Notifier.signature(SECRET.getBytes(StandardCharsets.UTF_8), hook.body()), hook.headers().get("signature"));
    assertTrue(hook.headers().get("signature").matches("sha256=[0-9a-f]{64}"), hook.headers().get("signature"));
    assertEquals("application/json", hook.headers().get("content-type"));
    JsonNode event = hook.json();
    assertEquals("approval.requested", event.path("type").asText());
    assertEquals(p.id(), event.path("approval").path("id").asText());
    assertEquals("DELETE FROM customers WHERE id = 1", event.path("approval").path("statement").asText());
    assertEquals("https://portcullis.example/console/#/approvals/" + p.id(), event.path("url").asText());

    assertEquals("null", slack.headers().get("signature"), "Slack webhooks carry no signature of ours");
    String text = slack.json().path("text").asText();
    assertTrue(text.contains("<https://portcullis.example/console/#/approvals/" + p.id() + "|Review " + p.id() + ">"), text);
    assertTrue(text.contains("*cursor-agent*") && text.contains("writes need a dba"), text);

    approve(p);
    assertEquals(PendingApproval.Status.APPROVED, p.verdict().get(10, TimeUnit.SECONDS).status());
    Received decided = next();
    assertEquals("/hook", decided.path());
    assertEquals("approval.decided", decided.json().path("type").asText());
    assertEquals("approved", decided.json().path("approval").path("status").asText());
    assertEquals(Notifier.signature(SECRET.getBytes(StandardCharsets.UTF_8), decided.body()), decided.headers().get("signature"));
  }

  @Test
  void aFailingReceiverIsRetriedWithBackoffUntilItAnswers() throws Exception {
    startGateway("""
          - url: %s
            secret_file: hook.secret
            max_attempts: 3
        """.formatted(url("/flaky")));
    PendingApproval p = held("DELETE FROM t");
    Received r = next();
    assertEquals(3, flakyCalls.get(), "two 503s, then delivered");
    assertEquals(p.id(), r.json().path("approval").path("id").asText());
    assertEquals(Notifier.signature(SECRET.getBytes(StandardCharsets.UTF_8), r.body()), r.headers().get("signature"));
    assertTrue(gateway.metrics().scrape().contains("portcullis_notification_failures_total{format=\"webhook\"} 0.0"));
  }

  @Test
  void aDeadReceiverDelaysNoDecisionAndIsCounted() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    startGateway("""
          - url: %s
            secret_file: hook.secret
            max_attempts: 1
          - url: http://127.0.0.1:%d/nobody-home
            format: slack
            max_attempts: 2
        """.formatted(url("/hang"), closedPort));
    PendingApproval p = held("DELETE FROM t");
    approve(p);
    // The verdict completes while the first receiver still holds its request open and the second refuses connections.
    assertEquals(PendingApproval.Status.APPROVED, p.verdict().get(10, TimeUnit.SECONDS).status());
    assertEquals(1, releaseHanging.getCount(), "the hanging receiver was never answered");
    String counted = "portcullis_notification_failures_total{format=\"slack\"} 1.0";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!gateway.metrics().scrape().contains(counted) && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(gateway.metrics().scrape().contains(counted), gateway.metrics().scrape());
    assertNull(received.poll());
  }

  @Test
  void aWebhookWithoutASecretIsAConfigurationError() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> TestGateways.config(dir, """
        notifications:
          - url: http://127.0.0.1:9/hook
          - url: ftp://example.com/
            format: teams
        """));
    assertTrue(e.getMessage().contains("notifications[0]: needs secret_env or secret_file for format webhook"), e.getMessage());
    assertTrue(e.getMessage().contains("notifications[1].url: must be an http or https URL"), e.getMessage());
    assertTrue(e.getMessage().contains("notifications[1].format: must be webhook or slack (was 'teams')"), e.getMessage());
  }
}
