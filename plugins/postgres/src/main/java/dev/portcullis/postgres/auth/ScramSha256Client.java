package dev.portcullis.postgres.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel binding ("n,,"), an empty
 * user name (the server takes the StartupMessage's), and the server's signature verified before the login counts.
 * Passwords are used as UTF-8 without SASLprep, which matches SASLprep for the printable ASCII passwords the
 * gateway's upstream credential holds.
 */
public final class ScramSha256Client {
  public static final String MECHANISM = "SCRAM-SHA-256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String user;
  private final String password;
  private final String clientNonce;
  private String clientFirstBare;
  private byte[] expectedServerSignature;

  public ScramSha256Client(String password) {
    this("", password, randomNonce());
  }

  ScramSha256Client(String user, String password, String clientNonce) {
    this.user = user;
    this.password = password;
    this.clientNonce = clientNonce;
  }

  /** client-first-message. */
  public String clientFirst() {
    clientFirstBare = "n=" + user + ",r=" + clientNonce;
    return "n,," + clientFirstBare;
  }

  /** client-final-message for the server-first-message; throws when the server's message is not acceptable. */
  public String clientFinal(String serverFirst) throws AuthenticationFailed {
    String nonce = attribute(serverFirst, 'r');
    String salt = attribute(serverFirst, 's');
    int iterations;
    try {
      iterations = Integer.parseInt(attribute(serverFirst, 'i'));
    } catch (NumberFormatException e) {
      throw new AuthenticationFailed("SCRAM: invalid iteration count");
    }
    if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
      throw new AuthenticationFailed("SCRAM: the server nonce does not extend the client nonce");
    }
    if (iterations < 1) throw new AuthenticationFailed("SCRAM: invalid iteration count");
    byte[] saltedPassword = hi(password, Base64.getDecoder().decode(salt), iterations);
    byte[] clientKey = hmac(saltedPassword, "Client Key");
    byte[] storedKey = sha256(clientKey);
    String withoutProof = "c=biws,r=" + nonce;
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] clientSignature = hmac(storedKey, authMessage);
    byte[] proof = new byte[clientKey.length];
    for (int i = 0; i < proof.length; i++) proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
    expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
    return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
  }

  /** Checks the server-final-message: the server proves it knows the password too. */
  public void verifyServerFinal(String serverFinal) throws AuthenticationFailed {
    if (serverFinal.startsWith("e=")) throw new AuthenticationFailed("SCRAM: server error " + serverFinal.substring(2));
    if (expectedServerSignature == null) throw new AuthenticationFailed("SCRAM: server-final before client-final");
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(attribute(serverFinal, 'v'));
    } catch (IllegalArgumentException e) {
      throw new AuthenticationFailed("SCRAM: invalid server signature encoding");
    }
    if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
      throw new AuthenticationFailed("SCRAM: the server signature does not match");
    }
  }

  private static String attribute(String message, char name) throws AuthenticationFailed {
    for (String part : message.split(",")) {
      if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') return part.substring(2);
    }
    throw new AuthenticationFailed("SCRAM: attribute " + name + " missing in server message");
  }

  private static byte[] hi(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String randomNonce() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
