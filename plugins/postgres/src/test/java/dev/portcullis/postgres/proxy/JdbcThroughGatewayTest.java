package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.protocol.Decision;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;

class JdbcThroughGatewayTest {
  static FixedServices services = new FixedServices();
  static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayFixture(services, null, ProxySettings.DEFAULT_MAX_MESSAGE_SIZE);
    gateway.direct("CREATE TABLE customers (id int PRIMARY KEY, name text, email varchar(100), card text,"
            + " card_number bigint, doc jsonb)",
        "INSERT INTO customers VALUES (1, 'Ada', 'ada@example.com', '4111111111111111', 4111111111111111,"
            + " '{\"card\": \"4111111111111111\"}'), (2, 'Bob', 'bob@example.com', 'none', 42, '{}')",
        "CREATE TABLE items (id int, label text, amount bigint, at timestamptz, raw bytea)",
        "CREATE TABLE queue (id int)", "INSERT INTO queue VALUES (1), (2), (3)");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void preparedStatementsAreDecidedOnEveryExecution() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN, "prepareThreshold", "1");
         PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1 AS n, 'v' || ?::text AS s")) {
      long before = services.decisions.stream().filter(d -> d.sql().startsWith("SELECT $1::int + 1")).count();
      for (int i = 0; i < 5; i++) {
        ps.setInt(1, i);
        ps.setString(2, "x" + i);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(i + 1, rs.getInt("n"));
          assertEquals("vx" + i, rs.getString("s"));
        }
      }
      long after = services.decisions.stream().filter(d -> d.sql().startsWith("SELECT $1::int + 1")).count();
      assertEquals(5, after - before);
    }
  }

  @Test
  void batchesInsertEveryRow() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN);
         PreparedStatement ps = c.prepareStatement("INSERT INTO items (id, label) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < 200; i++) {
        ps.setInt(1, 1000 + i);
        ps.setString(2, "batch " + i);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      c.commit();
      assertEquals(200, counts.length);
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM items WHERE id >= 1000 AND id < 1200")) {
        rs.next();
        assertEquals(200, rs.getInt(1));
      }
    }
  }

  @Test
  void binaryResultsArriveIntact() throws Exception {
    gateway.direct("INSERT INTO items VALUES (7, 'seven', 9007199254740993, '2026-11-22 02:00:00+00', '\\x00ff10')");
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN, "prepareThreshold", "-1");
         PreparedStatement ps = c.prepareStatement("SELECT id, label, amount, at, raw FROM items WHERE id = ?")) {
      ps.setInt(1, 7);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(7, rs.getInt(1));
        assertEquals("seven", rs.getString(2));
        assertEquals(9007199254740993L, rs.getLong(3));
        assertEquals(java.time.Instant.parse("2026-11-22T02:00:00Z"),
            rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, rs.getBytes(5));
      }
    }
  }

  @Test
  void maskingAppliesToTextAndBinaryResults() throws Exception {
    for (String threshold : new String[] {"5", "-1"}) {
      try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN, "prepareThreshold", threshold);
           PreparedStatement ps = c.prepareStatement(
               "SELECT name, email, card, card_number, doc FROM customers WHERE id = ?")) {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), threshold);
          assertEquals("Ada", rs.getString(1));
          assertEquals("[REDACTED]", rs.getString(2), threshold);
          assertEquals("************1111", rs.getString(3), threshold);
          if (threshold.equals("-1")) {
            assertNull(rs.getObject(4), "a binary bigint a detector matches becomes NULL");
          } else {
            assertEquals("************1111", rs.getString(4));
          }
          assertEquals("{\"card\": \"************1111\"}", rs.getString(5), threshold);
        }
      }
    }
  }

  @Test
  void aColumnRuleForOneTableLeavesOtherTablesAlone() throws Exception {
    gateway.direct("CREATE TABLE IF NOT EXISTS memos (id int, note text)",
        "ALTER TABLE customers ADD COLUMN IF NOT EXISTS note text DEFAULT 'vip'",
        "INSERT INTO memos VALUES (1, 'call back')");
    String sql = "SELECT c.note, m.note FROM customers c, memos m WHERE c.id = ?";
    for (String threshold : new String[] {"5", "-1"}) {
      try (Connection con = gateway.jdbc(FixedServices.AGENT_TOKEN, "prepareThreshold", threshold);
           PreparedStatement ps = con.prepareStatement(sql)) {
        ps.setInt(1, 1);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("[CUSTOMER NOTE]", rs.getString(1), threshold);
          assertEquals("call back", rs.getString(2), threshold);
        }
      }
    }
    try (Connection con = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = con.createStatement();
         ResultSet rs = st.executeQuery("SELECT m.note, c.note FROM memos m, customers c WHERE c.id = 2")) {
      assertTrue(rs.next());
      assertEquals("call back", rs.getString(1));
      assertEquals("[CUSTOMER NOTE]", rs.getString(2));
    }
  }

  @Test
  void deniedStatementRaises42501AndTheConnectionStaysUsable() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN);
         PreparedStatement ps = c.prepareStatement("DROP TABLE queue")) {
      PSQLException e = assertThrows(PSQLException.class, ps::execute);
      assertEquals("42501", e.getSQLState());
      assertTrue(e.getMessage().contains("DDL is not allowed for agents"), e.getMessage());
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT to_regclass('queue') IS NOT NULL")) {
        rs.next();
        assertTrue(rs.getBoolean(1), "the table is still there");
      }
    }
  }

  @Test
  void aFailedDecisionDeniesAndTheConnectionStaysUsable() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      PSQLException e = assertThrows(PSQLException.class, () -> st.execute("SELECT 'no_decision_possible'"));
      assertEquals("42501", e.getSQLState());
      assertTrue(e.getMessage().contains("policy engine unreachable"), e.getMessage());
      try (ResultSet rs = st.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void deniedStatementInsideABatchFailsTheBatch() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      st.addBatch("INSERT INTO items (id) VALUES (500)");
      st.addBatch("DROP TABLE items");
      st.addBatch("INSERT INTO items (id) VALUES (501)");
      BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);
      assertTrue(e.getMessage().contains("42501") || "42501".equals(e.getNextException().getSQLState()),
          e.getMessage());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM items WHERE id = 501")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "nothing after the denied statement ran");
      }
    }
  }

  @Test
  void heldStatementRunsOnceApproved() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN)) {
      CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM queue WHERE id = ?")) {
          ps.setInt(1, 1);
          return ps.executeUpdate();
        } catch (SQLException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      FixedServices.TestApproval approval = services.approvals.poll(30, TimeUnit.SECONDS);
      assertTrue(approval != null, "no approval was requested");
      approval.approve();
      assertEquals(1, delete.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void heldStatementIsRefusedWhenTheReviewerDenies() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN)) {
      CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
        try (Statement st = c.createStatement()) {
          return st.executeUpdate("DELETE FROM queue WHERE id = 2");
        } catch (SQLException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      FixedServices.TestApproval approval = services.approvals.poll(30, TimeUnit.SECONDS);
      assertTrue(approval != null, "no approval was requested");
      approval.deny();
      java.util.concurrent.ExecutionException e =
          assertThrows(java.util.concurrent.ExecutionException.class, () -> delete.get(30, TimeUnit.SECONDS));
      assertEquals("42501", ((SQLException) e.getCause()).getSQLState());
      assertTrue(e.getCause().getMessage().contains("denied: not today"), e.getCause().getMessage());
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM queue WHERE id = 2")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    }
  }

  @Test
  void cancelWhileHeldForApprovalWithdrawsTheRequest() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      CompletableFuture<SQLException> delete = CompletableFuture.supplyAsync(() -> {
        try {
          st.executeUpdate("DELETE FROM queue WHERE id = 3");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      FixedServices.TestApproval approval = services.approvals.poll(30, TimeUnit.SECONDS);
      assertTrue(approval != null, "no approval was requested");
      st.cancel();
      SQLException e = delete.get(30, TimeUnit.SECONDS);
      assertEquals("57014", e == null ? null : e.getSQLState());
      assertTrue(approval.withdrawn);
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM queue WHERE id = 3")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    }
  }

  @Test
  void noticesAndParameterChangesReachTheClient() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      st.execute("DO $$ BEGIN RAISE NOTICE 'from upstream'; END $$");
      assertEquals("from upstream", st.getWarnings().getMessage());
      st.execute("SET application_name = 'renamed'");
      assertEquals("renamed", c.unwrap(PGConnection.class).getParameterStatus("application_name"));
    }
  }

  @Test
  void invalidTokenGets28P01() {
    PSQLException e = assertThrows(PSQLException.class, () -> gateway.jdbc("not-a-valid-token").close());
    assertEquals("28P01", e.getSQLState());
  }

  @Test
  void cancelReachesTheUpstreamBackend() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      CompletableFuture<SQLException> sleeping = CompletableFuture.supplyAsync(() -> {
        try {
          st.execute("SELECT pg_sleep(60)");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      // Cancel only once the statement runs upstream: before that there is nothing to cancel.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!sleepingUpstream() && System.nanoTime() < deadline) Thread.onSpinWait();
      st.cancel();
      SQLException e = sleeping.get(30, TimeUnit.SECONDS);
      assertEquals("57014", e == null ? null : e.getSQLState());
    }
  }

  private boolean sleepingUpstream() {
    try (Connection c = java.sql.DriverManager.getConnection(gateway.server.jdbcUrl("postgresql", gateway.database),
        gateway.server.user(), gateway.server.password()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'"
             + " AND state = 'active'")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void copyOutIsMaskedAndCopyInWorks() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN)) {
      org.postgresql.copy.CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringWriter out = new StringWriter();
      copy.copyOut("COPY customers (id, email, card) TO STDOUT", out);
      assertEquals("1\t[REDACTED]\t************1111\n2\t[REDACTED]\tnone\n", out.toString());
      StringWriter csv = new StringWriter();
      copy.copyOut("COPY (SELECT id, card FROM customers ORDER BY id) TO STDOUT WITH (FORMAT csv)", csv);
      assertEquals("1,************1111\n2,none\n", csv.toString());
      long rows = copy.copyIn("COPY items (id, label) FROM STDIN", new StringReader("900\tcopied\n901\tcopied\n"));
      assertEquals(2, rows);
    }
  }

  @Test
  void everyForwardedStatementHasItsResultRecorded() throws Exception {
    try (Connection c = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO items (id) VALUES (300), (301)");
    }
    assertTrue(services.results.stream().anyMatch(r -> r.rows() == 2 && r.error() == null), services.results::toString);
    assertTrue(services.decisions.stream().anyMatch(d -> d.outcome() == Decision.Outcome.ALLOW
        && d.sql().startsWith("INSERT INTO items (id) VALUES (300)")));
  }
}
