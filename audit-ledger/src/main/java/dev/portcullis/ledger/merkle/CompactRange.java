package dev.portcullis.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The roots of the complete subtrees covering leaves [0, size): enough to compute the tree's root and to keep
 * appending, in O(log n) memory. The verifier streams millions of entries through one of these.
 */
public final class CompactRange {
  /** Subtree roots from the largest (leftmost) to the smallest; their sizes are the set bits of size. */
  private final List<byte[]> hashes = new ArrayList<>();
  private long size;

  public CompactRange() {}

  /** Resumes from the subtree roots of a prefix, as an export that does not start at seq 0 records them. */
  public CompactRange(long size, List<byte[]> subtreeRoots) {
    if (Long.bitCount(size) != subtreeRoots.size()) {
      throw new IllegalArgumentException("a prefix of " + size + " leaves has " + Long.bitCount(size)
          + " subtree roots, not " + subtreeRoots.size());
    }
    for (byte[] h : subtreeRoots) {
      if (h.length != Rfc6962.HASH_SIZE) throw new IllegalArgumentException("subtree root must be 32 bytes");
    }
    this.size = size;
    hashes.addAll(subtreeRoots);
  }

  public long size() {
    return size;
  }

  public List<byte[]> subtreeRoots() {
    return List.copyOf(hashes);
  }

  public void append(byte[] leafHash) {
    byte[] carry = leafHash;
    for (long s = size; (s & 1) == 1; s >>= 1) {
      carry = Rfc6962.nodeHash(hashes.remove(hashes.size() - 1), carry);
    }
    hashes.add(carry);
    size++;
  }

  public byte[] root() {
    if (size == 0) return Rfc6962.emptyRoot();
    byte[] root = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) root = Rfc6962.nodeHash(hashes.get(i), root);
    return root;
  }
}
