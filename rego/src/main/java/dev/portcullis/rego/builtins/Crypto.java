package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.StringValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes and HMACs of strings (their UTF-8 bytes), hex encoded as OPA returns them. */
final class Crypto {
  private Crypto() {}

  static void register(BuiltinTable t) {
    t.register("crypto.md5", 1, (ctx, a) -> digest("MD5", Args.string(a, 0)));
    t.register("crypto.sha1", 1, (ctx, a) -> digest("SHA-1", Args.string(a, 0)));
    t.register("crypto.sha256", 1, (ctx, a) -> digest("SHA-256", Args.string(a, 0)));
    t.register("crypto.hmac.md5", 2, (ctx, a) -> hmac("HmacMD5", Args.string(a, 0), Args.string(a, 1)));
    t.register("crypto.hmac.sha1", 2, (ctx, a) -> hmac("HmacSHA1", Args.string(a, 0), Args.string(a, 1)));
    t.register("crypto.hmac.sha256", 2, (ctx, a) -> hmac("HmacSHA256", Args.string(a, 0), Args.string(a, 1)));
    t.register("crypto.hmac.sha512", 2, (ctx, a) -> hmac("HmacSHA512", Args.string(a, 0), Args.string(a, 1)));
    // Constant time, so a policy comparing MACs does not leak how many leading bytes matched.
    t.register("crypto.hmac.equal", 2, (ctx, a) -> BooleanValue.of(MessageDigest.isEqual(
        Encoding.bytes(Args.string(a, 0)), Encoding.bytes(Args.string(a, 1)))));
  }

  private static StringValue digest(String algorithm, String s) {
    try {
      return StringValue.of(Encoding.hex(MessageDigest.getInstance(algorithm).digest(Encoding.bytes(s))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides " + algorithm, e);
    }
  }

  static byte[] hmacBytes(String algorithm, byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // An empty key is legal for HMAC but SecretKeySpec refuses it; a single zero byte is equivalent (RFC 2104).
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
      return mac.doFinal(message);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always provides " + algorithm, e);
    }
  }

  private static StringValue hmac(String algorithm, String message, String key) {
    return StringValue.of(Encoding.hex(hmacBytes(algorithm, Encoding.bytes(key), Encoding.bytes(message))));
  }
}
