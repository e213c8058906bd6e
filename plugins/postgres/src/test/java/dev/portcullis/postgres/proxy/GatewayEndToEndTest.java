package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.FileApprovalStore;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.postgres.PostgresModule;
import dev.portcullis.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * The whole path with the real gateway: tokens signed with the development key, the embedded Rego engine on the
 * reference policy bundle (policies/), the SQL analyzer, mask plans, the file approval store and its reviews, with
 * psql and pgjdbc as clients, and the durable ledger. The four outcomes, a bad token and unreadable SQL, each
 * recorded; the ledger verifies afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayEndToEndTest {
  @TempDir static Path dir;
  static String database;
  static RecordingLedger ledger;
  static Path configFile;
  static GatewayConfig config;
  static Gateway gateway;
  static int port;
  static String agentToken;
  static String dbaToken;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabases.createPostgresDatabase("e2e");
    TestDatabases.Server server = TestDatabases.postgres();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgresql", database), server.user(),
        server.password()); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text, email text, card text)");
      st.execute("INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', '4111111111111111'),"
          + " (2, 'Bob', 'bob@example.com', 'paid by 5500005555555559 last time'), (3, 'Cy', 'cy@example.com', '')");
    }
    configFile = ReferenceConfig.write(dir, "e2e-pg", database, "e2e.portcullis/ledger", "");
    config = GatewayConfig.load(configFile);
    ledger = new RecordingLedger(Ledger.open(config.ledger()));
    gateway = Gateway.builder(config).module(new PostgresModule()).ledger(ledger).start();
    port = gateway.address("e2e-pg").getPort();
    agentToken = DevTokens.issue(DevTokens.devIssuer(config), "cursor-agent", List.of("agents"), Duration.ofMinutes(10));
    dbaToken = DevTokens.issue(DevTokens.devIssuer(config), "dana", List.of("dba"), Duration.ofMinutes(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) gateway.close();
    if (ledger != null) ledger.close();
    if (database != null) TestDatabases.dropPostgres(database);
  }

  /** Last: stop the gateway, close the ledger, and check every entry and checkpoint as an auditor would. */
  @Test
  @Order(Integer.MAX_VALUE)
  void theLedgerVerifiesAfterwards() throws Exception {
    assertTrue(ledger.entries("decision").size() >= 10, "decisions recorded: " + ledger.entries("decision").size());
    assertTrue(ledger.entries("execution_result").size() >= 5, "results recorded");
    gateway.close();
    gateway = null;
    ledger.close();
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine verify = LedgerCommand.commandLine();
    verify.setOut(new java.io.PrintWriter(out));
    verify.setErr(new java.io.PrintWriter(out));
    assertEquals(0, verify.execute("verify", "--config", configFile.toString()), out.toString());
    ledger = null;
  }

  // ---- psql ----------------------------------------------------------------------------------------------------

  @Test
  void psqlAgentReadsMaskedData() throws Exception {
    GatewayFixture.Run run = psql(agentToken, "SELECT name, email, card FROM customers ORDER BY id");
    assertEquals(0, run.exit(), run.err());
    String out = run.out();
    assertFalse(out.contains("ada@example.com") || out.contains("4111111111111111")
        || out.contains("5500005555555559"), out);
    assertTrue(out.startsWith("Ada|") && out.contains("1111") && out.contains("paid by "), out);
    assertRecorded("SELECT name, email, card FROM customers ORDER BY id", "mask");
  }

  @Test
  void psqlDbaReadsUnmasked() throws Exception {
    GatewayFixture.Run run = psql(dbaToken, "SELECT email FROM customers WHERE id = 1");
    assertEquals(0, run.exit(), run.err());
    assertEquals("ada@example.com\n", run.out());
  }

  @Test
  void psqlAgentDdlIsDeniedAndTheSessionGoesOn() throws Exception {
    GatewayFixture.Run run = psql(agentToken, "DROP TABLE customers", "SELECT count(*) FROM customers");
    assertTrue(run.err().contains("42501") && run.err().contains("agents may not change the schema"), run.err());
    assertEquals("3\n", run.out());
    assertRecorded("DROP TABLE customers", "deny");
  }

  @Test
  void psqlAgentWriteRunsOnceADbaApproves() throws Exception {
    try (Connection c = direct(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS psql_jobs (id int)");
      st.execute("INSERT INTO psql_jobs VALUES (1), (2)");
    }
    CompletableFuture<GatewayFixture.Run> run = CompletableFuture.supplyAsync(() -> {
      try {
        return psql(agentToken, "DELETE FROM psql_jobs WHERE id = 1");
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    String id = approveNextPending(dbaToken, true);
    GatewayFixture.Run done = run.get(60, TimeUnit.SECONDS);
    assertEquals(0, done.exit(), done.err());
    assertEquals("DELETE 1\n", done.out());
    assertTrue(done.err().contains(id), "the client was told the approval id: " + done.err());
    assertRecorded("DELETE FROM psql_jobs WHERE id = 1", "require_approval");
    assertTrue(awaitTrue(() -> ledger.entries("approval").stream()
        .anyMatch(e -> e.fields().toString().contains(id))), "approval verdict recorded");
  }

  @Test
  void psqlUnreadableStatementIsUnknownAndDenied() throws Exception {
    GatewayFixture.Run run = psql(agentToken, "SELEC email FROM customers");
    assertTrue(run.err().contains("42501") && run.err().contains("unknown or unparseable statements are denied to agents"), run.err());
    JsonNode request = decisionFor("SELEC email FROM customers").path("request");
    assertEquals("unknown", request.path("sql").path("statements").path(0).path("type").asText(), request.toString());
  }

  // ---- pgjdbc --------------------------------------------------------------------------------------------------

  @Test
  void jdbcAgentReadsMaskedDataInTextAndBinary() throws Exception {
    for (String threshold : new String[] {"5", "-1"}) {
      try (Connection c = jdbc(agentToken, "prepareThreshold", threshold);
           PreparedStatement ps = c.prepareStatement("SELECT email, card FROM customers WHERE id = ?")) {
        for (int i = 0; i < 3; i++) {
          ps.setInt(1, 1);
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertFalse(rs.getString(1).contains("ada@example.com"), rs.getString(1));
            assertTrue(rs.getString(2).endsWith("1111") && !rs.getString(2).equals("4111111111111111"),
                rs.getString(2));
          }
        }
      }
    }
  }

  @Test
  void jdbcAgentBatchWriteWaitsForApprovalAndRunsOnce() throws Exception {
    try (Connection c = direct(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS jdbc_log (id int, note text)");
    }
    try (Connection c = jdbc(agentToken)) {
      CompletableFuture<Integer> insert = CompletableFuture.supplyAsync(() -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jdbc_log VALUES (?, ?)")) {
          ps.setInt(1, 1);
          ps.setString(2, "approved write");
          return ps.executeUpdate();
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      });
      approveNextPending(dbaToken, true);
      assertEquals(1, insert.get(60, TimeUnit.SECONDS));
    }
    try (Connection c = direct(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM jdbc_log")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void jdbcAgentWriteRefusedByTheReviewerFailsWith42501() throws Exception {
    try (Connection c = jdbc(agentToken); Statement st = c.createStatement()) {
      CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() -> {
        try {
          return st.executeUpdate("UPDATE customers SET name = 'Eve' WHERE id = 2");
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      });
      approveNextPending(dbaToken, false);
      java.util.concurrent.ExecutionException e =
          assertThrows(java.util.concurrent.ExecutionException.class, () -> update.get(60, TimeUnit.SECONDS));
      assertEquals("42501", ((SQLException) e.getCause()).getSQLState());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM customers")) {
        assertTrue(rs.next(), "the session is still usable");
      }
    }
  }

  @Test
  void jdbcConnectionChecksWork() throws Exception {
    int before = ledger.entries("decision").size();
    try (Connection c = jdbc(agentToken)) {
      assertTrue(c.isValid(5), "pgjdbc checks a connection with an empty query");
    }
    assertEquals(before + 1, ledger.entries("decision").size(), "only the connect decision is recorded");
  }

  @Test
  void jdbcAgentRoleChangeIsDenied() throws Exception {
    try (Connection c = jdbc(agentToken); Statement st = c.createStatement()) {
      PSQLException e = assertThrows(PSQLException.class, () -> st.execute("SET ROLE postgres"));
      assertEquals("42501", e.getSQLState());
      assertTrue(e.getMessage().contains("agents may not change role"), e.getMessage());
    }
  }

  @Test
  void badTokensGet28P01AndAreRecorded() throws Exception {
    String expired = DevTokens.issue(DevTokens.devIssuer(config), "cursor-agent", List.of("agents"),
        Duration.ofMinutes(-10));
    String forged = agentToken.substring(0, agentToken.lastIndexOf('.') + 1) + "AAAA" + agentToken.substring(
        agentToken.lastIndexOf('.') + 5);
    for (String token : List.of("garbage", expired, forged)) {
      int before = ledger.entries("decision").size();
      PSQLException e = assertThrows(PSQLException.class, () -> jdbc(token).close());
      assertEquals("28P01", e.getSQLState(), e.getMessage());
      assertTrue(awaitTrue(() -> ledger.entries("decision").size() > before), "refused login recorded");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private static GatewayFixture.Run psql(String token, String... statements) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("psql", "-X", "-At", "-v", "VERBOSITY=verbose",
        "host=127.0.0.1 port=" + port + " user=someone dbname=" + database));
    for (String sql : statements) command.addAll(List.of("-c", sql));
    return GatewayFixture.run(Map.of("PGPASSWORD", token), command);
  }

  private static Connection jdbc(String token, String... extra) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "someone");
    props.setProperty("password", token);
    props.setProperty("sslmode", "disable");
    for (int i = 0; i < extra.length; i += 2) props.setProperty(extra[i], extra[i + 1]);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
  }

  private static Connection direct() throws SQLException {
    TestDatabases.Server s = TestDatabases.postgres();
    return DriverManager.getConnection(s.jdbcUrl("postgresql", database), s.user(), s.password());
  }

  /** Waits for the next pending approval and reviews it as a reviewer would with the CLI; returns its id. */
  private static synchronized String approveNextPending(String reviewerToken, boolean approve) throws Exception {
    ApprovalStore store = new FileApprovalStore(config.approvals().store());
    String[] id = new String[1];
    assertTrue(awaitTrue(() -> {
      try {
        for (ObjectNode record : store.list()) {
          if (record.path("status").asText().equals("pending")) {
            id[0] = record.path("id").asText();
            return true;
          }
        }
        return false;
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }), "no approval request was filed");
    try (PolicyEngine engine = PolicyEngine.create(config.policy())) {
      new Reviews(store, TokenVerifier.create(config.identity()), engine, config.policy().review())
          .review(id[0], reviewerToken, approve, approve ? "looks right" : "not now");
    }
    return id[0];
  }

  private static ObjectNode decisionFor(String sql) {
    return ledger.entries("decision").stream().map(RecordingLedger.Entry::fields)
        .filter(f -> f.path("request").path("sql").path("text").asText().equals(sql)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no decision recorded for " + sql));
  }

  private static void assertRecorded(String sql, String outcome) {
    assertEquals(outcome, decisionFor(sql).path("decision").path("outcome").asText());
  }

  private static boolean awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
