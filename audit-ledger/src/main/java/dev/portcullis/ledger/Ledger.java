package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The audit ledger the gateway writes through. An append returns only once its entry is durable; a failure means
 * the entry is not recorded and the caller must not act on it.
 */
public interface Ledger extends AutoCloseable {

  /** What an append produced: the entry's sequence number and its RFC 6962 leaf hash. */
  record Appended(long seq, byte[] leafHash) {}

  /**
   * Appends one entry of the given kind ({@code decision}, {@code approval}, {@code execution_result},
   * {@code policy_loaded}, {@code key_rotation}, {@code checkpoint_note}). {@code fields} holds every field
   * but {@code seq}, {@code time}, {@code kind} and {@code prev}, which the ledger sets.
   */
  Appended append(String kind, ObjectNode fields) throws LedgerException;

  /** Opens (or creates) the ledger that the configuration names. */
  static Ledger open(LedgerConfig config) throws LedgerException {
    throw new UnsupportedOperationException("not built yet");
  }

  @Override
  void close() throws LedgerException;
}
