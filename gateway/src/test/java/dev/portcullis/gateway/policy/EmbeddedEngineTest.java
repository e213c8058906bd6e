package dev.portcullis.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEngineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCENARIO = Path.of("src/test/resources/bundles/scenario");

  static JsonNode query(String text, String type, String... groups) throws Exception {
    return JSON.readTree("{\"action\":\"query\",\"identity\":{\"groups\":" + JSON.writeValueAsString(groups) + "},"
        + "\"sql\":{\"text\":" + JSON.writeValueAsString(text) + ",\"statements\":[{\"type\":\"" + type + "\",\"side_effects\":false}]}}");
  }

  @Test
  void decidesWithTheBundleAndReportsItsRevision() throws Exception {
    EmbeddedEngine engine = EmbeddedEngine.load(SCENARIO, Duration.ofMillis(500));
    assertEquals("scenario-1", engine.revision());
    Optional<JsonNode> d = engine.evaluate("data.portcullis.decision", query("SELECT email FROM customers", "select", "agents"));
    assertEquals("mask", d.orElseThrow().path("outcome").asText());
    assertEquals(Optional.empty(), engine.evaluate("data.portcullis.nothing", query("x", "select")));
  }

  @Test
  void anEvaluationErrorIsAPolicyException() throws Exception {
    EmbeddedEngine engine = EmbeddedEngine.load(SCENARIO, Duration.ofMillis(500));
    PolicyException e = assertThrows(PolicyException.class,
        () -> engine.evaluate("data.portcullis.decision", query("SELECT 'conflict'", "select", "agents")));
    assertTrue(e.getMessage().contains("conflict"), e.getMessage());
  }

  @Test
  void anEvaluationPastTheTimeoutIsAPolicyException() throws Exception {
    EmbeddedEngine engine = EmbeddedEngine.load(SCENARIO, Duration.ofMillis(50));
    PolicyException e = assertThrows(PolicyException.class,
        () -> engine.evaluate("data.portcullis.decision", query("SELECT 'slow'", "select", "agents")));
    assertTrue(e.getMessage().startsWith("policy evaluation failed"), e.getMessage());
  }

  @Test
  void aBundleThatDoesNotCompileIsRefusedWithItsLocation(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("broken.rego"), "package portcullis\n\ndecision := {\n");
    PolicyException e = assertThrows(PolicyException.class, () -> EmbeddedEngine.load(dir, Duration.ofMillis(50)));
    assertTrue(e.getMessage().contains("broken.rego:"), e.getMessage());
    assertTrue(e.getMessage().contains("rego_parse_error"), e.getMessage());
  }
}
