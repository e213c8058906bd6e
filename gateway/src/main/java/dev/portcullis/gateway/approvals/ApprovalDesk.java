package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.config.Durations;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.PendingApproval.Status;
import dev.portcullis.gateway.protocol.PendingApproval.Verdict;
import dev.portcullis.gateway.session.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of approvals: files requests in the store, watches the store for verdicts the
 * {@code approvals} commands write from other processes (polling each pending request, and at once when the store
 * announces a change), expires requests at their
 * deadline, records every review and verdict in the ledger and only then completes the waiting statement's future.
 */
public final class ApprovalDesk implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);

  private final ApprovalStore store;
  private final Reviews reviews;
  private final AuditTrail audit;
  private final ReviewRecorder recorder;
  private final Duration defaultTimeout;
  private final Path configFile;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> poller;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * Told about requests as they are filed and decided (the console's live inbox, notifications). Called on the
   * desk's threads: a listener must return quickly and never throw; a failing one changes nothing here.
   */
  public interface Listener {
    /** A request was stored and its statement waits ({@code record} as stored, tokens never included). */
    default void filed(ObjectNode record) {}

    /** A verdict was recorded in the ledger ({@code approved}, {@code denied}, {@code expired}, {@code withdrawn}). */
    default void decided(String id, String status) {}
  }

  private final class Waiting implements PendingApproval {
    final String id;
    final String requestId;
    final Identity requester;
    final String notice;
    final CompletableFuture<Verdict> verdict = new CompletableFuture<>();

    Waiting(String id, String requestId, Identity requester, String notice) {
      this.id = id;
      this.requestId = requestId;
      this.requester = requester;
      this.notice = notice;
    }

    @Override public String id() { return id; }

    @Override public String notice() { return notice; }

    @Override public CompletableFuture<Verdict> verdict() { return verdict; }

    @Override public void withdraw() { end(this, "withdrawn", "the client went away"); }
  }

  public ApprovalDesk(ApprovalStore store, Reviews reviews, AuditTrail audit, Duration defaultTimeout,
                      Duration pollInterval, Path configFile, ScheduledExecutorService scheduler) {
    this.store = store;
    this.reviews = reviews;
    this.audit = audit;
    this.recorder = new ReviewRecorder(audit);
    this.defaultTimeout = defaultTimeout;
    this.configFile = configFile;
    this.poller = scheduler.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    store.watch(() -> {
      if (!waiting.isEmpty()) scheduler.execute(this::poll);
    });
  }

  /** Files an approval request for a require_approval decision and starts waiting for its verdict. */
  public PendingApproval file(Decision decision, Identity requester, String statement) throws IOException {
    if (decision.outcome() != Decision.Outcome.REQUIRE_APPROVAL) {
      throw new IllegalArgumentException("decision " + decision.requestId() + " is " + decision.outcome().json()
          + ", not require_approval");
    }
    JsonNode approval = decision.toJson().path("approval");
    Duration timeout = approval.hasNonNull("timeout") ? Durations.parse(approval.get("timeout").asText()) : defaultTimeout;
    Instant now = Instant.now();
    String id = Ids.next("apr");
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("id", id);
    record.put("status", "pending");
    record.put("created", now.toString());
    record.put("expires", now.plus(timeout).toString());
    record.set("requester", requester.toJson());
    record.put("request_id", decision.requestId());
    record.put("connection", decision.request().path("connection").path("name").asText());
    record.put("database", decision.request().path("database").asText());
    record.put("statement", statement);
    record.set("reviewers", approval.path("reviewers"));
    record.put("approvals_required", approval.path("approvals_required").asInt(1));
    record.set("request", decision.request());
    record.set("decision", decision.toJson());
    record.putArray("reviews");
    store.create(record);
    String notice = "approval required: " + id + " (" + decision.reasonText() + "). Reviewers: "
        + String.join(", ", reviewers(approval)) + "; waiting until " + now.plus(timeout) + ". To approve, run: "
        + "./portcullis approvals approve " + id + " --config " + configFile + " --token <reviewer token>";
    Waiting w = new Waiting(id, decision.requestId(), requester, notice);
    waiting.put(id, w);
    for (Listener l : listeners) {
      try {
        l.filed(record);
      } catch (RuntimeException e) {
        LOG.warn("approval {}: a listener failed on filing: {}", id, e.toString());
      }
    }
    return w;
  }

  public void addListener(Listener listener) { listeners.add(listener); }

  /** The review rules this desk checks verdicts with (the admin API reviews through them too). */
  public Reviews reviews() { return reviews; }

  /** How many statements of this gateway wait for a verdict now. */
  public int pending() { return waiting.size(); }

  private static List<String> reviewers(JsonNode approval) {
    List<String> out = new ArrayList<>();
    approval.path("reviewers").forEach(r -> out.add(r.asText()));
    return out;
  }

  private void poll() {
    for (Waiting w : waiting.values()) {
      try {
        ObjectNode record = store.read(w.id).orElse(null);
        if (record == null) {
          finish(w, Status.DENIED, null, "approval request " + w.id + " disappeared from the store", null);
          continue;
        }
        if (ReviewRecorder.needsRecording(record)) {
          try {
            // Reviews written by the approvals commands (no ledger there) enter the ledger before they count.
            record = recorder.catchUp(store, w.id);
          } catch (ApprovalException e) {
            finish(w, Status.DENIED, null, e.getMessage(), null);
            continue;
          }
        }
        String status = record.path("status").asText();
        if (status.equals("approved") || status.equals("denied")) {
          settle(w, record);
        } else if (Approvals.effectiveStatus(record, Instant.now()).equals("expired")) {
          end(w, "expired", "no verdict before " + record.path("expires").asText());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("approval {}: cannot read the store: {}", w.id, e.toString());
      }
    }
  }

  /** A reviewer decided: check the reviews again, record the verdict, then release or refuse. */
  private void settle(Waiting w, ObjectNode record) {
    JsonNode last = record.withArray("reviews").isEmpty() ? null
        : record.withArray("reviews").get(record.withArray("reviews").size() - 1);
    Identity reviewer = last == null ? null : Reviews.identity(last.path("reviewer"));
    String reason = last == null ? null : last.path("reason").asText(null);
    String problem = reviews.recheck(record);
    if (problem != null) {
      finish(w, Status.DENIED, reviewer, "the store's verdict does not stand: " + problem, record);
    } else if (record.path("status").asText().equals("approved")) {
      finish(w, Status.APPROVED, reviewer, reason, record);
    } else {
      finish(w, Status.DENIED, reviewer, reason == null ? "denied by " + reviewer.subject() : reason, record);
    }
  }

  /** Moves a still-pending request to expired or withdrawn; if a verdict won the race, settles that instead. */
  private void end(Waiting w, String status, String reason) {
    if (w.verdict.isDone()) return;
    try {
      ObjectNode record = store.update(w.id, r -> {
        if (r.path("status").asText().equals("pending")) r.put("status", status);
        recorder.apply(r);
      });
      if (record.path("status").asText().equals(status)) {
        finish(w, status.equals("expired") ? Status.EXPIRED : Status.WITHDRAWN, null, reason, record);
      } else {
        settle(w, record);
      }
    } catch (IOException | ApprovalException | RuntimeException e) {
      finish(w, status.equals("expired") ? Status.EXPIRED : Status.WITHDRAWN, null, reason + " (store: " + e.getMessage() + ")",
          null);
    }
  }

  /** Records the verdict with every review of {@code record} (null when unreadable), then completes the wait. */
  private void finish(Waiting w, Status status, Identity reviewer, String reason, ObjectNode record) {
    if (waiting.remove(w.id) == null) return;
    Verdict verdict = new Verdict(status, reviewer, reason);
    ArrayNode recorded = JsonNodeFactory.instance.arrayNode();
    if (record != null) {
      for (JsonNode r : record.withArray("reviews")) {
        ObjectNode copy = r.deepCopy();
        copy.remove("token");
        copy.remove("recorded");
        recorded.add(copy);
      }
    }
    try {
      audit.approval(w.id, w.requestId, status.name().toLowerCase(), w.requester, reviewer, reason, recorded);
    } catch (Exception e) {
      verdict = new Verdict(Status.DENIED, reviewer,
          "the audit ledger cannot record the verdict, so nothing runs: " + e.getMessage());
    }
    w.verdict.complete(verdict);
    String recordedStatus = verdict.status().name().toLowerCase();
    for (Listener l : listeners) {
      try {
        l.decided(w.id, recordedStatus);
      } catch (RuntimeException e) {
        LOG.warn("approval {}: a listener failed on the verdict: {}", w.id, e.toString());
      }
    }
  }

  /** Stops watching; statements still waiting are refused (the gateway is shutting down). */
  @Override
  public void close() {
    poller.cancel(false);
    for (Waiting w : waiting.values()) end(w, "withdrawn", "the gateway is shutting down");
  }
}
