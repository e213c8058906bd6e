package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class HttpSendTest {
  private static final Builtin SEND = BuiltinTable.standard().lookup("http.send").fn();

  /** One evaluation's context: a shared cache, no budget. */
  private static final class Ctx implements BuiltinContext {
    final Map<Object, Object> cache = new HashMap<>();

    @Override public long nowNanos() { return 0; }
    @Override public RandomGenerator random() { return RandomGenerator.getDefault(); }
    @Override public Map<Object, Object> cache() { return cache; }
    @Override public void charge(long units) {}
  }

  private static Value request(String json) throws Exception {
    return Values.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
  }

  @Test
  void sendsTheRequestDecodesJsonAndCachesWithinAnEvaluation() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/roles", ex -> {
      hits.incrementAndGet();
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] out = ("{\"echo\": " + new String(in, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/roles";
      Value req = request("{\"method\": \"post\", \"url\": \"" + url + "\", \"body\": {\"user\": \"alice\"}}");
      Ctx ctx = new Ctx();
      ObjectValue resp = (ObjectValue) SEND.call(ctx, new Value[] {req});
      assertEquals(NumberValue.of(200), resp.get("status_code"));
      assertEquals(StringValue.of("alice"), ((ObjectValue) ((ObjectValue) resp.get("body")).get("echo")).get("user"));
      assertEquals(resp, SEND.call(ctx, new Value[] {req}));
      assertEquals(1, hits.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void invalidOrMissingKeysAreTypeErrors() throws Exception {
    BuiltinException bad = assertThrows(BuiltinException.class, () -> SEND.call(new Ctx(),
        new Value[] {request("{\"bad_key\": 1, \"method\": \"get\", \"url\": \"http://127.0.0.1:1\"}")}));
    assertEquals(BuiltinException.Kind.TYPE, bad.kind());
    assertTrue(bad.getMessage().endsWith("invalid request parameters(s): {\"bad_key\"}"), bad.getMessage());
    BuiltinException missing = assertThrows(BuiltinException.class,
        () -> SEND.call(new Ctx(), new Value[] {request("{\"method\": \"get\"}")}));
    assertTrue(missing.getMessage().endsWith("missing required request parameters(s): {\"url\"}"));
  }

  @Test
  void networkErrorsAreValuesWhenRaiseErrorIsFalse() throws Exception {
    ObjectValue resp = (ObjectValue) SEND.call(new Ctx(), new Value[] {request(
        "{\"method\": \"get\", \"url\": \"http://127.0.0.1:1/\", \"raise_error\": false}")});
    assertEquals(NumberValue.of(0), resp.get("status_code"));
    assertEquals(StringValue.of("eval_http_send_network_error"), ((ObjectValue) resp.get("error")).get("code"));
  }
}
