package dev.portcullis.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OPA engine against an HTTP server speaking OPA's Data API (no OPA binary is available on the build machines;
 * the server answers as OPA documents: {"result": ...}, {} when undefined).
 */
class OpaEngineTest {
  static final ObjectMapper JSON = new ObjectMapper();

  HttpServer server;
  final AtomicReference<String> lastPath = new AtomicReference<>();
  final AtomicReference<JsonNode> lastBody = new AtomicReference<>();
  volatile int status = 200;
  volatile String answer = "{}";
  final CountDownLatch release = new CountDownLatch(1);
  volatile boolean hang;
  OpaEngine engine;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/v1/data/", ex -> {
      lastPath.set(ex.getRequestURI().getPath());
      lastBody.set(JSON.readTree(ex.getRequestBody()));
      if (hang) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    engine = new OpaEngine(url(), Duration.ofSeconds(10));
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void postsTheInputToTheDecisionsDataPathAndReturnsTheResult() throws Exception {
    answer = "{\"result\":{\"outcome\":\"allow\",\"reasons\":[\"ok\"]}}";
    Optional<JsonNode> d = engine.evaluate("data.portcullis.decision", JSON.readTree("{\"action\":\"query\"}"));
    assertEquals("allow", d.orElseThrow().path("outcome").asText());
    assertEquals("/v1/data/portcullis/decision", lastPath.get());
    assertEquals("query", lastBody.get().path("input").path("action").asText());
  }

  @Test
  void anUndefinedDocumentIsEmpty() throws Exception {
    answer = "{}";
    assertEquals(Optional.empty(), engine.evaluate("data.portcullis.decision", JSON.readTree("{}")));
  }

  @Test
  void aServerErrorIsAPolicyException() {
    status = 500;
    answer = "{\"code\":\"internal_error\",\"message\":\"boom\"}";
    PolicyException e = assertThrows(PolicyException.class, () -> engine.evaluate("data.portcullis.decision", JSON.readTree("{}")));
    assertTrue(e.getMessage().startsWith("OPA at http://127.0.0.1:"), e.getMessage());
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsAPolicyException() {
    hang = true;
    OpaEngine impatient = new OpaEngine(url(), Duration.ofMillis(200));
    PolicyException e = assertThrows(PolicyException.class, () -> impatient.evaluate("data.portcullis.decision", JSON.readTree("{}")));
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
  }

  @Test
  void anUnreachableServerIsAPolicyException() throws Exception {
    OpaEngine nowhere = new OpaEngine(URI.create("http://127.0.0.1:1"), Duration.ofMillis(300));
    PolicyException e = assertThrows(PolicyException.class, () -> nowhere.evaluate("data.portcullis.decision", JSON.readTree("{}")));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}
