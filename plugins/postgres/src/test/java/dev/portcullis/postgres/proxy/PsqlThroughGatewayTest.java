package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.protocol.Decision;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PsqlThroughGatewayTest {
  static FixedServices services = new FixedServices();
  static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayFixture(services, null, ProxySettings.DEFAULT_MAX_MESSAGE_SIZE);
    gateway.direct("CREATE TABLE customers (id int PRIMARY KEY, name text, email text, card text)",
        "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', '4111111111111111'),"
            + " (2, 'Bob', 'bob@example.com', 'none')",
        "CREATE TABLE notes (id int, body text)", "INSERT INTO notes VALUES (1, 'hello')");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void allowedQueryRunsUnchanged() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-c", "SELECT body FROM notes");
    assertEquals(0, run.exit(), run.err());
    assertEquals("hello\n", run.out());
  }

  @Test
  void maskedQueryRewritesEmailsAndCardNumbers() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-c",
        "SELECT name, email, card FROM customers ORDER BY id");
    assertEquals(0, run.exit(), run.err());
    assertEquals("Ada|[REDACTED]|************1111\nBob|[REDACTED]|none\n", run.out());
  }

  @Test
  void severalStatementsInOneQueryAreDecidedTogether() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-c", "SELECT 1; SELECT 'two'");
    assertEquals(0, run.exit(), run.err());
    assertEquals("1\ntwo\n", run.out());
    assertTrue(services.decisions.contains(new FixedServices.Recorded("SELECT 1; SELECT 'two'", Decision.Outcome.ALLOW)));
  }

  @Test
  void heldDeleteRunsAfterApprovalAndTheClientIsToldHow() throws Exception {
    gateway.direct("CREATE TABLE IF NOT EXISTS jobs (id int)", "INSERT INTO jobs VALUES (1), (2)");
    CompletableFuture<GatewayFixture.Run> run = CompletableFuture.supplyAsync(() -> {
      try {
        return gateway.psql(FixedServices.AGENT_TOKEN, "", "-c", "DELETE FROM jobs WHERE id = 1");
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    FixedServices.TestApproval approval = services.approvals.poll(30, TimeUnit.SECONDS);
    assertNotNull(approval, "no approval was requested");
    approval.approve();
    GatewayFixture.Run done = run.get(30, TimeUnit.SECONDS);
    assertEquals(0, done.exit(), done.err());
    assertEquals("DELETE 1\n", done.out());
    assertTrue(done.err().contains("NOTICE:  statement held for approval " + approval.id())
        && done.err().contains("./portcullis approvals approve " + approval.id()), done.err());
  }

  @Test
  void copyThroughPsqlIsMasked() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-c",
        "\\copy (SELECT id, card FROM customers ORDER BY id) TO STDOUT");
    assertEquals(0, run.exit(), run.err());
    assertEquals("1\t************1111\n2\tnone\n", run.out());
  }

  @Test
  void invalidTokenIsRefused() throws Exception {
    GatewayFixture.Run run = gateway.psql("wrong", "", "-c", "SELECT 1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("invalid token"), run.err());
  }

  @Test
  void tlsIsOfferedWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
    try (GatewayFixture tls = new GatewayFixture(services, TestCertificates.serverContext(dir),
        ProxySettings.DEFAULT_MAX_MESSAGE_SIZE)) {
      GatewayFixture.Run run = tls.psql(FixedServices.AGENT_TOKEN, "sslmode=require", "-c", "\\conninfo",
          "-c", "SELECT 42");
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("SSL connection (protocol: TLS"), run.out());
      assertTrue(run.out().endsWith("42\n"), run.out());
    }
  }

  @Test
  void tokensAreRefusedInCleartextFromOtherHosts() throws Exception {
    String address = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
        .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (java.net.SocketException e) { return false; } })
        .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof java.net.Inet4Address).map(java.net.InetAddress::getHostAddress).findFirst()
        .orElseThrow(() -> new AssertionError("this test needs a non-loopback IPv4 address on the machine"));
    dev.portcullis.gateway.protocol.UpstreamSettings upstream = new dev.portcullis.gateway.protocol.UpstreamSettings(
        gateway.server.host(), gateway.server.port(), gateway.server.user(), java.util.List.of(),
        dev.portcullis.gateway.protocol.UpstreamSettings.Tls.DISABLED, java.util.Optional::empty);
    try (PostgresProxy exposed = PostgresProxy.start(new ProxySettings(new java.net.InetSocketAddress(address, 0),
        null, ProxySettings.DEFAULT_MAX_MESSAGE_SIZE, upstream), services, 1)) {
      GatewayFixture.Run run = GatewayFixture.run(java.util.Map.of("PGPASSWORD", FixedServices.AGENT_TOKEN),
          java.util.List.of("psql", "-X", "-At", "host=" + address + " port=" + exposed.address().getPort()
              + " user=agent dbname=" + gateway.database + " sslmode=prefer", "-c", "SELECT 1"));
      assertEquals(2, run.exit());
      assertTrue(run.err().contains("only over TLS or from the loopback interface"), run.err());
    }
  }

  @Test
  void withoutACertificateTlsIsDeclined() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "sslmode=require", "-c", "SELECT 1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("server does not support SSL"), run.err());
  }

  @Test
  void deniedStatementGets42501AndTheSessionGoesOn() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-v", "VERBOSITY=verbose",
        "-c", "DROP TABLE notes", "-c", "SELECT count(*) FROM notes");
    assertTrue(run.err().contains("42501") && run.err().contains("DDL is not allowed for agents"), run.err());
    assertEquals("1\n", run.out());
  }
}
