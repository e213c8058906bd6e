package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.approvals.ApprovalDesk;
import dev.portcullis.gateway.grants.Grant;
import dev.portcullis.gateway.grants.GrantException;
import dev.portcullis.gateway.grants.Grants;
import dev.portcullis.gateway.identity.InvalidTokenException;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.metrics.GatewayMetrics;
import dev.portcullis.gateway.protocol.AccessDeniedException;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.audit.AuditTrail;
import dev.portcullis.gateway.policy.DecisionDocument;
import dev.portcullis.ledger.Ledger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;

/** The services of one configured connection: sessions start here. */
public final class ConnectionServices implements GatewayServices {
  /** The identity recorded for a client whose token was refused. */
  static final String SHUTTING_DOWN = "the gateway is shutting down";
  static final Identity UNAUTHENTICATED = new Identity("", "", List.of(), "none");

  private final ConnectionSettings connection;
  private final TokenVerifier verifier;
  private final Decider decider;
  private final AuditTrail audit;
  private final ApprovalDesk approvals;
  private final Grants grants;
  private final SqlAnalysis sql;
  private final Executor executor;
  private final GatewayMetrics metrics;

  public ConnectionServices(ConnectionSettings connection, TokenVerifier verifier, Decider decider, AuditTrail audit,
                            ApprovalDesk approvals, Grants grants, SqlAnalysis sql, Executor executor,
                            GatewayMetrics metrics) {
    this.metrics = metrics;
    this.connection = connection;
    this.verifier = verifier;
    this.decider = decider;
    this.audit = audit;
    this.approvals = approvals;
    this.grants = grants;
    this.sql = sql;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Session> openSession(SessionStart start) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return open(start);
        } catch (AccessDeniedException e) {
          throw new CompletionException(e);
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new AccessDeniedException(AccessDeniedException.Kind.INTERNAL, List.of(SHUTTING_DOWN)));
    }
  }

  private Session open(SessionStart start) throws AccessDeniedException {
    String sessionId = Ids.next("sess");
    if (Grants.isCredential(start.token())) return openWithGrant(sessionId, start);
    Identity identity;
    try {
      identity = verifier.verify(start.token());
    } catch (InvalidTokenException e) {
      ObjectNode request = request(Ids.next("req"), sessionId, start, UNAUTHENTICATED, null, "connect");
      throw refusal(AccessDeniedException.Kind.AUTHENTICATION, request, "authentication failed: " + e.getMessage());
    }
    authorizeConnect(sessionId, start, identity, null);
    metrics.sessionOpened();
    return new ClientSession(this, sessionId, identity, start, null);
  }

  /** A just-in-time credential instead of a token: redeemed once, then the same connect check as anyone. */
  private Session openWithGrant(String sessionId, SessionStart start) throws AccessDeniedException {
    Grant grant;
    try {
      grant = grants.redeem(start.token(), connection.name(), sessionId);
    } catch (GrantException e) {
      ObjectNode request = request(Ids.next("req"), sessionId, start, UNAUTHENTICATED, null, "connect");
      throw refusal(AccessDeniedException.Kind.AUTHENTICATION, request, "grant refused: " + e.getMessage());
    }
    try {
      authorizeConnect(sessionId, start, grant.identity(), grant);
    } catch (AccessDeniedException e) {
      grants.end(grant, sessionId, "the connect check refused the session: " + e.getMessage());
      throw e;
    }
    metrics.sessionOpened();
    return new ClientSession(this, sessionId, grant.identity(), start, grant);
  }

  /**
   * The connect check, at login and when a session switches databases: the database must be one the connection
   * serves, and the policy must allow action {@code connect}; recorded either way.
   */
  void authorizeConnect(String sessionId, SessionStart start, Identity identity, Grant grant) throws AccessDeniedException {
    ObjectNode request = request(Ids.next("req"), sessionId, start, identity, grant, "connect");
    if (start.database() != null && !connection.upstream().allowsDatabase(start.database())) {
      throw refusal(AccessDeniedException.Kind.DATABASE, request,
          "database '" + start.database() + "' is not served by connection '" + connection.name() + "'");
    }
    Decider.Decided decided = decider.decide(request, System.nanoTime()).join();
    Decision decision = decided.decision();
    if (decided.failedClosed() && !decision.mayRun()) {
      throw new AccessDeniedException(AccessDeniedException.Kind.INTERNAL, decision.reasons());
    }
    if (!decision.mayRun()) {
      List<String> reasons = decision.outcome() == Decision.Outcome.REQUIRE_APPROVAL
          ? List.of("connecting needs approval, which only statements can wait for: " + decision.reasonText())
          : decision.reasons();
      throw new AccessDeniedException(AccessDeniedException.Kind.POLICY, reasons);
    }
  }

  /** Records a login the gateway refuses before asking the policy, and returns the refusal to throw. */
  private AccessDeniedException refusal(AccessDeniedException.Kind kind, ObjectNode request, String reason) {
    try {
      Ledger.awaitDurable(audit.decision(request.path("request_id").asText(), request,
          DecisionDocument.deny(reason).json(), ""));
    } catch (Exception ledgerFailure) {
      reason += " (and the audit ledger cannot record it: " + ledgerFailure.getMessage() + ")";
    }
    return new AccessDeniedException(kind, List.of(reason));
  }

  /**
   * The normalized request (the policy's input) of this connection; the caller adds sql/http. {@code grants} holds
   * the grant the session was opened with, if any, and the identity's other active grants (from the grants' index,
   * no store read).
   */
  ObjectNode request(String requestId, String sessionId, SessionStart start, Identity identity, Grant grant,
                     String action) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode r = f.objectNode();
    r.put("request_id", requestId);
    r.put("time", IsoInstant.format(Instant.now()));
    r.set("identity", identity.toJson());
    ObjectNode session = r.putObject("session");
    session.put("id", sessionId);
    session.put("client_address", start.clientAddress());
    if (start.applicationName() != null) session.put("application_name", start.applicationName());
    if (start.justification() != null) session.put("justification", start.justification());
    ObjectNode conn = r.putObject("connection");
    conn.put("name", connection.name());
    connection.tags().forEach(conn.putArray("tags")::add);
    r.put("protocol", connection.protocol());
    if (start.database() != null) r.put("database", start.database());
    r.put("action", action);
    var grantList = r.putArray("grants");
    if (grant != null) grantList.add(grant.toJson());
    for (Grant active : grants.active(identity)) {
      if (grant == null || !active.id().equals(grant.id())) grantList.add(active.toJson());
    }
    return r;
  }

  Decider decider() { return decider; }

  AuditTrail audit() { return audit; }

  ApprovalDesk approvals() { return approvals; }

  Grants grants() { return grants; }

  SqlAnalysis sql() { return sql; }

  Executor executor() { return executor; }

  GatewayMetrics metrics() { return metrics; }
}
