package dev.portcullis.rego.builtins;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.SetValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code http.send}: one HTTP request per distinct request object and evaluation (OPA caches within an evaluation,
 * so repeated calls agree). Supports method, url, headers, body/raw_body, timeout, raise_error,
 * force_json_decode and enable_redirect; TLS client options and the inter-query cache are accepted but ignored.
 */
final class HttpSend {
  private static final Set<String> ALLOWED = Set.of("method", "url", "body", "enable_redirect", "force_json_decode",
      "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file",
      "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
      "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify",
      "tls_server_name", "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error",
      "caching_mode", "max_retry_attempts", "cache_ignored_headers");
  private static final List<String> REQUIRED = List.of("method", "url");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpSend() {}

  static void register(BuiltinTable t) {
    t.register("http.send", 1, (ctx, a) -> {
      ObjectValue req = validate(a[0]);
      Object cached = ctx.cache().get(List.of("http.send", req));
      if (cached instanceof Value v) return v;
      ctx.charge(1);
      Value response = send(req);
      ctx.cache().put(List.of("http.send", req), response);
      return response;
    });
  }

  private static ObjectValue validate(Value v) throws BuiltinException {
    if (!(v instanceof ObjectValue req)) throw Args.mismatch(0, "object", v);
    Set<Value> invalid = new TreeSet<>();
    for (Value k : req.keys()) {
      if (!(k instanceof StringValue s) || !ALLOWED.contains(s.value())) invalid.add(k);
    }
    if (!invalid.isEmpty()) {
      throw BuiltinException.type("operand 1 invalid request parameters(s): " + Values.toRego(SetValue.of(invalid)));
    }
    Set<Value> missing = new TreeSet<>();
    for (String k : REQUIRED) if (req.get(k) == null) missing.add(StringValue.of(k));
    if (!missing.isEmpty()) {
      throw BuiltinException.type("operand 1 missing required request parameters(s): "
          + Values.toRego(SetValue.of(missing)));
    }
    return req;
  }

  private static String string(ObjectValue req, String key) throws BuiltinException {
    Value v = req.get(key);
    if (v instanceof StringValue s) return s.value();
    throw BuiltinException.type("operand 1 " + key + " must be string but got " + (v == null ? "null" : v.typeName()));
  }

  private static boolean flag(ObjectValue req, String key, boolean otherwise) {
    Value v = req.get(key);
    return v instanceof BooleanValue b ? b.value() : otherwise;
  }

  private static Value send(ObjectValue req) throws BuiltinException {
    boolean raise = flag(req, "raise_error", true);
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(string(req, "url")))
          .timeout(timeout(req));
      String body = req.get("raw_body") instanceof StringValue raw ? raw.value()
          : req.get("body") != null ? Values.toJson(req.get("body")) : null;
      if (req.get("headers") instanceof ObjectValue headers) {
        for (Value k : headers.keys()) {
          Value hv = headers.get(k);
          b.header(k instanceof StringValue s ? s.value() : Values.toJson(k),
              hv instanceof StringValue s ? s.value() : Values.toJson(hv));
        }
      }
      if (req.get("body") != null && !(req.get("raw_body") instanceof StringValue)
          && !(req.get("headers") instanceof ObjectValue h && h.get("Content-Type") != null)) {
        b.header("Content-Type", "application/json");
      }
      b.method(string(req, "method").toUpperCase(),
          body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      HttpClient client = HttpClient.newBuilder()
          .followRedirects(flag(req, "enable_redirect", false) ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
          .connectTimeout(timeout(req)).build();
      HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return response(resp, flag(req, "force_json_decode", false));
    } catch (BuiltinException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failure(raise, "request interrupted");
    } catch (Exception e) {
      return failure(raise, String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  private static Duration timeout(ObjectValue req) {
    Value t = req.get("timeout");
    if (t instanceof NumberValue n && n.fitsLong() && n.longValueExact() > 0) {
      return Duration.ofNanos(Math.min(n.longValueExact(), DEFAULT_TIMEOUT.toNanos()));
    }
    return DEFAULT_TIMEOUT;
  }

  private static Value failure(boolean raise, String message) throws BuiltinException {
    if (raise) throw BuiltinException.error(message);
    Map<Value, Value> err = new LinkedHashMap<>();
    err.put(StringValue.of("code"), StringValue.of("eval_http_send_network_error"));
    err.put(StringValue.of("message"), StringValue.of(message));
    Map<Value, Value> out = new LinkedHashMap<>();
    out.put(StringValue.of("status_code"), NumberValue.of(0));
    out.put(StringValue.of("error"), ObjectValue.wrap(err));
    return ObjectValue.wrap(out);
  }

  private static Value response(HttpResponse<byte[]> resp, boolean forceJson) {
    String raw = new String(resp.body(), StandardCharsets.UTF_8);
    Map<Value, Value> headers = new LinkedHashMap<>();
    resp.headers().map().forEach((k, vs) -> {
      if (k.startsWith(":")) return;
      List<Value> values = new ArrayList<>();
      for (String v : vs) values.add(StringValue.of(v));
      headers.put(StringValue.of(k.toLowerCase()), new dev.portcullis.rego.value.ArrayValue(values));
    });
    Value body = NullValue.INSTANCE;
    String type = resp.headers().firstValue("content-type").orElse("");
    if (forceJson || type.startsWith("application/json")) {
      try {
        body = Values.fromJson(JSON.readTree(raw));
      } catch (Exception e) {
        body = NullValue.INSTANCE;
      }
    }
    Map<Value, Value> out = new LinkedHashMap<>();
    out.put(StringValue.of("status"), StringValue.of(resp.statusCode() + " " + reason(resp.statusCode())));
    out.put(StringValue.of("status_code"), NumberValue.of(resp.statusCode()));
    out.put(StringValue.of("body"), body);
    out.put(StringValue.of("raw_body"), StringValue.of(raw));
    out.put(StringValue.of("headers"), ObjectValue.wrap(headers));
    return ObjectValue.wrap(out);
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }
}
