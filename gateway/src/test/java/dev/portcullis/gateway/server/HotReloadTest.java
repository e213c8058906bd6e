package dev.portcullis.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.TestGateways;
import dev.portcullis.gateway.testing.TestLedger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy bundle is swapped under a running gateway: a good bundle takes over, a broken one never does. */
class HotReloadTest {
  @TempDir Path dir;

  @Test
  void decisionsFollowTheGoodBundleAndABrokenOneIsRefusedLoggedAndRecorded() throws Exception {
    GatewayConfig config = TestGateways.config(dir, "");
    Path bundle = dir.resolve("bundle");
    writeBundle(bundle, "allow", "r1");
    TestLedger.createKey(config.ledger());

    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    CapturingModule module = new CapturingModule();
    try (Gateway gateway = Gateway.builder(config).module(module).start()) {
      Session session = module.services.get("test-pg")
          .openSession(new SessionStart(TestGateways.token(config, "cursor-agent", "agents"), "127.0.0.1", "shop",
              "psql", null))
          .get(10, TimeUnit.SECONDS);
      assertEquals(Decision.Outcome.ALLOW, decide(session).outcome());

      writeBundle(bundle, "deny", "r2-good");
      awaitTrue(() -> decide(session).outcome() == Decision.Outcome.DENY, "the good bundle never took over");
      assertEquals("r2-good", decide(session).policyRevision());

      Files.writeString(bundle.resolve("policy.rego"), "package portcullis\n\ndecision := {\n");
      Files.writeString(bundle.resolve(".manifest"), "{\"revision\": \"r3-broken\"}");
      awaitTrue(() -> log.toString(StandardCharsets.UTF_8).contains("policy bundle not reloaded"),
          "the broken bundle was never refused");
      Decision after = decide(session);
      assertEquals(Decision.Outcome.DENY, after.outcome(), "the good bundle keeps answering");
      assertEquals("r2-good", after.policyRevision());
      session.close();
    } finally {
      System.setErr(stderr);
    }

    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("policy bundle reloaded, revision 'r2-good'"), logged);
    assertTrue(logged.contains("policy bundle not reloaded, the previous one keeps answering: ")
        && logged.contains("rego_parse_error"), logged);

    List<ObjectNode> loads = TestLedger.entries(config.ledger(), "policy_loaded");
    ObjectNode good = loads.stream().filter(e -> e.path("revision").asText().equals("r2-good")
          && e.path("accepted").asBoolean()).findFirst().orElseThrow(() -> new AssertionError(loads.toString()));
    assertTrue(good.path("error").isNull(), good.toString());
    ObjectNode broken = loads.get(loads.size() - 1);
    assertFalse(broken.path("accepted").asBoolean(), broken.toString());
    assertTrue(broken.path("error").asText().contains("rego_parse_error"), broken.toString());
  }

  private static Decision decide(Session session) {
    try {
      return session.decideSql("SELECT 1").get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Distinct lengths per outcome, so that a change is seen even within one file-time tick. */
  private static void writeBundle(Path bundle, String outcome, String revision) throws Exception {
    Files.writeString(bundle.resolve("policy.rego"),
        "package portcullis\n\ndecision := {\"outcome\": \"" + outcome + "\", \"reasons\": [\"" + revision + "\"]}\n");
    Files.writeString(bundle.resolve(".manifest"), "{\"revision\": \"" + revision + "\"}");
  }

  /** Bounded wait on observable state: the reloader polls every second and swaps after two equal looks. */
  private static void awaitTrue(BooleanSupplier condition, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(failure);
      Thread.sleep(50);
    }
  }
}
