package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.portcullis.gateway.approvals.ApprovalDesk;
import dev.portcullis.gateway.approvals.ApprovalException;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.Approvals;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.InvalidTokenException;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.metrics.GatewayMetrics;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: the JSON API under {@code /api/}, the web console at {@code /}, health and readiness at
 * {@code /healthz} and {@code /readyz}, and Prometheus metrics at {@code /metrics}. The API accepts the same tokens
 * as the data path, as {@code Authorization: Bearer} or through the console's session cookie; only members of
 * {@code admin.groups} get in, and the review policy still decides who may approve what. Routes are listed in
 * docs/console.md.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String COOKIE = "portcullis_session";
  private static final int MAX_BODY = 64 * 1024;
  private static final Pattern APPROVAL = Pattern.compile("/api/approvals/(apr_[0-9A-Z]{26})(/approve|/deny)?");
  private static final Pattern TRAIL = Pattern.compile("/api/decisions/(req_[0-9A-Za-z]+)");
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/console/app.js", "app.js", "/console/app.css", "app.css");

  /** What the admin listener serves. */
  public record Parts(GatewayConfig.Admin settings, TokenVerifier verifier, ApprovalStore store, Reviews reviews,
                      ApprovalDesk desk, Ledger ledger, GatewayConfig config, GatewayMetrics metrics) {}

  private final Parts parts;
  private final HttpServer server;
  private final ExecutorService threads;
  private final Events events = new Events();
  private final SignIns signIns = new SignIns();
  private final LedgerView ledgerView;
  private final OidcSignIn oidc;
  private final URI publicUrl;
  private final boolean secure;
  private final ScheduledFuture<?> keepAlive;
  private volatile boolean ready;

  private AdminServer(Parts parts, HttpServer server, ExecutorService threads, ScheduledExecutorService scheduler) {
    this.parts = parts;
    this.server = server;
    this.threads = threads;
    this.secure = server instanceof HttpsServer;
    this.ledgerView = new LedgerView(parts.ledger(), parts.config().ledger());
    InetSocketAddress bound = server.getAddress();
    this.publicUrl = parts.settings().publicUrl() != null ? withSlash(parts.settings().publicUrl())
        : URI.create((secure ? "https://" : "http://") + hostForUrl(bound) + ":" + bound.getPort() + "/");
    this.oidc = parts.settings().oidc() == null ? null
        : new OidcSignIn(parts.settings().oidc(), publicUrl.resolve("auth/callback"), parts.verifier());
    parts.desk().addListener(events);
    this.keepAlive = scheduler.scheduleWithFixedDelay(events::keepAlive, 15, 15, TimeUnit.SECONDS);
    server.createContext("/", this::handle);
  }

  /** Binds the admin listener (TLS when {@code sslContext} is given) and starts serving. */
  public static AdminServer start(Parts parts, SSLContext sslContext, ScheduledExecutorService scheduler) throws IOException {
    GatewayConfig.Admin a = parts.settings();
    InetSocketAddress address = new InetSocketAddress(a.host(), a.port());
    HttpServer server;
    if (sslContext != null) {
      HttpsServer https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "portcullis-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    AdminServer admin = new AdminServer(parts, server, threads, scheduler);
    server.start();
    return admin;
  }

  public InetSocketAddress address() { return server.getAddress(); }

  /** The console's address as reviewers reach it (links in notifications). */
  public URI publicUrl() { return publicUrl; }

  /** Readiness: true once every data-path listener is up, false again when stopping. */
  public void ready(boolean ready) { this.ready = ready; }

  private void handle(HttpExchange x) {
    try {
      securityHeaders(x);
      route(x);
    } catch (AdminException e) {
      send(x, e.status, F.objectNode().put("error", e.getMessage()));
    } catch (IOException e) {
      LOG.debug("admin: {} {}: {}", x.getRequestMethod(), x.getRequestURI(), e.toString());
      x.close();
    } catch (RuntimeException e) {
      LOG.warn("admin: {} {} failed", x.getRequestMethod(), x.getRequestURI(), e);
      send(x, 500, F.objectNode().put("error", "internal error: " + e));
    }
  }

  private void route(HttpExchange x) throws IOException, AdminException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    Map<String, String> query = query(x.getRequestURI());
    if (STATIC.containsKey(path) && method.equals("GET")) {
      resource(x, STATIC.get(path));
      return;
    }
    switch (method + " " + path) {
      case "GET /healthz" -> { send(x, 200, F.objectNode().put("status", "ok")); return; }
      case "GET /readyz" -> { send(x, ready ? 200 : 503, F.objectNode().put("ready", ready)); return; }
      case "GET /metrics" -> { text(x, 200, "text/plain; version=0.0.4; charset=utf-8", parts.metrics().scrape()); return; }
      case "GET /api/sign-in" -> { send(x, 200, F.objectNode().put("oidc", oidc != null)); return; }
      case "POST /api/session" -> { signIn(x); return; }
      case "DELETE /api/session" -> {
        signIns.end(cookie(x));
        x.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        send(x, 200, F.objectNode().put("signed_out", true));
        return;
      }
      case "GET /auth/login" -> { oidcStart(x); return; }
      case "GET /auth/callback" -> { oidcFinish(x, query); return; }
      default -> { }
    }
    Caller caller = authenticate(x);
    switch (method + " " + path) {
      case "GET /api/me" -> { send(x, 200, caller.identity().toJson()); return; }
      case "GET /api/events" -> {
        if (!events.subscribe(x)) throw new AdminException(503, "too many live consoles; reload later");
        return;
      }
      case "GET /api/approvals" -> { send(x, 200, approvals(query.get("status"))); return; }
      case "GET /api/decisions" -> { send(x, 200, decisions(query)); return; }
      case "GET /api/ledger" -> { send(x, 200, ledgerView.status()); return; }
      case "POST /api/ledger/verify" -> {
        requireJson(x);
        try {
          send(x, 200, ledgerView.verify());
        } catch (LedgerException e) {
          throw new AdminException(500, "the verifier could not run: " + e.getMessage());
        }
        return;
      }
      default -> { }
    }
    Matcher approval = APPROVAL.matcher(path);
    if (approval.matches()) {
      String id = approval.group(1);
      String verb = approval.group(2);
      if (verb == null && method.equals("GET")) {
        ObjectNode record = parts.store().read(id).orElseThrow(() -> new AdminException(404, "no approval request " + id));
        ObjectNode shown = Approvals.redacted(record);
        shown.put("status", Approvals.effectiveStatus(record, Instant.now()));
        send(x, 200, shown);
        return;
      }
      if (verb != null && method.equals("POST")) {
        review(x, caller, id, verb.equals("/approve"));
        return;
      }
    }
    Matcher trail = TRAIL.matcher(path);
    if (trail.matches() && method.equals("GET")) {
      try {
        send(x, 200, ledgerView.trail(trail.group(1)));
      } catch (LedgerException e) {
        throw new AdminException(500, "cannot read the ledger: " + e.getMessage());
      }
      return;
    }
    throw new AdminException(404, "no such route: " + method + " " + path);
  }

  /** Who is calling, with the token they presented (reviews store it so the gateway can check them again). */
  private record Caller(Identity identity, String token) {}

  private Caller authenticate(HttpExchange x) throws AdminException {
    String header = x.getRequestHeaders().getFirst("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : signIns.token(cookie(x));
    if (token == null) throw new AdminException(401, "sign in: send Authorization: Bearer <token> or use the console");
    Identity identity;
    try {
      identity = parts.verifier().verify(token);
    } catch (InvalidTokenException e) {
      throw new AdminException(401, "your token is refused: " + e.getMessage());
    }
    if (identity.groups().stream().noneMatch(parts.settings().groups()::contains)) {
      throw new AdminException(403, identity.subject() + " is in none of the admin groups " + parts.settings().groups());
    }
    return new Caller(identity, token);
  }

  private void signIn(HttpExchange x) throws IOException, AdminException {
    JsonNode body = body(x);
    String token = body.path("token").asText("").trim();
    Identity identity;
    try {
      identity = parts.verifier().verify(token);
    } catch (InvalidTokenException e) {
      throw new AdminException(401, "this token is refused: " + e.getMessage());
    }
    if (identity.groups().stream().noneMatch(parts.settings().groups()::contains)) {
      throw new AdminException(403, identity.subject() + " is in none of the admin groups " + parts.settings().groups());
    }
    setSession(x, token);
    send(x, 200, identity.toJson());
  }

  private void setSession(HttpExchange x, String token) {
    String id = signIns.start(token);
    x.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + id + "; Path=/; Max-Age=" + SignIns.MAX_AGE.toSeconds()
        + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
  }

  private void oidcStart(HttpExchange x) throws IOException, AdminException {
    if (oidc == null) throw new AdminException(404, "no OIDC sign-in is configured (admin.oidc); paste a token instead");
    x.getResponseHeaders().set("Location", oidc.start().toString());
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private void oidcFinish(HttpExchange x, Map<String, String> query) throws IOException, AdminException {
    if (oidc == null) throw new AdminException(404, "no OIDC sign-in is configured (admin.oidc)");
    if (query.containsKey("error")) {
      throw new AdminException(401, "the issuer refused the sign-in: " + query.get("error") + " "
          + query.getOrDefault("error_description", ""));
    }
    String token = oidc.finish(query.get("code"), query.get("state"));
    Identity identity;
    try {
      identity = parts.verifier().verify(token);
    } catch (InvalidTokenException e) {
      throw new AdminException(401, "the ID token is refused: " + e.getMessage());
    }
    if (identity.groups().stream().noneMatch(parts.settings().groups()::contains)) {
      throw new AdminException(403, identity.subject() + " is in none of the admin groups " + parts.settings().groups());
    }
    setSession(x, token);
    x.getResponseHeaders().set("Location", publicUrl.toString());
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private ArrayNode approvals(String status) throws IOException {
    Instant now = Instant.now();
    ArrayNode list = F.arrayNode();
    for (ObjectNode record : parts.store().list()) {
      ObjectNode s = Approvals.summary(record, now);
      if (status == null || status.equals(s.path("status").asText())) list.add(s);
    }
    return list;
  }

  private void review(HttpExchange x, Caller caller, String id, boolean approve) throws IOException, AdminException {
    JsonNode body = body(x);
    String justification = body.path("justification").asText(null);
    ObjectNode record;
    try {
      record = parts.reviews().review(id, caller.token(), approve, justification);
    } catch (ApprovalException e) {
      int status = e.getMessage().startsWith("no approval request") ? 404
          : e.getMessage().contains(" may not review ") || e.getMessage().contains(" can never ") ? 403
          : e.getMessage().startsWith("a justification is required") ? 400 : 409;
      throw new AdminException(status, e.getMessage());
    }
    events.publish(id, "reviewed");
    ObjectNode shown = Approvals.summary(record, Instant.now());
    send(x, 200, shown);
  }

  private ArrayNode decisions(Map<String, String> q) throws AdminException {
    int limit;
    try {
      limit = Integer.parseInt(q.getOrDefault("limit", "100"));
      if (limit < 1 || limit > 1000) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new AdminException(400, "limit: must be 1-1000");
    }
    String outcome = blankToNull(q.get("outcome"));
    if (outcome != null && !outcome.matches("allow|mask|require_approval|deny")) {
      throw new AdminException(400, "outcome: must be allow, mask, require_approval or deny (was '" + outcome + "')");
    }
    LedgerView.Search search = new LedgerView.Search(blankToNull(q.get("subject")), blankToNull(q.get("connection")),
        outcome, time(q, "since"), time(q, "until"), limit);
    try {
      return ledgerView.decisions(search);
    } catch (LedgerException e) {
      throw new AdminException(500, "cannot read the ledger: " + e.getMessage());
    }
  }

  private static Instant time(Map<String, String> q, String key) throws AdminException {
    String s = blankToNull(q.get(key));
    if (s == null) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new AdminException(400, key + ": must be an ISO-8601 UTC time like 2026-11-22T02:00:00Z (was '" + s + "')");
    }
  }

  private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s.trim(); }

  /** State-changing requests must be JSON: a cross-site form cannot send that without the browser asking first. */
  private static void requireJson(HttpExchange x) throws AdminException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new AdminException(415, "send a JSON body (Content-Type: application/json)");
    }
  }

  private static JsonNode body(HttpExchange x) throws IOException, AdminException {
    requireJson(x);
    byte[] bytes = x.getRequestBody().readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) throw new AdminException(413, "request body over " + MAX_BODY + " bytes");
    try {
      JsonNode body = bytes.length == 0 ? F.objectNode() : JSON.readTree(bytes);
      if (body == null || !body.isObject()) throw new AdminException(400, "the body must be a JSON object");
      return body;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AdminException(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String cookie(HttpExchange x) {
    for (String header : x.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=")) return p.substring(COOKIE.length() + 1);
      }
    }
    return null;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static void securityHeaders(HttpExchange x) {
    var h = x.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  }

  private void resource(HttpExchange x, String name) throws IOException {
    try (InputStream in = AdminServer.class.getResourceAsStream("console/" + name)) {
      if (in == null) {
        send(x, 404, F.objectNode().put("error", "console file missing: " + name));
        return;
      }
      String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js")
          ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      x.getResponseHeaders().set("Cache-Control", "no-cache");
      text(x, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange x, int status, JsonNode body) {
    try {
      text(x, status, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    } catch (IOException e) {
      x.close();
    }
  }

  private static void text(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    if (!x.getResponseHeaders().containsKey("Cache-Control")) x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) x.getResponseBody().write(bytes);
    x.close();
  }

  private static URI withSlash(URI u) {
    return u.toString().endsWith("/") ? u : URI.create(u + "/");
  }

  private static String hostForUrl(InetSocketAddress a) {
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  @Override
  public void close() {
    ready = false;
    keepAlive.cancel(false);
    events.close();
    server.stop(0);
    threads.shutdownNow();
  }
}
