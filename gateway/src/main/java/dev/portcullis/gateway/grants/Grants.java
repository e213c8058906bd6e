package dev.portcullis.gateway.grants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalException;
import dev.portcullis.gateway.approvals.ApprovalStore;
import dev.portcullis.gateway.approvals.Approvals;
import dev.portcullis.gateway.approvals.ReviewRecorder;
import dev.portcullis.gateway.approvals.Reviews;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.config.Durations;
import dev.portcullis.gateway.policy.PolicyEngine;
import dev.portcullis.gateway.policy.PolicyException;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.session.Ids;
import dev.portcullis.ledger.LedgerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Just-in-time access: a one-connection credential instead of a standing one. A grant request is an approval
 * request of kind {@code grant} in the {@link ApprovalStore}, so reviewers list, approve and deny it with the
 * approval tools and the review policy ({@code data.portcullis.review}); the policy's
 * {@code data.portcullis.grants.approval} names its reviewers. Once approved, the requester collects the
 * credential exactly once ({@link #collect}): {@code pcg.<id>.<secret>} with 256 random bits, of which the store
 * keeps only the SHA-256. A native client presents it as its password; {@link #redeem} accepts it once, on its
 * connection, before it expires, and the session it opens ends the grant when it closes ({@link #end}).
 */
public final class Grants {
  /** Credentials start with this, so the gateway tells them from identity tokens. */
  public static final String PREFIX = "pcg.";
  public static final String POLICY_REF = "data.portcullis.grants";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(Grants.class);

  private final ApprovalStore store;
  private final Reviews reviews;
  private final PolicyEngine engine;
  private final Map<String, List<String>> connectionTags;
  private final AuditTrail audit;
  private final ReviewRecorder recorder;
  private final Clock clock;
  /** Active grants by owner ({@link #owner}), as of the last {@link #refresh}. */
  private volatile Map<String, List<Grant>> active = Map.of();

  /**
   * @param connectionTags every configured connection's name and tags (a grant names one of them)
   * @param audit          where uses are recorded; null for the command line, which never redeems
   */
  public Grants(ApprovalStore store, Reviews reviews, PolicyEngine engine, Map<String, List<String>> connectionTags,
                AuditTrail audit, Clock clock) {
    this.store = store;
    this.reviews = reviews;
    this.engine = engine;
    this.connectionTags = Map.copyOf(connectionTags);
    this.audit = audit;
    this.recorder = audit == null ? null : new ReviewRecorder(audit);
    this.clock = clock;
  }

  public static boolean isCredential(String password) {
    return password != null && password.startsWith(PREFIX);
  }

  /** Files a grant request for the token's holder, once the grants policy names its reviewers. */
  public ObjectNode request(String token, String connection, Duration duration, String reason)
      throws GrantException, IOException {
    Identity requester = authenticate(token);
    List<String> tags = connectionTags.get(connection);
    if (tags == null) {
      throw new GrantException("no connection named '" + connection + "' (configured: "
          + String.join(", ", connectionTags.keySet()) + ")");
    }
    if (duration.isZero() || duration.isNegative()) throw new GrantException("--duration must be positive");
    ObjectNode request = F.objectNode();
    request.put("request_id", Ids.next("req"));
    request.put("time", clock.instant().toString());
    request.set("identity", requester.toJson());
    // Where reviewers read a requester's justification (approval listings, the console).
    request.putObject("session").put("justification", reason == null ? "" : reason);
    ObjectNode conn = request.putObject("connection");
    conn.put("name", connection);
    tags.forEach(conn.putArray("tags")::add);
    request.put("action", "grant");
    ObjectNode grant = request.putObject("grant");
    grant.put("duration", Durations.format(duration));
    grant.put("duration_seconds", duration.toSeconds());
    grant.put("reason", reason == null ? "" : reason);

    JsonNode verdict;
    try {
      verdict = engine.evaluate(POLICY_REF, request).orElse(F.objectNode());
    } catch (PolicyException e) {
      throw new GrantException("the grants policy failed, so no grant can be requested now: " + e.getMessage());
    }
    JsonNode approval = verdict.path("approval");
    if (!approval.isObject() || !approval.path("reviewers").isArray() || approval.path("reviewers").isEmpty()) {
      List<String> why = new ArrayList<>();
      verdict.path("reasons").forEach(r -> why.add(r.asText()));
      throw new GrantException("grant refused by the policy: " + (why.isEmpty()
          ? POLICY_REF + ".approval names no reviewers for this request" : String.join("; ", why)));
    }
    Duration reviewTimeout;
    try {
      reviewTimeout = Durations.parse(approval.path("timeout").asText("15m"));
    } catch (IllegalArgumentException e) {
      throw new GrantException(POLICY_REF + ".approval.timeout: " + e.getMessage());
    }
    ObjectNode decision = F.objectNode();
    decision.put("outcome", "require_approval");
    decision.putArray("reasons").add("just-in-time access to " + connection);
    decision.set("approval", approval);

    Instant now = clock.instant();
    ObjectNode record = F.objectNode();
    record.put("id", Ids.next("apr"));
    record.put("kind", "grant");
    record.put("status", "pending");
    record.put("created", now.toString());
    record.put("expires", now.plus(reviewTimeout).toString());
    record.set("requester", requester.toJson());
    record.put("request_id", request.path("request_id").asText());
    record.put("connection", connection);
    record.put("database", "");
    record.put("statement", "grant access to " + connection + " for " + Durations.format(duration) + ": " + reason);
    record.set("reviewers", approval.path("reviewers"));
    record.put("approvals_required", approval.path("approvals_required").asInt(1));
    record.set("request", request);
    record.set("decision", decision);
    record.putArray("reviews");
    store.create(record);
    return record;
  }

  /**
   * A reviewer approves or denies a grant request (the same rules as any approval). In the gateway the review, and
   * the verdict it completes, are in the ledger when this returns.
   */
  public ObjectNode review(String id, String token, boolean approve, String reason)
      throws GrantException, IOException {
    grantRecord(id);
    try {
      ObjectNode reviewed = reviews.review(id, token, approve, reason);
      return recorder != null && ReviewRecorder.needsRecording(reviewed) ? recorder.catchUp(store, id) : reviewed;
    } catch (ApprovalException e) {
      throw new GrantException(e.getMessage());
    }
  }

  /**
   * The gateway's periodic pass over the grant requests: records reviews and verdicts given by the
   * {@code approvals} commands (other processes, no ledger), so denied and never-used grants are in the ledger too
   * and an approved credential can be issued; and indexes the active grants for {@link #active}.
   */
  public void refresh() throws IOException {
    Map<String, List<Grant>> index = new HashMap<>();
    Instant now = clock.instant();
    for (ObjectNode r : store.list()) {
      if (!r.path("kind").asText().equals("grant")) continue;
      if (recorder != null && ReviewRecorder.needsRecording(r)) {
        try {
          r = recorder.catchUp(store, r.path("id").asText());
        } catch (ApprovalException e) {
          LOG.warn("grant {}: cannot record its reviews: {}", r.path("id").asText(), e.getMessage());
          continue;
        }
      }
      JsonNode c = r.path("credential");
      String state = c.path("state").asText();
      if (!r.path("status").asText().equals("approved") || !(state.equals("issued") || state.equals("used"))
          || !now.isBefore(Instant.parse(c.path("expires").asText()))) {
        continue;
      }
      Identity requester = Reviews.identity(r.path("requester"));
      index.computeIfAbsent(owner(requester), k -> new ArrayList<>()).add(new Grant(r.path("id").asText(),
          withGrant(requester), r.path("connection").asText(), Instant.parse(c.path("expires").asText()),
          r.path("request").path("grant").path("reason").asText()));
    }
    active = Map.copyOf(index);
  }

  /**
   * The identity's active grants (approved, collected, not expired, not ended) as of the last {@link #refresh}: the
   * policy's {@code input.grants}. From memory, so asking per statement costs no store read.
   */
  public List<Grant> active(Identity identity) {
    Map<String, List<Grant>> index = active;
    if (index.isEmpty()) return List.of(); // the common case, and asked per statement: no grant active at all
    Instant now = clock.instant();
    return index.getOrDefault(owner(identity), List.of()).stream().filter(g -> now.isBefore(g.expiresAt())).toList();
  }

  private static String owner(Identity identity) {
    return identity.issuer() + "\n" + identity.subject();
  }

  /** Every grant request, oldest first, in the listing form plus the credential's state. */
  public List<ObjectNode> list() throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode r : store.list()) if (r.path("kind").asText().equals("grant")) out.add(summary(r));
    return out;
  }

  /**
   * The requester's view of its grant request. Once approved, the first call issues the credential and returns it
   * in {@code credential} (never again: the store keeps its hash only); the credential's clock starts then.
   */
  public ObjectNode collect(String token, String id) throws GrantException, IOException {
    Identity requester = authenticate(token);
    ObjectNode current = grantRecord(id);
    if (!requester.samePrincipal(Reviews.identity(current.path("requester")))) {
      throw new GrantException(id + " was requested by " + current.path("requester").path("subject").asText()
          + "; only the requester collects its credential");
    }
    if (!Approvals.effectiveStatus(current, clock.instant()).equals("approved") || current.has("credential")
        || (recorder == null && !ReviewRecorder.verdictRecorded(current))) {
      // Without the ledger (the command line), the gateway records the verdict first; until then nothing is issued.
      return summary(current);
    }
    String problem = reviews.recheck(current);
    if (problem != null) throw new GrantException("the approval of " + id + " does not stand: " + problem);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String credential = PREFIX + id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant();
    Duration duration = Durations.parse(current.path("request").path("grant").path("duration").asText());
    ObjectNode issued;
    try {
      issued = store.update(id, r -> {
        if (r.has("credential")) throw new ApprovalException("the credential of " + id + " was already issued; it is shown once");
        if (recorder != null) recorder.apply(r); // the verdict is in the ledger before it takes effect
        if (!ReviewRecorder.verdictRecorded(r)) throw new ApprovalException("the verdict on " + id + " is not recorded");
        ObjectNode c = r.putObject("credential");
        c.put("state", "issued");
        c.put("sha256", sha256(credential));
        c.put("issued", now.toString());
        c.put("expires", now.plus(duration).toString());
      });
    } catch (ApprovalException e) {
      throw new GrantException(e.getMessage());
    }
    ObjectNode shown = summary(issued);
    shown.put("credential", credential);
    return shown;
  }

  /**
   * Accepts a credential once, for a session opening on {@code connection}, and records the use; every refusal is
   * recorded too. The grant is then in use until {@link #end}.
   */
  public Grant redeem(String credential, String connection, String sessionId) throws GrantException {
    String[] parts = credential.split("\\.", -1);
    String id = parts.length == 3 ? parts[1] : "";
    Identity[] owner = new Identity[1];
    try {
      if (parts.length != 3 || parts[2].isEmpty()) throw new ApprovalException("malformed grant credential");
      ObjectNode record = store.update(id, r -> {
        if (!r.path("kind").asText().equals("grant")) throw new ApprovalException(id + " is not a grant");
        owner[0] = Reviews.identity(r.path("requester"));
        JsonNode c = r.path("credential");
        if (!c.isObject() || !MessageDigest.isEqual(c.path("sha256").asText().getBytes(StandardCharsets.US_ASCII),
            sha256(credential).getBytes(StandardCharsets.US_ASCII))) {
          throw new ApprovalException("wrong or unissued credential for " + id);
        }
        if (!r.path("connection").asText().equals(connection)) {
          throw new ApprovalException(id + " grants connection " + r.path("connection").asText() + ", not " + connection);
        }
        if (!c.path("state").asText().equals("issued")) {
          throw new ApprovalException("the credential of " + id + " was already used (it is single use)");
        }
        if (!clock.instant().isBefore(Instant.parse(c.path("expires").asText()))) {
          throw new ApprovalException("the credential of " + id + " expired at " + c.path("expires").asText());
        }
        ObjectNode used = (ObjectNode) c;
        used.put("state", "used");
        used.put("used", clock.instant().toString());
        used.put("session_id", sessionId);
      });
      Grant grant = new Grant(id, withGrant(owner[0]), connection,
          Instant.parse(record.path("credential").path("expires").asText()),
          record.path("request").path("grant").path("reason").asText());
      ObjectNode details = F.objectNode();
      details.put("expires_at", grant.expiresAt().toString());
      details.set("reviews", reviewsWithoutTokens(record));
      if (audit != null) {
        try {
          audit.grant("used", id, connection, owner[0], sessionId, grant.reason(), details);
        } catch (LedgerException | RuntimeException e) {
          // Spent and unrecorded: refused, like every statement the ledger cannot record.
          throw new GrantException("the audit ledger cannot record the use of " + id + ", so it is refused: " + e.getMessage());
        }
      }
      return grant;
    } catch (ApprovalException | IOException e) {
      String reason = e.getMessage();
      record("refused", id, connection, owner[0], sessionId, reason, null);
      throw new GrantException(reason);
    }
  }

  /** True once the grant's time is up: its session runs nothing more. */
  public boolean expired(Grant grant) {
    return !clock.instant().isBefore(grant.expiresAt());
  }

  /** The grant's session closed (or was refused at connect): the grant is over; recorded. */
  public void end(Grant grant, String sessionId, String why) {
    String reason = why;
    boolean[] alreadyEnded = new boolean[1];
    try {
      store.update(grant.id(), r -> {
        ObjectNode c = (ObjectNode) r.path("credential");
        alreadyEnded[0] = c.path("state").asText().equals("ended");
        if (alreadyEnded[0]) return;
        c.put("state", "ended");
        c.put("ended", clock.instant().toString());
        c.put("end_reason", why);
      });
    } catch (ApprovalException | IOException e) {
      reason += " (the store could not mark it: " + e.getMessage() + "; the credential was single use anyway)";
    }
    if (!alreadyEnded[0]) record("ended", grant.id(), grant.connection(), grant.identity(), sessionId, reason, null);
  }

  /** Records a refusal or an end; nothing is let through on its strength, so a failure is only logged. */
  private void record(String event, String id, String connection, Identity requester, String sessionId,
                      String reason, ObjectNode details) {
    if (audit == null) return;
    try {
      audit.grant(event, id, connection, requester, sessionId, reason, details);
    } catch (LedgerException | RuntimeException e) {
      LOG.warn("grant {}: cannot record '{}': {}", id, event, e.toString());
    }
  }

  private Identity authenticate(String token) throws GrantException {
    try {
      return reviews.authenticate(token);
    } catch (ApprovalException e) {
      throw new GrantException(e.getMessage());
    }
  }

  private ObjectNode grantRecord(String id) throws GrantException, IOException {
    Optional<ObjectNode> record = store.read(id);
    if (record.isEmpty() || !record.get().path("kind").asText().equals("grant")) {
      throw new GrantException("no grant request " + id);
    }
    return record.get();
  }

  private ObjectNode summary(ObjectNode record) {
    ObjectNode s = Approvals.summary(record, clock.instant());
    JsonNode grant = record.path("request").path("grant");
    s.put("duration", grant.path("duration").asText());
    s.put("reason", grant.path("reason").asText());
    JsonNode c = record.path("credential");
    s.put("credential_state", c.isObject() ? c.path("state").asText() : "none");
    if (c.isObject()) s.put("credential_expires", c.path("expires").asText());
    s.set("reviews", reviewsWithoutTokens(record));
    s.put("verdict_recorded", ReviewRecorder.verdictRecorded(record));
    return s;
  }

  private static JsonNode reviewsWithoutTokens(ObjectNode record) {
    ArrayNode reviews = Approvals.redacted(record).withArray("reviews");
    reviews.forEach(r -> ((ObjectNode) r).remove("recorded")); // the store's bookkeeping
    return reviews;
  }

  private static Identity withGrant(Identity requester) {
    return new Identity(requester.subject(), requester.issuer(), requester.groups(), "grant");
  }

  private static String sha256(String credential) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
