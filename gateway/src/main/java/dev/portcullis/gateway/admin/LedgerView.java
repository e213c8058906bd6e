package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.Stores;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;

/**
 * What the console reads from the audit ledger: its status, decisions matching a search, every entry of one
 * request, and a verification run on demand. Reads go to the stored entries (a reader beside the writer), so they
 * show exactly what an auditor would.
 */
final class LedgerView {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A decision search; null fields match anything. Times compare with the entry's {@code time}. */
  record Search(String subject, String connection, String outcome, Instant since, Instant until, int limit) {}

  private final Ledger ledger;
  private final LedgerConfig config;
  private volatile ObjectNode lastVerification;

  LedgerView(Ledger ledger, LedgerConfig config) {
    this.ledger = ledger;
    this.config = config;
  }

  ObjectNode status() {
    ObjectNode s = F.objectNode();
    s.put("size", ledger.size());
    s.put("latest_checkpoint", ledger.latestCheckpoint());
    s.set("last_verification", lastVerification == null ? F.nullNode() : lastVerification);
    return s;
  }

  /** The newest decisions matching the search, newest first (a full scan of the ledger: fine for the console). */
  ArrayNode decisions(Search q) throws LedgerException {
    Deque<ObjectNode> newest = new ArrayDeque<>();
    scan(e -> e.path("kind").asText().equals("decision"), e -> {
      if (!matches(e, q)) return;
      newest.addFirst(summary(e));
      if (newest.size() > q.limit()) newest.removeLast();
    });
    ArrayNode out = F.arrayNode();
    newest.forEach(out::add);
    return out;
  }

  /** Every entry recorded for one request (decision, approval verdicts, result), oldest first. */
  ArrayNode trail(String requestId) throws LedgerException {
    ArrayNode out = F.arrayNode();
    scan(e -> requestId.equals(e.path("request_id").asText(null)), out::add);
    return out;
  }

  /** Runs the offline verifier over the stored ledger with the configured key, and remembers the result. */
  synchronized ObjectNode verify() throws LedgerException {
    NoteKeys.Verifier key;
    try {
      key = NoteKeys.readSigner(config.signingKey()).verifier();
    } catch (IOException e) {
      throw new LedgerException("cannot read the ledger key " + config.signingKey() + ": " + e.getMessage(), e);
    }
    long started = System.nanoTime();
    VerifyReport report;
    try (LedgerStore store = Stores.openForReading(config)) {
      report = new Verifier(key, null, n -> {}).verify(store, null);
    }
    ObjectNode v = F.objectNode();
    v.put("time", Instant.now().toString());
    v.put("ok", report.ok());
    v.put("summary", report.summary());
    v.put("entries", report.entries());
    v.put("millis", (System.nanoTime() - started) / 1_000_000);
    report.problems().forEach(v.putArray("problems")::add);
    lastVerification = v;
    return v;
  }

  private interface EntryConsumer {
    void accept(ObjectNode entry);
  }

  private void scan(Predicate<ObjectNode> filter, EntryConsumer consumer) throws LedgerException {
    try (LedgerStore store = Stores.openForReading(config)) {
      store.readEntries(0, store.size(), stored -> {
        try {
          JsonNode e = JSON.readTree(stored.bytes());
          if (e instanceof ObjectNode o && filter.test(o)) consumer.accept(o);
        } catch (IOException ignored) {
          // The verifier reports unreadable entries; a search shows what it can read.
        }
      });
    }
  }

  private static boolean matches(ObjectNode e, Search q) {
    JsonNode request = e.path("request");
    if (q.subject() != null && !q.subject().equals(request.path("identity").path("subject").asText())) return false;
    if (q.connection() != null && !q.connection().equals(request.path("connection").path("name").asText())) return false;
    if (q.outcome() != null && !q.outcome().equals(e.path("decision").path("outcome").asText())) return false;
    Instant time;
    try {
      time = Instant.parse(e.path("time").asText());
    } catch (RuntimeException notATime) {
      return q.since() == null && q.until() == null;
    }
    if (q.since() != null && time.isBefore(q.since())) return false;
    return q.until() == null || !time.isAfter(q.until());
  }

  private static ObjectNode summary(ObjectNode e) {
    JsonNode request = e.path("request");
    ObjectNode s = F.objectNode();
    s.put("seq", e.path("seq").asLong());
    s.put("time", e.path("time").asText());
    s.put("request_id", e.path("request_id").asText());
    s.put("subject", request.path("identity").path("subject").asText());
    s.put("connection", request.path("connection").path("name").asText());
    s.put("action", request.path("action").asText());
    s.put("statement", e.path("statement").asText(""));
    s.put("outcome", e.path("decision").path("outcome").asText());
    s.set("reasons", e.path("decision").path("reasons"));
    return s;
  }
}
