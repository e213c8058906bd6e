package dev.portcullis.rego.builtins;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * RSASSA-PSS verification (RFC 8017 section 9.1.2) that detects the salt length, as Go's {@code rsa.VerifyPSS}
 * does with default options. The JDK verifier needs the salt length up front, so tokens signed with another salt
 * length than the hash size (Go signs with the longest) would fail there.
 */
final class Pss {
  private Pss() {}

  static boolean verify(RSAPublicKey key, String hash, byte[] message, byte[] signature)
      throws NoSuchAlgorithmException {
    int modBits = key.getModulus().bitLength();
    int k = (modBits + 7) / 8;
    if (signature.length != k) return false;
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(key.getModulus()) >= 0) return false;
    int emBits = modBits - 1;
    int emLen = (emBits + 7) / 8;
    byte[] em = toFixed(s.modPow(key.getPublicExponent(), key.getModulus()), emLen);
    if (em == null) return false;
    MessageDigest md = MessageDigest.getInstance(hash);
    byte[] mHash = md.digest(message);
    int hLen = mHash.length;
    if (emLen < hLen + 2 || (em[emLen - 1] & 0xff) != 0xbc) return false;
    byte[] maskedDb = Arrays.copyOfRange(em, 0, emLen - hLen - 1);
    byte[] h = Arrays.copyOfRange(em, emLen - hLen - 1, emLen - 1);
    int unused = 8 * emLen - emBits;
    if ((maskedDb[0] & 0xff & ~(0xff >> unused)) != 0) return false;
    byte[] db = mgf1(md, h, maskedDb.length);
    for (int i = 0; i < db.length; i++) db[i] ^= maskedDb[i];
    db[0] &= (byte) (0xff >> unused);
    int i = 0;
    while (i < db.length && db[i] == 0) i++;
    if (i == db.length || db[i] != 1) return false;
    byte[] salt = Arrays.copyOfRange(db, i + 1, db.length);
    md.reset();
    md.update(new byte[8]);
    md.update(mHash);
    md.update(salt);
    return MessageDigest.isEqual(md.digest(), h);
  }

  private static byte[] mgf1(MessageDigest md, byte[] seed, int len) {
    byte[] out = new byte[len];
    int done = 0;
    for (int counter = 0; done < len; counter++) {
      md.reset();
      md.update(seed);
      md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
      byte[] block = md.digest();
      int n = Math.min(block.length, len - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  private static byte[] toFixed(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    if (raw.length == len) return raw;
    if (raw.length == len + 1 && raw[0] == 0) return Arrays.copyOfRange(raw, 1, raw.length);
    if (raw.length > len) return null;
    byte[] out = new byte[len];
    System.arraycopy(raw, 0, out, len - raw.length, raw.length);
    return out;
  }
}
