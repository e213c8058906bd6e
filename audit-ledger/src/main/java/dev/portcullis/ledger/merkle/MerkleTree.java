package dev.portcullis.ledger.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 6962 tree held in memory: the leaf hashes and the hash of every complete, aligned subtree
 * (64 bytes per leaf in all). Any root, inclusion proof or consistency proof for any size up to the current one
 * is then a matter of O(log² n) lookups and hashes. Methods are synchronized: the callers are few (the committer,
 * the checkpointer, proof requests).
 */
public final class MerkleTree {
  /** levels.get(k) holds the hashes of the complete subtrees of 2^k leaves, in order. */
  private final List<HashArray> levels = new ArrayList<>();
  private long size;

  public MerkleTree() {
    levels.add(new HashArray());
  }

  public synchronized long size() {
    return size;
  }

  /** Adds a leaf hash (already SHA-256(0x00 || entry)). */
  public synchronized void append(byte[] leafHash) {
    if (leafHash.length != Rfc6962.HASH_SIZE) throw new IllegalArgumentException("leaf hash must be 32 bytes");
    levels.get(0).add(leafHash);
    long count = levels.get(0).size();
    byte[] carry = leafHash;
    for (int level = 0; (count & 1) == 0; level++, count >>= 1) {
      HashArray below = levels.get(level);
      byte[] left = below.get(below.size() - 2);
      carry = Rfc6962.nodeHash(left, carry);
      if (levels.size() == level + 1) levels.add(new HashArray());
      levels.get(level + 1).add(carry);
    }
    size++;
  }

  public synchronized byte[] leaf(long index) {
    checkSize(index + 1);
    return levels.get(0).get(index);
  }

  /** The root of the first {@code treeSize} leaves. */
  public synchronized byte[] root(long treeSize) {
    checkSize(treeSize);
    return treeSize == 0 ? Rfc6962.emptyRoot() : subtree(0, treeSize);
  }

  /** RFC 6962 PATH(index, D[treeSize]): the leaf's sibling first, up to the root's child. */
  public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
    checkSize(treeSize);
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + treeSize);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, treeSize, proof);
    return proof;
  }

  /** RFC 6962 PROOF(size1, D[size2]). */
  public synchronized List<byte[]> consistencyProof(long size1, long size2) {
    checkSize(size2);
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException("no consistency proof from size " + size1 + " to " + size2);
    }
    List<byte[]> proof = new ArrayList<>();
    if (size1 < size2) subproof(size1, 0, size2, true, proof);
    return proof;
  }

  private void path(long index, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n == 1) return;
    long k = Rfc6962.split(n);
    if (index - start < k) {
      path(index, start, start + k, out);
      out.add(subtree(start + k, end));
    } else {
      path(index, start + k, end, out);
      out.add(subtree(start, start + k));
    }
  }

  private void subproof(long m, long start, long end, boolean complete, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!complete) out.add(subtree(start, end));
      return;
    }
    long k = Rfc6962.split(n);
    if (m <= k) {
      subproof(m, start, start + k, complete, out);
      out.add(subtree(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(subtree(start, start + k));
    }
  }

  /** MTH(D[start:end]) where start is a multiple of the split of any enclosing tree, as RFC 6962 recursion yields. */
  private byte[] subtree(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1 && start % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get(start >> level);
    }
    long k = Rfc6962.split(n);
    return Rfc6962.nodeHash(subtree(start, start + k), subtree(start + k, end));
  }

  private void checkSize(long treeSize) {
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException("tree size " + treeSize + " is beyond the " + size + " leaves held");
    }
  }

  /** A growable array of 32-byte hashes in 1 MiB chunks, so that millions of leaves cost no per-object overhead. */
  private static final class HashArray {
    private static final int CHUNK_HASHES = 1 << 15;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    long size() {
      return size;
    }

    void add(byte[] hash) {
      int offset = (int) (size % CHUNK_HASHES);
      if (offset == 0) chunks.add(new byte[CHUNK_HASHES * Rfc6962.HASH_SIZE]);
      System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset * Rfc6962.HASH_SIZE, Rfc6962.HASH_SIZE);
      size++;
    }

    byte[] get(long index) {
      byte[] chunk = chunks.get((int) (index / CHUNK_HASHES));
      int offset = (int) (index % CHUNK_HASHES) * Rfc6962.HASH_SIZE;
      byte[] out = new byte[Rfc6962.HASH_SIZE];
      System.arraycopy(chunk, offset, out, 0, Rfc6962.HASH_SIZE);
      return out;
    }
  }
}
