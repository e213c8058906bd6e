package dev.portcullis.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.testing.TestLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleReloaderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNode INPUT = JSON.createObjectNode();

  @TempDir Path bundle;
  @TempDir Path ledgerDir;
  TestLedger ledger;
  ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  EmbeddedEngine engine;
  BundleReloader reloader;

  void write(String outcome, String revision) throws Exception {
    Files.writeString(bundle.resolve("policy.rego"), "package portcullis\n\ndecision := {\"outcome\": \"" + outcome + "\"}\n");
    Files.writeString(bundle.resolve(".manifest"), "{\"revision\": \"" + revision + "\"}");
  }

  String outcome() throws Exception {
    return engine.evaluate("data.portcullis.decision", INPUT).orElseThrow().path("outcome").asText();
  }

  @BeforeEach
  void start() throws Exception {
    write("allow", "r1");
    ledger = TestLedger.open(ledgerDir);
    engine = EmbeddedEngine.load(bundle, Duration.ofMillis(500));
    // Polls are driven by the test; the scheduler's own polls come an hour later.
    reloader = new BundleReloader(engine, new AuditTrail(ledger.ledger()), scheduler, Duration.ofHours(1));
  }

  @AfterEach
  void stop() throws Exception {
    reloader.close();
    scheduler.shutdownNow();
    ledger.close();
  }

  @Test
  void aChangedBundleAnswersOnceItSettledAndTheLoadIsRecorded() throws Exception {
    write("deny", "r2");
    reloader.poll();
    assertEquals("allow", outcome(), "a change seen once may still be half written");
    reloader.poll();
    assertEquals("deny", outcome());
    assertEquals("r2", engine.revision());
    JsonNode entry = ledger.entries("policy_loaded").get(0);
    assertEquals("r2", entry.path("revision").asText());
    assertTrue(entry.path("accepted").asBoolean());
    reloader.poll();
    assertEquals(1, ledger.entries("policy_loaded").size(), "an unchanged bundle is not loaded again");
  }

  @Test
  void aBundleThatDoesNotCompileNeverReplacesTheWorkingOne() throws Exception {
    Files.writeString(bundle.resolve("policy.rego"), "package portcullis\n\ndecision := {\n");
    assertFalse(reloader.reload());
    assertEquals("allow", outcome());
    JsonNode entry = ledger.entries("policy_loaded").get(0);
    assertFalse(entry.path("accepted").asBoolean());
    assertEquals("r1", entry.path("revision").asText());
    assertTrue(entry.path("error").asText().contains("rego_parse_error"), entry.toString());
  }

  @Test
  void aBundleWhoseTestsFailNeverReplacesTheWorkingOne() throws Exception {
    write("deny", "r3");
    Files.writeString(bundle.resolve("policy_test.rego"),
        "package portcullis\n\ntest_allows if decision.outcome == \"allow\"\n");
    assertFalse(reloader.reload());
    assertEquals("allow", outcome());
    String error = ledger.entries("policy_loaded").get(0).path("error").asText();
    assertEquals("policy tests fail: data.portcullis.test_allows", error);
  }

  @Test
  void aBundleWhoseLoadCannotBeRecordedDoesNotAnswer() throws Exception {
    write("deny", "r4");
    ledger.close();
    assertFalse(reloader.reload());
    assertEquals("allow", outcome());
  }
}
