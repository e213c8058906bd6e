package dev.portcullis.gateway.session;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Identifiers like {@code req_01HX...}: a prefix and a ULID (48-bit millisecond time, 80 random bits, Crockford
 * base32), so they sort by creation time and never repeat.
 */
public final class Ids {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  /**
   * A generator per thread, so the event loops share no lock: SHA1PRNG, seeded from the system's entropy, costs a
   * third of the default NativePRNG, which also rereads /dev/urandom every few ids; both are unpredictable.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
    try {
      return SecureRandom.getInstance("SHA1PRNG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA1PRNG", e);
    }
  });

  private Ids() {}

  public static String next(String prefix) {
    byte[] random = new byte[10];
    RANDOM.get().nextBytes(random);
    long time = System.currentTimeMillis();
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits as 16 base32 digits.
    long hi = 0;
    for (int i = 0; i < 5; i++) hi = (hi << 8) | (random[i] & 0xff);
    long lo = 0;
    for (int i = 5; i < 10; i++) lo = (lo << 8) | (random[i] & 0xff);
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    return prefix + "_" + new String(out);
  }
}
