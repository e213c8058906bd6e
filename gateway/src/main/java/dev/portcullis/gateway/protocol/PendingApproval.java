package dev.portcullis.gateway.protocol;

import java.util.concurrent.CompletableFuture;

/** A stored approval request a statement waits on. */
public interface PendingApproval {

  /** Verdicts, each recorded in the ledger before {@link #verdict()} completes with it. */
  enum Status { APPROVED, DENIED, EXPIRED, WITHDRAWN }

  /**
   * @param reviewer who approved or denied; null for expired and withdrawn
   * @param reason   the reviewer's reason, or why it expired; may be null
   */
  record Verdict(Status status, Identity reviewer, String reason) {
    public boolean approved() { return status == Status.APPROVED; }
  }

  /** {@code apr_...}. */
  String id();

  /**
   * What to tell the client while it waits: the approval id, who may review, the deadline, and the command that
   * approves it (PostgreSQL: a NoticeResponse).
   */
  String notice();

  /**
   * Completes once with the verdict. An approval releases exactly the statement it was filed for, once: after
   * {@code APPROVED} the module runs that statement and nothing else on its strength.
   */
  CompletableFuture<Verdict> verdict();

  /** The client gave up (disconnected or cancelled): the request is withdrawn unless a verdict came first. */
  void withdraw();
}
