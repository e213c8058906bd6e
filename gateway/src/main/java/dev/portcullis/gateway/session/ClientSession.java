package dev.portcullis.gateway.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.protocol.Decision;
import dev.portcullis.gateway.protocol.Identity;
import dev.portcullis.gateway.protocol.PendingApproval;
import dev.portcullis.gateway.protocol.Session;
import dev.portcullis.gateway.protocol.SessionStart;
import dev.portcullis.gateway.policy.DecisionDocument;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One authenticated client session of a connection. */
final class ClientSession implements Session {
  private final ConnectionServices services;
  private final String id;
  private final Identity identity;
  private final SessionStart start;
  private final Set<PendingApproval> pending = ConcurrentHashMap.newKeySet();

  ClientSession(ConnectionServices services, String id, Identity identity, SessionStart start) {
    this.services = services;
    this.id = id;
    this.identity = identity;
    this.start = start;
  }

  @Override public String id() { return id; }

  @Override public Identity identity() { return identity; }

  @Override public String database() { return start.database(); }

  @Override
  public CompletableFuture<Decision> decideSql(String sqlText) {
    return CompletableFuture.supplyAsync(() -> {
      ObjectNode request = services.request(Ids.next("req"), id, start, identity, "query");
      ObjectNode sql = request.putObject("sql");
      sql.put("text", sqlText);
      try {
        ArrayNode statements = services.sql().statements(sqlText);
        sql.set("statements", statements);
      } catch (Exception | StackOverflowError e) {
        // The analyzer marks what it cannot read as "unknown"; only its own failure lands here.
        sql.putArray("statements");
        return failed(request, "SQL analysis failed: " + e);
      }
      return services.decider().decide(request).decision();
    }, services.executor());
  }

  @Override
  public CompletableFuture<Decision> decideHttp(String method, String path, Map<String, String> headers) {
    return CompletableFuture.supplyAsync(() -> {
      ObjectNode request = services.request(Ids.next("req"), id, start, identity, "request");
      ObjectNode http = request.putObject("http");
      http.put("method", method);
      http.put("path", path);
      ObjectNode h = http.putObject("headers");
      new TreeMap<>(headers).forEach(h::put);
      return services.decider().decide(request).decision();
    }, services.executor());
  }

  /** Records a deny the gateway imposes before the policy could be asked. */
  private Decision failed(ObjectNode request, String reason) {
    DecisionDocument deny = DecisionDocument.deny(reason);
    Decision decision = new Decision(request.path("request_id").asText(), Decision.Outcome.DENY, deny.reasons(), "",
        request, deny.json(), columns -> dev.portcullis.gateway.protocol.ResultMasker.PASS_THROUGH);
    try {
      services.audit().decision(decision.requestId(), request, deny.json(), "");
    } catch (Exception ignored) {
      // Already a deny: nothing runs whether or not the entry is written.
    }
    return decision;
  }

  @Override
  public CompletableFuture<PendingApproval> requestApproval(Decision decision) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        String statement = decision.request().has("sql") ? decision.request().path("sql").path("text").asText()
            : decision.request().path("http").path("method").asText() + " " + decision.request().path("http").path("path").asText();
        PendingApproval p = services.approvals().file(decision, identity, statement);
        pending.add(p);
        p.verdict().whenComplete((v, e) -> pending.remove(p));
        return p;
      } catch (java.io.IOException e) {
        throw new java.util.concurrent.CompletionException(
            new java.io.IOException("cannot store the approval request: " + e.getMessage(), e));
      }
    }, services.executor());
  }

  @Override
  public CompletableFuture<Void> recordResult(Decision decision, long rows, String error) {
    return CompletableFuture.runAsync(() -> {
      try {
        services.audit().result(decision.requestId(), rows, error);
      } catch (dev.portcullis.ledger.LedgerException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, services.executor());
  }

  @Override
  public void close() {
    pending.forEach(PendingApproval::withdraw);
  }
}
