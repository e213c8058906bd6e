package dev.portcullis.gateway.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalDesk;
import dev.portcullis.gateway.approvals.Approvals;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.metrics.GatewayMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces approval requests to the configured receivers: a generic webhook (JSON, signed with HMAC-SHA256 in
 * {@value #SIGNATURE_HEADER}: {@code sha256=<hex of HMAC(secret, body)>}) and Slack-compatible incoming webhooks
 * (a message linking to the approval in the console). Delivery is asynchronous, on threads of its own, through a
 * bounded backlog: a slow, failing or dead receiver never holds up or changes a decision. Each delivery is retried
 * with exponential backoff up to the receiver's {@code max_attempts}; one given up on is logged and counted in
 * {@code portcullis_notification_failures_total}.
 */
public final class Notifier implements ApprovalDesk.Listener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  public static final String SIGNATURE_HEADER = "X-Portcullis-Signature";
  static final int MAX_BACKLOG = 1000;
  static final Duration FIRST_RETRY = Duration.ofMillis(200);
  static final Duration MAX_RETRY = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private record Receiver(GatewayConfig.Webhook config, byte[] secret) {}

  private final List<Receiver> receivers = new ArrayList<>();
  private final URI console;
  private final GatewayMetrics metrics;
  private final ScheduledExecutorService retries;
  private final AtomicInteger backlog = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param console the console's address (admin.public_url), or null when there is none
   * @param env reads the receivers' secrets ({@code secret_env}); a missing one is a configuration error
   * @throws IllegalArgumentException naming the configuration path of a missing secret
   */
  public Notifier(List<GatewayConfig.Webhook> webhooks, URI console, GatewayMetrics metrics, UnaryOperator<String> env) {
    for (int i = 0; i < webhooks.size(); i++) {
      GatewayConfig.Webhook w = webhooks.get(i);
      byte[] secret = null;
      if (w.secretEnv() != null) {
        String value = env.apply(w.secretEnv());
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("notifications[" + i + "].secret_env: " + w.secretEnv() + " is not set");
        }
        secret = value.getBytes(StandardCharsets.UTF_8);
      } else if (w.secretFile() != null) {
        try {
          secret = Files.readString(w.secretFile()).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalArgumentException("notifications[" + i + "].secret_file: cannot read " + w.secretFile(), e);
        }
        if (secret.length == 0) throw new IllegalArgumentException("notifications[" + i + "].secret_file: " + w.secretFile() + " is empty");
      }
      receivers.add(new Receiver(w, secret));
    }
    this.console = console;
    this.metrics = metrics;
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "portcullis-notify-retry");
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    this.retries = pool;
  }

  /** Where the console shows one approval; null when no console is configured. */
  public URI link(String approvalId) { return console == null ? null : URI.create(console + "#/approvals/" + approvalId); }

  @Override
  public void filed(ObjectNode record) {
    String id = record.path("id").asText();
    ObjectNode summary = Approvals.summary(record, Instant.now());
    for (Receiver r : receivers) {
      byte[] body = r.config().format().equals("slack") ? slack(summary, id) : webhook("approval.requested", summary, id);
      enqueue(r, body, id);
    }
  }

  @Override
  public void decided(String id, String status) {
    ObjectNode summary = JsonNodeFactory.instance.objectNode().put("id", id).put("status", status);
    for (Receiver r : receivers) {
      if (r.config().format().equals("webhook")) enqueue(r, webhook("approval.decided", summary, id), id);
    }
  }

  private byte[] webhook(String type, ObjectNode approval, String id) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", type);
    body.put("time", Instant.now().toString());
    body.put("url", console == null ? null : link(id).toString());
    body.set("approval", approval);
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] slack(ObjectNode s, String id) {
    String statement = s.path("statement").asText();
    if (statement.length() > 500) statement = statement.substring(0, 500) + "…";
    String text = "*" + escape(s.path("requester").asText()) + "* waits for approval on *"
        + escape(s.path("connection").asText()) + "*: `" + escape(statement).replace("`", "'") + "`\n"
        + "Why: " + escape(String.join("; ", texts(s.path("reasons")))) + "\n"
        + (console == null ? "Review " + id : "<" + link(id) + "|Review " + id + ">") + " (needs " + s.path("approvals_required").asInt(1)
        + " approval(s) from " + escape(String.join(", ", texts(s.path("reviewers")))) + ")";
    return JsonNodeFactory.instance.objectNode().put("text", text).toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Slack's three control characters in message text. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private void enqueue(Receiver r, byte[] body, String id) {
    if (backlog.incrementAndGet() > MAX_BACKLOG) {
      backlog.decrementAndGet();
      giveUp(r, id, "the notification backlog is full (" + MAX_BACKLOG + ")");
      return;
    }
    attempt(r, body, id, 1);
  }

  /** One delivery attempt, asynchronous: no thread waits on a receiver, so a hanging one holds up nobody. */
  private void attempt(Receiver r, byte[] body, String id, int attempt) {
    HttpRequest.Builder request = HttpRequest.newBuilder(r.config().url()).timeout(TIMEOUT)
        .header("Content-Type", "application/json").header("User-Agent", "portcullis")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (r.secret() != null) request.header(SIGNATURE_HEADER, signature(r.secret(), body));
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
      if (failure == null && response.statusCode() / 100 == 2) {
        backlog.decrementAndGet();
        return;
      }
      String problem = failure != null ? failure.toString() : "HTTP " + response.statusCode();
      if (attempt >= r.config().maxAttempts()) {
        backlog.decrementAndGet();
        giveUp(r, id, problem + " after " + attempt + " attempt(s)");
        return;
      }
      long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << (attempt - 1));
      LOG.debug("notification of {} to {} failed ({}); retrying in {} ms", id, r.config().url(), problem, delay);
      try {
        retries.schedule(() -> attempt(r, body, id, attempt + 1), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        backlog.decrementAndGet();
      }
    });
  }

  private void giveUp(Receiver r, String id, String why) {
    LOG.warn("notification of {} to {} ({}) failed: {}; the approval itself is unaffected", id, r.config().url(),
        r.config().format(), why);
    metrics.notificationFailed(r.config().format());
  }

  /** {@code sha256=<hex>} of HMAC-SHA256 over the exact body bytes. */
  public static String signature(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() { retries.shutdownNow(); }
}
