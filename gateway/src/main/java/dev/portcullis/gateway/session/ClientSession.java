package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.grants.Grant;
import dev.portcullis.gateway.policy.DecisionDocument;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.ResultMasker;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import java.io.IOException;
import dev.portcullis.gateway.protocol.AccessDeniedException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** One authenticated client session of a connection. */
final class ClientSession implements Session {
  private final ConnectionServices services;
  private final String id;
  private final Identity identity;
  /** Replaced when the client switches databases. */
  private volatile SessionStart start;
  private final Set<PendingApproval> pending = ConcurrentHashMap.newKeySet();
  /** The just-in-time grant the session was opened with; null for a token. */
  private final Grant grant;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  ClientSession(ConnectionServices services, String id, Identity identity, SessionStart start, Grant grant) {
    this.services = services;
    this.id = id;
    this.identity = identity;
    this.start = start;
    this.grant = grant;
  }

  @Override public String id() { return id; }

  @Override public Identity identity() { return identity; }

  @Override public String database() { return start.database(); }

  @Override
  public CompletableFuture<Void> changeDatabase(String database) {
    SessionStart next = new SessionStart(start.token(), start.clientAddress(), database, start.applicationName(),
        start.justification());
    try {
      return CompletableFuture.runAsync(() -> {
        try {
          services.authorizeConnect(id, next, identity, grant);
          start = next;
        } catch (AccessDeniedException e) {
          throw new CompletionException(e);
        }
      }, services.executor());
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new AccessDeniedException(AccessDeniedException.Kind.INTERNAL, List.of(ConnectionServices.SHUTTING_DOWN)));
    }
  }

  /**
   * In the common case (the embedded engine, a statement shape analyzed before) everything up to the ledger runs
   * right here on the module's thread: no hand-off to wait for, and the future completes when the decision is
   * durable. Anything that may take long (parsing a new statement shape, a remote OPA) runs on the executor.
   */
  @Override
  public CompletableFuture<Decision> decideSql(String sqlText) {
    long arrived = System.nanoTime();
    SessionStart start = this.start;
    ObjectNode request = services.request(Ids.next("req"), id, start, identity, grant, "query");
    ObjectNode sql = request.putObject("sql");
    sql.put("text", sqlText);
    String expired = grantExpiry();
    if (expired != null) {
      sql.putArray("statements");
      return imposedDeny(request, expired);
    }
    ArrayNode cheap = services.decider().evaluatesInProcess()
        ? services.sql().statementsIfCheap(start.database(), sqlText) : null;
    if (cheap != null) {
      sql.set("statements", cheap);
      return decide(request, arrived);
    }
    return onExecutor(request, () -> {
      try {
        sql.set("statements", services.sql().statements(start.database(), sqlText));
      } catch (Exception | StackOverflowError e) {
        // The analyzer marks what it cannot read as "unknown"; only its own failure lands here.
        sql.putArray("statements");
        return imposedDeny(request, "SQL analysis failed: " + e);
      }
      return decide(request, arrived);
    });
  }

  @Override
  public CompletableFuture<Decision> decideHttp(String method, String path, Map<String, String> headers) {
    long arrived = System.nanoTime();
    SessionStart start = this.start;
    ObjectNode request = services.request(Ids.next("req"), id, start, identity, grant, "request");
    ObjectNode http = request.putObject("http");
    http.put("method", method);
    http.put("path", path);
    ObjectNode h = http.putObject("headers");
    new TreeMap<>(headers).forEach(h::put);
    String expired = grantExpiry();
    if (expired != null) return imposedDeny(request, expired);
    return services.decider().evaluatesInProcess() ? decide(request, arrived)
        : onExecutor(request, () -> decide(request, arrived));
  }

  /** Asks the policy on this thread; the future completes once the decision is durable. */
  private CompletableFuture<Decision> decide(ObjectNode request, long arrived) {
    return services.decider().decide(request, arrived).thenApply(Decider.Decided::decision);
  }

  /** Why the session's just-in-time grant no longer lets anything run; null while it does, and for a token. */
  private String grantExpiry() {
    return grant != null && services.grants().expired(grant)
        ? "grant " + grant.id() + " expired at " + grant.expiresAt() : null;
  }

  private CompletableFuture<Decision> onExecutor(ObjectNode request, Supplier<CompletableFuture<Decision>> work) {
    try {
      return CompletableFuture.supplyAsync(work, services.executor()).thenCompose(decision -> decision);
    } catch (RejectedExecutionException e) {
      return imposedDeny(request, ConnectionServices.SHUTTING_DOWN);
    }
  }

  /** A deny the gateway imposes before the policy could be asked; recorded when the ledger still writes. */
  private CompletableFuture<Decision> imposedDeny(ObjectNode request, String reason) {
    DecisionDocument deny = DecisionDocument.deny(reason);
    Decision decision = new Decision(request.path("request_id").asText(), Decision.Outcome.DENY, deny.reasons(), "",
        request, deny.json(), columns -> ResultMasker.PASS_THROUGH);
    // Already a deny: nothing runs whether or not the entry is written.
    return services.audit().decision(decision.requestId(), request, deny.json(), "")
        .handle((appended, failure) -> decision);
  }

  @Override
  public CompletableFuture<PendingApproval> requestApproval(Decision decision) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          PendingApproval p = services.approvals().file(decision, identity, statement(decision));
          pending.add(p);
          p.verdict().whenComplete((v, e) -> pending.remove(p));
          return p;
        } catch (IOException e) {
          throw new CompletionException(new IOException("cannot store the approval request: " + e.getMessage(), e));
        }
      }, services.executor());
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(ConnectionServices.SHUTTING_DOWN));
    }
  }

  /** The statement as reviewers read it: the SQL text, or the HTTP method and path. */
  private static String statement(Decision decision) {
    var request = decision.request();
    return request.has("sql") ? request.path("sql").path("text").asText()
        : request.path("http").path("method").asText() + " " + request.path("http").path("path").asText();
  }

  @Override
  public CompletableFuture<Void> recordResult(Decision decision, long rows, String error) {
    // Queued right here, on the module's thread, so it precedes the session's next decision in the ledger.
    return services.audit().result(decision.requestId(), rows, error);
  }

  @Override
  public void close() {
    boolean first = closed.compareAndSet(false, true);
    if (first) services.metrics().sessionClosed();
    pending.forEach(PendingApproval::withdraw);
    if (first && grant != null) {
      Runnable end = () -> services.grants().end(grant, id, "the connection closed");
      try {
        services.executor().execute(end);
      } catch (RejectedExecutionException e) {
        end.run();
      }
    }
  }
}
