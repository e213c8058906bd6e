package dev.portcullis.ledger.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of RFC 6962 inclusion and consistency proofs, following the algorithms of RFC 9162 sections 2.1.3.2
 * and 2.1.4.2. Each method returns normally when the proof holds and throws {@link InvalidProofException} saying why
 * it does not.
 */
public final class Proofs {
  private Proofs() {}

  /** Checks that {@code leafHash} is the leaf at {@code index} of the tree of {@code size} leaves whose root is {@code root}. */
  public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws InvalidProofException {
    byte[] computed = rootFromInclusion(index, size, leafHash, proof);
    requireHash("root", root);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new InvalidProofException("inclusion proof of leaf " + index + " leads to a different root for size " + size);
    }
  }

  /** The root that an inclusion proof implies; throws when the proof has the wrong shape. */
  public static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws InvalidProofException {
    if (index < 0 || size < 0) throw new InvalidProofException("negative index or size");
    if (index >= size) throw new InvalidProofException("leaf index " + index + " is outside a tree of size " + size);
    requireHash("leaf hash", leafHash);
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      requireHash("proof hash", p);
      if (sn == 0) throw new InvalidProofException("inclusion proof has too many hashes");
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc6962.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = Rfc6962.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) throw new InvalidProofException("inclusion proof has too few hashes");
    return r;
  }

  /** Checks that the tree of {@code size2} leaves with root {@code root2} extends the one of {@code size1} leaves with root {@code root1}. */
  public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
      throws InvalidProofException {
    if (size1 <= 0) throw new InvalidProofException("consistency from an empty tree proves nothing (size1 = " + size1 + ")");
    if (size2 < size1) throw new InvalidProofException("size " + size2 + " is smaller than " + size1 + ": the log shrank");
    if (size1 == size2) {
      if (!proof.isEmpty()) throw new InvalidProofException("trees of equal size need an empty consistency proof");
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new InvalidProofException("two different roots for the same size " + size1);
      }
      return;
    }
    requireHash("root1", root1);
    requireHash("root2", root2);
    if (proof.isEmpty()) throw new InvalidProofException("empty consistency proof between different sizes");
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(size1) == 1) path.add(root1);
    path.addAll(proof);
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    requireHash("proof hash", fr);
    for (byte[] c : path.subList(1, path.size())) {
      requireHash("proof hash", c);
      if (sn == 0) throw new InvalidProofException("consistency proof has too many hashes");
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc6962.nodeHash(c, fr);
        sr = Rfc6962.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = Rfc6962.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) throw new InvalidProofException("consistency proof has too few hashes");
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new InvalidProofException("consistency proof does not lead to the root of size " + size1);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new InvalidProofException("consistency proof does not lead to the root of size " + size2);
    }
  }

  private static void requireHash(String what, byte[] hash) throws InvalidProofException {
    if (hash == null || hash.length != Rfc6962.HASH_SIZE) {
      throw new InvalidProofException(what + " is " + (hash == null ? "missing" : hash.length + " bytes")
          + ", not " + Rfc6962.HASH_SIZE);
    }
  }
}
