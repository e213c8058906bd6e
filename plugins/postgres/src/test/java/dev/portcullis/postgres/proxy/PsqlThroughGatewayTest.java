package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.protocol.Decision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  void deniedStatementGets42501AndTheSessionGoesOn() throws Exception {
    GatewayFixture.Run run = gateway.psql(FixedServices.AGENT_TOKEN, "", "-v", "VERBOSITY=verbose",
        "-c", "DROP TABLE notes", "-c", "SELECT count(*) FROM notes");
    assertTrue(run.err().contains("42501") && run.err().contains("DDL is not allowed for agents"), run.err());
    assertEquals("1\n", run.out());
  }
}
