package dev.portcullis.ledger.note;

import dev.portcullis.ledger.merkle.Rfc6962;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 keys in the text forms of c2sp.org/signed-note as golang.org/x/mod/sumdb/note writes them:
 * verifier key {@code <name>+<key ID, 8 hex>+<base64(0x01 || public key)>} and signer key
 * {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>}.
 */
public final class NoteKeys {
  static final byte ED25519 = 0x01;
  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private NoteKeys() {}

  /** A key that can check signatures: name, key ID and the 32-byte public key. */
  public record Verifier(String name, int keyId, byte[] publicKey) {
    public boolean verify(byte[] message, byte[] signature) {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      v.update(message, 0, message.length);
      return v.verifySignature(signature);
    }

    /** The vkey text an auditor keeps. */
    public String vkey() {
      return name + "+" + hex(keyId) + "+" + Base64.getEncoder().encodeToString(prefixed(publicKey));
    }

    public String keyIdHex() {
      return hex(keyId);
    }
  }

  /** A key that signs: its verifier and the private seed. */
  public record Signer(Verifier verifier, byte[] seed) {
    public byte[] sign(byte[] message) {
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, new Ed25519PrivateKeyParameters(seed, 0));
      s.update(message, 0, message.length);
      return s.generateSignature();
    }

    public String name() {
      return verifier.name();
    }

    /** The private key text written by {@code keygen}. */
    public String skey() {
      return PRIVATE_PREFIX + verifier.name() + "+" + hex(verifier.keyId()) + "+"
          + Base64.getEncoder().encodeToString(prefixed(seed));
    }
  }

  public static Signer generate(String name) {
    checkName(name);
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(new SecureRandom());
    return signer(name, priv.getEncoded());
  }

  public static Verifier parseVerifier(String vkey) {
    String[] parts = vkey.strip().split("\\+", 3);
    if (parts.length != 3) throw new IllegalArgumentException("verifier key must be <name>+<hash>+<key>: " + vkey.strip());
    byte[] key = decodeKey(parts[2], "verifier key");
    Verifier v = verifier(parts[0], key);
    if (!v.keyIdHex().equals(parts[1])) {
      throw new IllegalArgumentException("verifier key ID " + parts[1] + " does not match its key (" + v.keyIdHex() + ")");
    }
    return v;
  }

  public static Signer parseSigner(String skey) {
    String text = skey.strip();
    if (!text.startsWith(PRIVATE_PREFIX)) throw new IllegalArgumentException("signer key must start with PRIVATE+KEY+");
    String[] parts = text.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) throw new IllegalArgumentException("signer key must be PRIVATE+KEY+<name>+<hash>+<key>");
    Signer s = signer(parts[0], decodeKey(parts[2], "signer key"));
    if (!s.verifier().keyIdHex().equals(parts[1])) {
      throw new IllegalArgumentException("signer key ID " + parts[1] + " does not match its key");
    }
    return s;
  }

  /** Reads a signer key file written by {@code ledger keygen}. */
  public static Signer readSigner(Path file) throws IOException {
    try {
      return parseSigner(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a verifier key: a file holding the vkey text, or the vkey text itself. */
  public static Verifier readVerifier(String fileOrText) throws IOException {
    Path file = Path.of(fileOrText);
    if (!fileOrText.contains("+") || Files.isRegularFile(file)) {
      try {
        return parseVerifier(Files.readString(file, StandardCharsets.UTF_8).strip().split("\n")[0]);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    return parseVerifier(fileOrText);
  }

  static Signer signer(String name, byte[] seed) {
    byte[] pub = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    return new Signer(verifier(name, pub), seed.clone());
  }

  static Verifier verifier(String name, byte[] publicKey) {
    checkName(name);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[nameBytes.length + 2 + publicKey.length];
    System.arraycopy(nameBytes, 0, input, 0, nameBytes.length);
    input[nameBytes.length] = '\n';
    input[nameBytes.length + 1] = ED25519;
    System.arraycopy(publicKey, 0, input, nameBytes.length + 2, publicKey.length);
    byte[] h = Rfc6962.sha256(input);
    int id = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    return new Verifier(name, id, publicKey.clone());
  }

  static void checkName(String name) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("key name must not be empty");
    if (name.codePoints().anyMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
        || Character.isISOControl(c))) {
      throw new IllegalArgumentException("key name must not contain spaces, control characters or '+': " + name);
    }
  }

  private static byte[] decodeKey(String b64, String what) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64");
    }
    if (raw.length != 33 || raw[0] != ED25519) {
      throw new IllegalArgumentException(what + " is not an Ed25519 key (type 0x01, 32 bytes)");
    }
    byte[] key = new byte[32];
    System.arraycopy(raw, 1, key, 0, 32);
    return key;
  }

  private static byte[] prefixed(byte[] key) {
    byte[] out = new byte[key.length + 1];
    out[0] = ED25519;
    System.arraycopy(key, 0, out, 1, key.length);
    return out;
  }

  private static String hex(int id) {
    return HexFormat.of().toHexDigits(id);
  }
}
