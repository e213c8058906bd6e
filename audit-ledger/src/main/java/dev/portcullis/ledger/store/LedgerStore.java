package dev.portcullis.ledger.store;

import dev.portcullis.ledger.LedgerException;
import java.util.List;

/**
 * Where entries and checkpoints are kept. Entries are the exact bytes that were hashed; checkpoints the signed
 * note texts, in the order they were stored.
 */
public interface LedgerStore extends AutoCloseable {

  /** One stored entry as read back, with whether its storage checksum held. */
  record StoredBytes(long position, byte[] bytes, boolean checksumOk) {}

  interface EntryVisitor {
    void visit(StoredBytes entry) throws LedgerException;
  }

  /** Streams the entries at positions [from, to) in order. */
  void readEntries(long from, long to, EntryVisitor visitor) throws LedgerException;

  /** Number of entries stored. */
  long size() throws LedgerException;

  List<String> checkpoints() throws LedgerException;

  /** Damage found while opening: torn tails, unreadable frames (read-only stores report instead of repairing). */
  List<Damage> damage();

  /**
   * Something wrong with the storage itself.
   *
   * @param tornTail whether it is an unfinished write at the very end, which a writer's reopening drops because it
   *                 was never acknowledged, rather than damage to recorded data
   */
  record Damage(String message, boolean tornTail) {}

  /** Writing, used by one committer thread at a time. */
  interface Writer {
    /**
     * Starts a batch: locks the log against other writers (the PostgreSQL store) and returns the entries that other
     * writers appended after {@code knownSize}, which the caller must take in before adding its own.
     */
    List<byte[]> begin(long knownSize) throws LedgerException;

    /** Makes the batch durable; returns only after fsync / commit. */
    void commit(long firstSeq, List<byte[]> entries) throws LedgerException;

    /**
     * Called by the committer after a batch is answered and before it takes the next: work done here (the folder
     * store writes the zeros that later commits overwrite) delays no commit that is already waiting for it.
     */
    default void prepareNext() throws LedgerException {}

    /** Whether {@link #prepareNext} has work to do; an appender that committed itself then wakes the committer. */
    default boolean wantsPreparation() {
      return false;
    }

    /** Whether a failed commit may have left the store in an unknown state, so that nothing more may be written. */
    boolean failureIsFatal();

    void storeCheckpoint(long size, String note) throws LedgerException;
  }

  Writer writer();

  @Override
  void close() throws LedgerException;
}
