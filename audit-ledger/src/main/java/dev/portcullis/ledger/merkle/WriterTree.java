package dev.portcullis.ledger.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a long-running writer keeps of its tree: the subtree roots of all leaves and of the last checkpointed
 * prefix (O(log n) hashes each) and the leaf hashes appended since that checkpoint. Memory does not grow with the
 * log, and a new head can still be proven to extend the checkpointed one: replaying the newer leaves onto the
 * checkpointed prefix must give the same root as the whole tree. Thread-safe.
 */
public final class WriterTree {
  private final CompactRange all = new CompactRange();
  private CompactRange checkpointed = new CompactRange();
  private final List<byte[]> sinceCheckpoint = new ArrayList<>();

  /** A tree head proven to extend the checkpointed prefix; pass it back to {@link #checkpointed(Head)} once signed. */
  public record Head(long size, byte[] root, byte[] checkpointedRoot, CompactRange range) {}

  public synchronized void append(byte[] leafHash) {
    all.append(leafHash);
    sinceCheckpoint.add(leafHash);
  }

  public synchronized void appendAll(List<byte[]> leafHashes) {
    for (byte[] leaf : leafHashes) append(leaf);
  }

  public synchronized long size() {
    return all.size();
  }

  public synchronized long checkpointedSize() {
    return checkpointed.size();
  }

  public synchronized byte[] root() {
    return all.root();
  }

  /** Declares everything appended so far checkpointed (at recovery, on reaching the last stored checkpoint). */
  public synchronized void markCheckpointed() {
    checkpointed = new CompactRange(all.size(), all.subtreeRoots());
    sinceCheckpoint.clear();
  }

  /** The current head, after checking that it extends the checkpointed prefix. */
  public Head head() throws InvalidProofException {
    CompactRange replay;
    List<byte[]> leaves;
    long size;
    byte[] root;
    synchronized (this) {
      replay = new CompactRange(checkpointed.size(), checkpointed.subtreeRoots());
      leaves = List.copyOf(sinceCheckpoint);
      size = all.size();
      root = all.root();
    }
    byte[] checkpointedRoot = replay.root();
    for (byte[] leaf : leaves) replay.append(leaf);
    if (replay.size() != size || !MessageDigest.isEqual(replay.root(), root)) {
      throw new InvalidProofException("the tree of size " + size + " does not extend the checkpointed tree of size "
          + (size - leaves.size()));
    }
    return new Head(size, root, checkpointedRoot, replay);
  }

  /** Records that {@code head} was signed: it becomes the checkpointed prefix. */
  public synchronized void checkpointed(Head head) {
    long dropped = head.size() - checkpointed.size();
    if (dropped < 0) throw new IllegalArgumentException("checkpoint " + head.size() + " is older than " + checkpointed.size());
    checkpointed = head.range();
    sinceCheckpoint.subList(0, (int) dropped).clear();
  }

  /** For tests: how many leaf hashes are held. */
  synchronized int heldLeaves() {
    return sinceCheckpoint.size();
  }
}
