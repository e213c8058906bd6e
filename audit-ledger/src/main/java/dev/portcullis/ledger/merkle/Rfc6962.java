package dev.portcullis.ledger.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The RFC 6962 hashing rules: leaves and interior nodes are domain-separated so one can never pass for the other. */
public final class Rfc6962 {
  public static final int HASH_SIZE = 32;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Rfc6962::newSha256);

  private Rfc6962() {}

  /** SHA-256(0x00 || data): the hash of one entry. */
  public static byte[] leafHash(byte[] data) {
    MessageDigest md = SHA256.get();
    md.update((byte) 0);
    md.update(data);
    return md.digest();
  }

  /** SHA-256(0x01 || left || right): the hash of an interior node. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest md = SHA256.get();
    md.update((byte) 1);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** The root of the empty tree, SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return SHA256.get().digest();
  }

  public static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /** The largest power of two strictly smaller than {@code n} (n >= 2): where RFC 6962 splits a tree. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
