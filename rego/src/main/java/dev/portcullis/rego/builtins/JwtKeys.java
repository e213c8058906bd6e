package dev.portcullis.rego.builtins;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Verification keys as OPA's JWT built-ins accept them (PEM certificate, PEM public key, JWK, JWK set), and JWS
 * signature checks over them. */
final class JwtKeys {
  private JwtKeys() {}

  static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
      "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA");

  /** A public key (RSA, EC), raw Ed25519 bytes wrapped in {@link Ed25519}, or an HMAC secret; with JWKS metadata. */
  record Key(Object key, String alg, String kid) {}

  record Ed25519(byte[] raw) {}

  record Secret(byte[] bytes) {}

  /**
   * Parsed keys by their text. Policies pass the same certificate or JWKS on every decision, and parsing X.509 costs
   * far more than verifying; the keys are immutable, so sharing them across evaluations is safe.
   */
  private static final Map<String, List<Key>> PARSED = new ConcurrentHashMap<>();
  private static final int PARSED_LIMIT = 256;

  static List<Key> parse(String text) throws BuiltinException {
    List<Key> cached = PARSED.get(text);
    if (cached != null) return cached;
    List<Key> keys = List.copyOf(parseUncached(text));
    if (PARSED.size() >= PARSED_LIMIT) PARSED.clear();
    PARSED.put(text, keys);
    return keys;
  }

  private static List<Key> parseUncached(String text) throws BuiltinException {
    int begin = text.indexOf("-----BEGIN ");
    if (begin >= 0) {
      Pem pem = Pem.decode(text, begin);
      if (pem != null) return List.of(new Key(fromPem(pem), "", ""));
    }
    return fromJwk(text);
  }

  private record Pem(String type, byte[] der) {
    /** Go's {@code pem.Decode}: one block; what follows its END line must be empty. */
    static Pem decode(String text, int begin) throws BuiltinException {
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) return null;
      String type = text.substring(begin + 11, typeEnd);
      String endMarker = "-----END " + type + "-----";
      int end = text.indexOf(endMarker, typeEnd);
      if (end < 0) return null;
      String body = text.substring(typeEnd + 5, end).replaceAll("\\s", "");
      byte[] der;
      try {
        der = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        return null;
      }
      String rest = text.substring(end + endMarker.length());
      if (rest.startsWith("\r\n")) rest = rest.substring(2); else if (rest.startsWith("\n")) rest = rest.substring(1);
      if (!rest.isEmpty()) throw BuiltinException.error("extra data after a PEM certificate block");
      return new Pem(type, der);
    }
  }

  private static Object fromPem(Pem pem) throws BuiltinException {
    if (pem.type().equals("CERTIFICATE")) {
      try {
        PublicKey k = CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.der())).getPublicKey();
        return normalize(k);
      } catch (GeneralSecurityException | RuntimeException e) {
        throw BuiltinException.error("failed to parse a PEM certificate: " + e.getMessage());
      }
    }
    if (pem.type().equals("PUBLIC KEY")) {
      for (String alg : List.of("RSA", "EC", "Ed25519")) {
        try {
          return normalize(KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(pem.der())));
        } catch (GeneralSecurityException | RuntimeException e) {
          // try the next key type
        }
      }
      throw BuiltinException.error("failed to parse a PEM public key: unknown or malformed public key");
    }
    throw BuiltinException.error("failed to extract a Key from the PEM certificate");
  }

  /** Ed25519 keys become their raw 32 bytes, which is what the verifier needs. */
  private static Object normalize(PublicKey k) {
    if (k instanceof RSAPublicKey || k instanceof ECPublicKey) return k;
    if (k.getAlgorithm().equals("EdDSA") || k.getAlgorithm().equals("Ed25519")) {
      return new Ed25519(SubjectPublicKeyInfo.getInstance(k.getEncoded()).getPublicKeyData().getBytes());
    }
    return k;
  }

  private static List<Key> fromJwk(String text) throws BuiltinException {
    List<JWK> jwks;
    try {
      if (text.contains("\"keys\"")) {
        jwks = JWKSet.parse(text).getKeys();
      } else {
        jwks = List.of(JWK.parse(text));
      }
    } catch (java.text.ParseException | RuntimeException e) {
      throw BuiltinException.error("failed to parse a JWK key (set): " + e.getMessage());
    }
    List<Key> out = new ArrayList<>();
    for (JWK jwk : jwks) {
      String alg = jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm().getName();
      // Keys for algorithms OPA does not know are skipped, not fatal.
      if (!alg.isEmpty() && !ALGORITHMS.contains(alg)) continue;
      out.add(new Key(publicKey(jwk), alg, jwk.getKeyID() == null ? "" : jwk.getKeyID()));
    }
    return out;
  }

  static Object publicKey(JWK jwk) throws BuiltinException {
    try {
      if (jwk instanceof RSAKey k) return k.toRSAPublicKey();
      if (jwk instanceof ECKey k) return k.toECPublicKey();
      if (jwk instanceof OctetKeyPair k) return new Ed25519(k.getDecodedX());
      if (jwk instanceof OctetSequenceKey k) return new Secret(k.toByteArray());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw BuiltinException.error("failed to parse a JWK key (set): " + e.getMessage());
    }
    throw BuiltinException.error("failed to parse a JWK key (set): unsupported key type " + jwk.getKeyType());
  }

  /** Whether {@code signature} over {@code input} verifies with {@code key} under JWS algorithm {@code alg}. */
  static boolean verify(Object key, String alg, byte[] input, byte[] signature) {
    try {
      switch (alg) {
        case "RS256", "RS384", "RS512" -> {
          if (!(key instanceof RSAPublicKey k)) return false;
          Signature s = Signature.getInstance("SHA" + alg.substring(2) + "withRSA");
          s.initVerify(k);
          s.update(input);
          return s.verify(signature);
        }
        case "PS256", "PS384", "PS512" -> {
          return key instanceof RSAPublicKey k && Pss.verify(k, "SHA-" + alg.substring(2), input, signature);
        }
        case "ES256", "ES384", "ES512" -> {
          return key instanceof ECPublicKey k && verifyEs(k, "SHA" + alg.substring(2), input, signature);
        }
        case "EdDSA" -> {
          if (!(key instanceof Ed25519 k) || k.raw().length != 32) return false;
          Ed25519Signer s = new Ed25519Signer();
          s.init(false, new Ed25519PublicKeyParameters(k.raw(), 0));
          s.update(input, 0, input.length);
          return s.verifySignature(signature);
        }
        case "HS256", "HS384", "HS512" -> {
          if (!(key instanceof Secret k)) return false;
          byte[] mac = Crypto.hmacBytes("HmacSHA" + alg.substring(2), k.bytes(), input);
          return MessageDigest.isEqual(mac, signature);
        }
        default -> {
          return false;
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** ECDSA over r||s split in the middle, as Go's verifier reads it, whatever the curve size. */
  static boolean verifyEs(ECPublicKey key, String hash, byte[] input, byte[] signature)
      throws GeneralSecurityException {
    int n = signature.length / 2;
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signature, 0, n))));
    v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signature, n, signature.length))));
    byte[] der;
    try {
      der = new DERSequence(v).getEncoded();
    } catch (java.io.IOException e) {
      return false;
    }
    Signature s = Signature.getInstance(hash + "withECDSA");
    s.initVerify(key);
    s.update(input);
    return s.verify(der);
  }
}
