package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** psql connects through the gateway with a just-in-time credential instead of a token: once, then never again. */
class AccessCommandTest {
  record Psql(int exit, String out, String err) {}

  static Psql psql(PluginGateway gw, String password, String sql) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of("psql", "-X", "-At", "host=127.0.0.1 port="
        + gw.gateway.address("local-postgres").getPort() + " dbname=" + gw.database + " user=cursor-agent sslmode=disable",
        "-c", sql));
    pb.environment().put("PGPASSWORD", password);
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    Process p = pb.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "psql did not finish");
    return new Psql(p.exitValue(), out.strip(), err.get(10, TimeUnit.SECONDS).strip());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String grantId(String out) {
    Matcher m = Pattern.compile("apr_[0-9A-Z]{26}").matcher(out);
    assertTrue(m.find(), out);
    return m.group();
  }

  @Test
  void aJustInTimeCredentialLetsPsqlConnectWithoutATokenExactlyOnce(@TempDir Path dir) throws Exception {
    PluginGateway gw = new PluginGateway(dir);
    String config = gw.configFile.toString();
    try (gw) {
      String agent = gw.token("cursor-agent", "agents");
      Run request = Run.of("access", "request", "--config", config, "--token", agent, "--connection", "local-postgres",
          "--duration", "30m", "--reason", "ticket 42");
      assertEquals(0, request.exit(), request.err());
      String id = grantId(request.out());
      assertTrue(Run.of("access", "show", id, "--config", config, "--token", agent).out().contains(id + ": pending"));
      assertEquals(2, psql(gw, "pcg." + id + ".guess", "SELECT 1").exit(), "nothing before approval");

      Run self = Run.of("approvals", "approve", id, "--config", config, "--token", gw.token("cursor-agent", "agents", "dba"));
      assertTrue(self.exit() == 1 && self.err().contains("can never approve its own request"), self.err());
      Run approve = Run.of("approvals", "approve", id, "--config", config, "--token", gw.token("alice", "dba"),
          "--reason", "ok for ticket 42");
      assertEquals(0, approve.exit(), approve.err());
      assertTrue(approve.out().contains(id + ": approved; the requester collects the one-connection credential"), approve.out());

      // The gateway records the verdict in its ledger (within a second) before the credential can be issued.
      Run collect = Run.of("access", "show", id, "--config", config, "--token", agent);
      for (int i = 0; i < 200 && collect.out().contains("run this again in a moment"); i++) {
        collect = Run.of("access", "show", id, "--config", config, "--token", agent);
      }
      assertEquals(0, collect.exit(), collect.err());
      String credential = collect.lastLine();
      assertTrue(credential.startsWith("pcg." + id + "."), collect.out());
      Run again = Run.of("access", "show", id, "--config", config, "--token", agent);
      assertFalse(again.out().contains(credential), "the credential is shown once");
      assertTrue(again.out().contains("shown once"), again.out());

      Psql first = psql(gw, credential, "SELECT count(*) FROM orders");
      assertEquals(0, first.exit(), first.err());
      assertTrue(first.out().matches("\\d+"), first.out());
      Psql second = psql(gw, credential, "SELECT 1");
      assertEquals(2, second.exit());
      assertTrue(second.err().contains("28P01") || second.err().contains("already used"), second.err());
      assertTrue(second.err().contains("already used"), second.err());

      Run list = Run.of("access", "list", "--config", config, "--token", agent);
      assertTrue(list.out().contains(id) && list.out().matches("(?s).*approved\\s+(used|ended).*"), list.out());
    }
    String ledger = gw.ledgerShow();
    assertTrue(ledger.contains("grant"), ledger);
    assertTrue(ledger.contains("approval request=") && ledger.contains("status=reviewed")
        && ledger.contains("status=approved"), "the review and the verdict are in the ledger: " + ledger);
    Run verify = gw.verifyLedger();
    assertEquals(0, verify.exit(), verify.err());
  }

  @Test
  void requestWaitReportsADenial(@TempDir Path dir) throws Exception {
    try (PluginGateway gw = new PluginGateway(dir)) {
      String config = gw.configFile.toString();
      // Not Run.of: that holds the console while the command waits, and the reviewer must run meanwhile.
      CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> Main.commandLine()
          .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()))
          .execute("access", "request", "--wait", "--config", config, "--token", tokenOf(gw, "cursor-agent", "agents"),
              "--connection", "local-postgres", "--duration", "5m", "--reason", "look at orders"));
      String id = null;
      for (int i = 0; i < 1000 && id == null; i++) {
        Run list = Run.of("access", "list", "--config", config, "--token", tokenOf(gw, "alice", "dba"), "--format", "json");
        if (list.out().contains("apr_")) id = grantId(list.out());
      }
      assertNotEquals(null, id, "the grant request never appeared");
      Run deny = Run.of("approvals", "deny", id, "--config", config, "--token", tokenOf(gw, "alice", "dba"), "--reason",
          "use the replica");
      assertEquals(0, deny.exit(), deny.err());
      assertEquals(1, waiting.get(30, TimeUnit.SECONDS), "the waiting request ends with the denial");
      Run show = Run.of("access", "show", id, "--config", config, "--token", tokenOf(gw, "cursor-agent", "agents"));
      assertEquals(1, show.exit());
      assertEquals("portcullis: " + id + " is denied by alice: use the replica", show.err().strip());
    }
  }

  private static String tokenOf(PluginGateway gw, String subject, String... groups) {
    try {
      return gw.token(subject, groups);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aBadDurationIsRefusedClearly(@TempDir Path dir) throws Exception {
    try (PluginGateway gw = new PluginGateway(dir)) {
      Run r = Run.of("access", "request", "--config", gw.configFile.toString(), "--token", gw.token("cursor-agent", "agents"),
          "--connection", "local-postgres", "--duration", "forever", "--reason", "x");
      assertEquals(2, r.exit());
      assertEquals("--duration: 'forever' is not a duration (write e.g. 50ms, 30s, 5m, 1h)", r.err().strip());
    }
  }
}
