package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A DELETE waits in the gateway while the approvals commands, reading only the store, release or refuse it. */
class ApprovalsCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The approval id once the held statement shows up in {@code approvals list --format json}. */
  static JsonNode waitForPending(PluginGateway gw, String token) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Run list = Run.of("approvals", "list", "--config", gw.configFile.toString(), "--token", token, "--format", "json",
          "--status", "pending");
      assertEquals(0, list.exit(), list.err());
      JsonNode pending = JSON.readTree(list.out());
      if (!pending.isEmpty()) return pending.get(0);
      Thread.onSpinWait();
    }
    throw new AssertionError("no pending approval appeared within 60 s");
  }

  @Test
  void anApprovalFromTheCommandLineReleasesTheWaitingStatementOnce(@TempDir Path dir) throws Exception {
    PluginGateway gw = new PluginGateway(dir);
    try (gw; Connection c = gw.connect("cursor-agent", "agents")) {
      String dba = gw.token("alice", "dba");
      Statement st = c.createStatement();
      CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
        try {
          return st.executeUpdate("DELETE FROM orders WHERE id = 5");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      JsonNode pending = waitForPending(gw, dba);
      String id = pending.path("id").asText();
      assertEquals("cursor-agent", pending.path("requester").asText());
      assertEquals("DELETE FROM orders WHERE id = 5", pending.path("statement").asText());

      Run self = Run.of("approvals", "approve", id, "--config", gw.configFile.toString(), "--token",
          gw.token("cursor-agent", "dba"));
      assertEquals(1, self.exit());
      assertTrue(self.err().contains("can never approve its own request"), self.err());

      Run unjustified = Run.of("approvals", "approve", id, "--config", gw.configFile.toString(), "--token", dba);
      assertEquals(1, unjustified.exit());
      assertTrue(unjustified.err().contains("a justification is required to approve " + id), unjustified.err());

      Run approve = Run.of("approvals", "approve", id, "--config", gw.configFile.toString(), "--token", dba,
          "--reason", "cleanup");
      assertEquals(0, approve.exit(), approve.err());
      assertTrue(approve.out().contains(id + ": approved"), approve.out());
      assertEquals(1, delete.get(30, TimeUnit.SECONDS));
      SQLWarning notice = st.getWarnings();
      assertTrue(notice != null && notice.getMessage().contains(id), String.valueOf(notice));

      Run again = Run.of("approvals", "approve", id, "--config", gw.configFile.toString(), "--token", gw.token("bob", "dba"));
      assertEquals(1, again.exit());
      assertTrue(again.err().contains(id + " is approved, nothing to review"), again.err());
      Run show = Run.of("approvals", "show", id, "--config", gw.configFile.toString(), "--token", dba);
      assertTrue(show.out().contains("\"status\" : \"approved\"") && !show.out().contains("\"token\""), show.out());
    }
    assertTrue(gw.ledgerShow().contains("approval"));
    assertEquals(0, gw.verifyLedger().exit());
  }

  @Test
  void aDenialFromTheCommandLineRefusesTheWaitingStatement(@TempDir Path dir) throws Exception {
    try (PluginGateway gw = new PluginGateway(dir); Connection c = gw.connect("cursor-agent", "agents")) {
      String dba = gw.token("alice", "dba");
      CompletableFuture<SQLException> delete = CompletableFuture.supplyAsync(() -> {
        try {
          c.createStatement().executeUpdate("DELETE FROM orders WHERE id = 4");
          return null;
        } catch (SQLException e) {
          return e;
        }
      });
      String id = waitForPending(gw, dba).path("id").asText();
      Run deny = Run.of("approvals", "deny", id, "--config", gw.configFile.toString(), "--token", dba, "--reason", "not now");
      assertEquals(0, deny.exit(), deny.err());
      SQLException refused = delete.get(30, TimeUnit.SECONDS);
      assertTrue(refused != null && refused.getMessage().contains("not now"), String.valueOf(refused));
      Run list = Run.of("approvals", "list", "--config", gw.configFile.toString(), "--token", dba);
      assertTrue(list.out().contains(id) && list.out().contains("denied"), list.out());
    }
  }

  @Test
  void theCommandsRefuseAnInvalidToken(@TempDir Path dir) throws Exception {
    try (PluginGateway gw = new PluginGateway(dir)) {
      Run list = Run.of("approvals", "list", "--config", gw.configFile.toString(), "--token", "nope");
      assertEquals(1, list.exit());
      assertEquals("portcullis: your token is refused: token is not a JWT", list.err().strip());
    }
  }
}
