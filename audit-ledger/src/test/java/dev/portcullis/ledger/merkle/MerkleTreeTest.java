package dev.portcullis.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fast tree against RFC 6962 section 2.1 written out literally, for every (index, size) pair up to 300. */
class MerkleTreeTest {
  private static final int MAX = 300;

  private final List<byte[]> leaves = new ArrayList<>();
  private final Map<Long, byte[]> naiveCache = new HashMap<>();
  private final MerkleTree tree = new MerkleTree();

  MerkleTreeTest() {
    for (int i = 0; i < MAX; i++) {
      byte[] leaf = Rfc6962.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8));
      leaves.add(leaf);
      tree.append(leaf);
    }
  }

  @Test
  void rootsMatchTheRecursiveDefinitionAtEverySize() {
    assertArrayEquals(Rfc6962.emptyRoot(), tree.root(0));
    CompactRange range = new CompactRange();
    for (int n = 1; n <= MAX; n++) {
      range.append(leaves.get(n - 1));
      assertArrayEquals(mth(0, n), tree.root(n), "size " + n);
      assertArrayEquals(mth(0, n), range.root(), "compact range at size " + n);
    }
  }

  @Test
  void inclusionProofsMatchTheRecursiveDefinitionAndVerify() throws InvalidProofException {
    for (int n = 1; n <= MAX; n++) {
      byte[] root = mth(0, n);
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = tree.inclusionProof(m, n);
        assertHashesEqual(naivePath(m, 0, n), proof, "PATH(" + m + ", " + n + ")");
        Proofs.verifyInclusion(m, n, leaves.get(m), proof, root);
      }
    }
  }

  @Test
  void consistencyProofsMatchTheRecursiveDefinitionAndVerify() throws InvalidProofException {
    for (int n = 1; n <= MAX; n++) {
      byte[] root2 = mth(0, n);
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = tree.consistencyProof(m, n);
        assertHashesEqual(m == n ? List.of() : naiveSubproof(m, 0, n, true), proof, "PROOF(" + m + ", " + n + ")");
        Proofs.verifyConsistency(m, n, mth(0, m), root2, proof);
      }
    }
  }

  @Test
  void aProofForOneTreeDoesNotVerifyAgainstAnother() {
    List<byte[]> proof = tree.consistencyProof(7, 20);
    assertThrows(InvalidProofException.class, () -> Proofs.verifyConsistency(7, 21, mth(0, 7), mth(0, 21), proof));
    List<byte[]> inclusion = tree.inclusionProof(3, 20);
    assertThrows(InvalidProofException.class,
        () -> Proofs.verifyInclusion(4, 20, leaves.get(4), inclusion, mth(0, 20)));
  }

  @Test
  void sizesBeyondTheTreeAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tree.root(MAX + 1));
    assertEquals("tree size 301 is beyond the 300 leaves held", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> tree.consistencyProof(0, 5));
    assertThrows(IllegalArgumentException.class, () -> tree.inclusionProof(5, 5));
  }

  @Test
  void compactRangeResumesFromItsSubtreeRoots() {
    CompactRange first = new CompactRange();
    for (int i = 0; i < 77; i++) first.append(leaves.get(i));
    CompactRange resumed = new CompactRange(77, first.subtreeRoots());
    for (int i = 77; i < 200; i++) resumed.append(leaves.get(i));
    assertArrayEquals(mth(0, 200), resumed.root());
    assertThrows(IllegalArgumentException.class, () -> new CompactRange(79, first.subtreeRoots()));
  }

  // RFC 6962 section 2.1, literally.
  private byte[] mth(int start, int end) {
    long key = ((long) start << 32) | end;
    byte[] cached = naiveCache.get(key);
    if (cached != null) return cached;
    int n = end - start;
    byte[] h;
    if (n == 1) {
      h = leaves.get(start);
    } else {
      int k = 1;
      while (k * 2 < n) k *= 2;
      h = Rfc6962.nodeHash(mth(start, start + k), mth(start + k, end));
    }
    naiveCache.put(key, h);
    return h;
  }

  private List<byte[]> naivePath(int m, int start, int end) {
    int n = end - start;
    List<byte[]> out = new ArrayList<>();
    if (n == 1) return out;
    int k = 1;
    while (k * 2 < n) k *= 2;
    if (m - start < k) {
      out.addAll(naivePath(m, start, start + k));
      out.add(mth(start + k, end));
    } else {
      out.addAll(naivePath(m, start + k, end));
      out.add(mth(start, start + k));
    }
    return out;
  }

  private List<byte[]> naiveSubproof(int m, int start, int end, boolean b) {
    int n = end - start;
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) out.add(mth(start, end));
      return out;
    }
    int k = 1;
    while (k * 2 < n) k *= 2;
    if (m <= k) {
      out.addAll(naiveSubproof(m, start, start + k, b));
      out.add(mth(start + k, end));
    } else {
      out.addAll(naiveSubproof(m - k, start + k, end, false));
      out.add(mth(start, start + k));
    }
    return out;
  }

  private static void assertHashesEqual(List<byte[]> expected, List<byte[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + " length");
    for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), what + "[" + i + "]");
  }

  @Test
  void distinctLeavesGiveDistinctRoots() {
    var roots = new HashSet<String>();
    for (int n = 1; n <= MAX; n++) roots.add(java.util.HexFormat.of().formatHex(tree.root(n)));
    assertEquals(MAX, roots.size());
  }
}
