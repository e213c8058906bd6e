package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The audit ledger the gateway writes through. An append completes only once its entry is durable; a failure means
 * the entry is not recorded and the caller must not act on it.
 */
public interface Ledger extends AutoCloseable {

  /** What an append produced: the entry's sequence number and its RFC 6962 leaf hash. */
  record Appended(long seq, byte[] leafHash) {}

  /**
   * Appends one entry of the given kind ({@code decision}, {@code approval}, {@code execution_result}, {@code grant},
   * {@code policy_loaded}, {@code checkpoint_note}; {@code key_rotation} is written by {@link #rotateKey}).
   * {@code fields} holds every field but {@code seq}, {@code time}, {@code kind} and {@code prev}, which the ledger
   * sets, and {@code statement_sha256}, which it computes from {@code statement}. The entry takes its place in the
   * order now, behind every earlier append; the future completes once it is durable (appends queued meanwhile
   * share one fsync), or exceptionally when it is not recorded. A failure never comes back as an exception thrown
   * here: it completes the future. When the ledger is idle and appends come further apart than an fsync takes, the
   * caller's thread makes the entry durable itself and the future is complete on return: one fsync, no hand-off to
   * the committer thread and back; otherwise the entry joins the committer's next batch.
   */
  CompletableFuture<Appended> appendAsync(String kind, ObjectNode fields);

  /**
   * Appends like {@link #appendAsync} but without an fsync of its own: the entry becomes durable with the next
   * append that needs one, or shortly after. For entries nothing has to wait for, such as execution results;
   * never for a decision something will act on.
   */
  CompletableFuture<Appended> appendDeferred(String kind, ObjectNode fields);

  /** {@link #appendAsync}, waiting until the entry is durable. */
  default Appended append(String kind, ObjectNode fields) throws LedgerException {
    return awaitDurable(appendAsync(kind, fields));
  }

  /** Waits for a pending append; its failure comes back as the {@link LedgerException} that says why. */
  static Appended awaitDurable(CompletableFuture<Appended> pending) throws LedgerException {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while waiting for the entry to be durable; it may or may not be recorded");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LedgerException le) throw new LedgerException(le.getMessage(), le);
      throw new LedgerException("append failed: " + e.getCause(), e.getCause());
    }
  }

  // The operations below have defaults so that wrappers (metrics, test recorders) need only the appends and close.

  /** Number of durable entries. */
  default long size() {
    throw new UnsupportedOperationException("this ledger does not report its size");
  }

  /** The latest signed checkpoint note (the text an auditor saves), or null before the first one. */
  default String latestCheckpoint() {
    throw new UnsupportedOperationException("this ledger does not sign checkpoints");
  }

  /** Signs a checkpoint of every durable entry now and returns it. */
  default String checkpoint() throws LedgerException {
    throw new UnsupportedOperationException("this ledger does not sign checkpoints");
  }

  /**
   * Rotates the signing key: appends a {@code key_rotation} entry signed by the current and the new key, then signs
   * from then on with the new key (named like the origin). Point {@code signing_key} at the new key before reopening.
   */
  default Appended rotateKey(Path newSigningKey) throws LedgerException {
    throw new UnsupportedOperationException("this ledger does not rotate keys");
  }

  /** Opens (or creates) the ledger that the configuration names. */
  static Ledger open(LedgerConfig config) throws LedgerException {
    return DurableLedger.open(config);
  }

  /** Stops accepting entries, makes the queued ones durable and signs a final checkpoint. */
  @Override
  void close() throws LedgerException;
}
