package dev.portcullis.gateway.protocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One authenticated client session. Thread-safe. A method may do short work on the caller's thread (deciding a
 * statement whose shape is known, with the embedded engine); the futures complete on any thread, possibly before
 * they are returned, and a module hands the result back to its own thread.
 */
public interface Session {

  /** {@code sess_...}, also the {@code session.id} of every request of this session. */
  String id();

  Identity identity();

  /** The database the session is connected to; null for protocols without one. */
  String database();

  /**
   * The client switches databases (MySQL {@code COM_INIT_DB}/{@code USE}): the same check as at login — the
   * connection must serve the database and the policy must allow action {@code connect} to it — recorded first.
   * Completes once later requests carry the new database, or exceptionally with an {@link AccessDeniedException}
   * (the session stays on its database). The default refuses, for sessions that cannot switch.
   */
  default CompletableFuture<Void> changeDatabase(String database) {
    return CompletableFuture.failedFuture(new AccessDeniedException(AccessDeniedException.Kind.INTERNAL,
        List.of("this session cannot switch databases")));
  }

  /**
   * Analyzes the SQL text (every statement in it), asks the policy, and records the decision in the ledger.
   * Completes only after the decision entry is durable, and always normally: any failure of analysis, policy or
   * ledger completes with a {@link Decision.Outcome#DENY} decision whose reasons say what failed.
   */
  CompletableFuture<Decision> decideSql(String sqlText);

  /** Same as {@link #decideSql} for one HTTP request (action {@code request}). */
  CompletableFuture<Decision> decideHttp(String method, String path, Map<String, String> headers);

  /**
   * Files an approval request for a {@link Decision.Outcome#REQUIRE_APPROVAL} decision. Completes once the request is
   * stored; the module then sends the client {@link PendingApproval#notice()} and waits for
   * {@link PendingApproval#verdict()} before forwarding (approved) or refusing (denied, expired) the statement.
   * Completes exceptionally when the decision does not require approval or the store cannot write.
   */
  CompletableFuture<PendingApproval> requestApproval(Decision decision);

  /**
   * Records what executing a decided request produced: the rows returned or affected, and the upstream error text
   * (null on success). Cheap and non-blocking: call it before the session's next statement, which keeps the two in
   * order in the ledger. Completes when the entry is durable (with the next decision, or shortly after).
   */
  CompletableFuture<Void> recordResult(Decision decision, long rows, String error);

  /** The client went away; withdraws its pending approvals. */
  void close();
}
