package dev.portcullis.rego.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The {@code io.jwt.*} built-ins: decoding, signature checks, full validation and signing of compact JWS. */
final class Jwt {
  private Jwt() {}

  private static final ArrayValue UNVERIFIED = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY,
      ObjectValue.EMPTY);

  static void register(BuiltinTable t) {
    t.register("io.jwt.decode", 1, (ctx, a) -> decode(a[0]));
    for (String alg : List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")) {
      t.register("io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT), 2, (ctx, a) -> verifyWithKeys(alg, a));
    }
    t.register("io.jwt.verify_eddsa", 2, (ctx, a) -> verifyWithKeys("EdDSA", a));
    for (String alg : List.of("HS256", "HS384", "HS512")) {
      t.register("io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT), 2, (ctx, a) -> verifyHmac(alg, a));
    }
    t.register("io.jwt.decode_verify", 2, (ctx, a) -> decodeVerify(ctx, a));
    t.register("io.jwt.encode_sign", 3, (ctx, a) -> encodeSign(Values.toJson(a[0]).getBytes(StandardCharsets.UTF_8),
        Values.toJson(a[1]).getBytes(StandardCharsets.UTF_8), Values.toJson(a[2])));
    t.register("io.jwt.encode_sign_raw", 3, (ctx, a) -> {
      String key = Args.string(a, 2);
      return encodeSign(Encoding.bytes(Args.string(a, 0)), Encoding.bytes(Args.string(a, 1)), key);
    });
  }

  /** The three dot-separated parts of a compact JWS, still encoded. */
  private record Token(String header, String payload, String signature) {
    static Token split(Value v) throws BuiltinException {
      if (!(v instanceof StringValue s)) throw Args.mismatch(0, "string", v);
      String text = s.value();
      if (!text.contains(".")) throw BuiltinException.error("encoded JWT had no period separators");
      String[] parts = text.split("\\.", -1);
      if (parts.length != 3) {
        throw BuiltinException.error("encoded JWT must have 3 sections, found " + parts.length);
      }
      return new Token(parts[0], parts[1], parts[2]);
    }

    ObjectValue decodedHeader() throws BuiltinException {
      String json;
      try {
        json = new String(Encoding.base64UrlDecode(header), StandardCharsets.UTF_8);
      } catch (BuiltinException e) {
        throw BuiltinException.error("JWT header had invalid encoding: " + e.getMessage());
      }
      ObjectValue h;
      try {
        h = jsonObject(json);
      } catch (BuiltinException e) {
        throw BuiltinException.error("bad JWT header: " + e.getMessage());
      }
      if (h.get("enc") != null) throw BuiltinException.error("JWT is a JWE object, which is not supported");
      return h;
    }

    String decodedPayload() throws BuiltinException {
      try {
        return new String(Encoding.base64UrlDecode(payload), StandardCharsets.UTF_8);
      } catch (BuiltinException e) {
        throw BuiltinException.error("JWT payload had invalid encoding: " + e.getMessage());
      }
    }

    byte[] decodedSignature() throws BuiltinException { return Encoding.base64UrlDecode(signature); }

    byte[] signingInput() { return (header + "." + payload).getBytes(StandardCharsets.UTF_8); }
  }

  private static ObjectValue jsonObject(String json) throws BuiltinException {
    Value v;
    try {
      v = GoJson.parse(json);
    } catch (BuiltinException e) {
      throw BuiltinException.error("invalid JSON: " + e.getMessage());
    }
    if (!(v instanceof ObjectValue o)) throw BuiltinException.error("decoded JSON type was not an Object");
    return o;
  }

  private static Value decode(Value jwt) throws BuiltinException {
    Token token = Token.split(jwt);
    ObjectValue header = token.decodedHeader();
    String payload = token.decodedPayload();
    if (header.get("cty") instanceof StringValue cty && cty.value().equals("JWT")) {
      // A nested token arrives quoted, as jwt.io produces it.
      return decode(StringValue.of(trim(payload, "\"'")));
    }
    ObjectValue claims = jsonObject(payload);
    byte[] signature;
    try {
      signature = token.decodedSignature();
    } catch (BuiltinException e) {
      throw BuiltinException.error("JWT signature had invalid encoding: " + e.getMessage());
    }
    return ArrayValue.of(header, claims, StringValue.of(Encoding.hex(signature)));
  }

  private static String trim(String s, String cut) {
    int b = 0, e = s.length();
    while (b < e && cut.indexOf(s.charAt(b)) >= 0) b++;
    while (e > b && cut.indexOf(s.charAt(e - 1)) >= 0) e--;
    return s.substring(b, e);
  }

  /** Parsed header parameters that matter for verification (RFC 7515 section 4.1). */
  private record Header(String alg, String kid, String cty, Set<String> crit, Set<String> unknown) {
    static Header of(ObjectValue h) throws BuiltinException {
      String alg = "", kid = "", cty = "";
      Set<String> crit = new HashSet<>(), unknown = new HashSet<>();
      for (Value k : h.keys()) {
        String name = ((StringValue) k).value();
        Value v = h.get(k);
        switch (name) {
          case "alg" -> alg = headerString(name, v);
          case "kid" -> kid = headerString(name, v);
          case "typ" -> headerString(name, v);
          case "cty" -> cty = headerString(name, v);
          case "crit" -> {
            if (!(v instanceof ArrayValue arr)) throw BuiltinException.error("crit: must be a list");
            // OPA stops reading the list at its first non-string entry.
            for (Value e : arr.elements()) {
              if (!(e instanceof StringValue s)) break;
              crit.add(s.value());
            }
            if (crit.isEmpty()) throw BuiltinException.error("crit: must be a nonempty list");
          }
          default -> unknown.add(name);
        }
      }
      return new Header(alg, kid, cty, crit, unknown);
    }

    boolean valid() {
      if (alg.isEmpty()) return false;
      for (String u : unknown) if (crit.contains(u)) return false;
      return true;
    }
  }

  private static String headerString(String name, Value v) throws BuiltinException {
    if (!(v instanceof StringValue s)) throw BuiltinException.error(name + ": must be a string");
    return s.value();
  }

  /** Tries the key whose kid matches the header's first, otherwise every key whose alg agrees. */
  private static boolean verifyAny(List<JwtKeys.Key> keys, String kid, String alg, byte[] input, byte[] signature) {
    if (!kid.isEmpty()) {
      for (JwtKeys.Key k : keys) {
        if (k.kid().equals(kid)) return JwtKeys.verify(k.key(), alg, input, signature);
      }
    }
    for (JwtKeys.Key k : keys) {
      if (!k.alg().isEmpty() && !k.alg().equals(alg)) continue;
      if (JwtKeys.verify(k.key(), alg, input, signature)) return true;
    }
    return false;
  }

  private static BooleanValue verifyWithKeys(String alg, Value[] a) throws BuiltinException {
    Token token = Token.split(a[0]);
    List<JwtKeys.Key> keys = JwtKeys.parse(Args.string(a, 1));
    byte[] signature = token.decodedSignature();
    Header header = Header.of(token.decodedHeader());
    return BooleanValue.of(verifyAny(keys, header.kid(), alg, token.signingInput(), signature));
  }

  private static BooleanValue verifyHmac(String alg, Value[] a) throws BuiltinException {
    Args.string(a, 0);
    String secret = Args.string(a, 1);
    Token token = Token.split(a[0]);
    byte[] mac = Crypto.hmacBytes("HmacSHA" + alg.substring(2), Encoding.bytes(secret), token.signingInput());
    return BooleanValue.of(java.security.MessageDigest.isEqual(mac, token.decodedSignature()));
  }

  /** The constraints object of {@code io.jwt.decode_verify}. */
  private static final class Constraints {
    List<JwtKeys.Key> keys;
    String secret = "";
    String alg = "";
    String iss = "";
    String aud = "";
    double time = -1;

    static Constraints of(ObjectValue o, long nowNanos) throws BuiltinException {
      Constraints c = new Constraints();
      for (Value k : o.keys()) {
        String name = k instanceof StringValue s ? s.value() : Values.toJson(k);
        Value v = o.get(k);
        switch (name) {
          case "cert" -> {
            if (!(v instanceof StringValue s)) throw BuiltinException.error("cert constraint: must be a string");
            c.keys = JwtKeys.parse(s.value());
          }
          case "secret" -> c.secret = constraintString(name, v);
          case "alg" -> c.alg = constraintString(name, v);
          case "iss" -> c.iss = constraintString(name, v);
          case "aud" -> c.aud = constraintString(name, v);
          case "time" -> c.time = time(v);
          default -> throw BuiltinException.error("unknown token validation constraint: " + name);
        }
      }
      if (c.time == -1) c.time = (double) nowNanos;
      int keySources = (c.keys != null ? 1 : 0) + (c.secret.isEmpty() ? 0 : 1);
      if (keySources > 1) throw BuiltinException.error("duplicate key constraints");
      if (keySources < 1) throw BuiltinException.error("no key constraint");
      return c;
    }

    private static String constraintString(String name, Value v) throws BuiltinException {
      if (!(v instanceof StringValue s)) throw BuiltinException.error(name + " constraint: must be a string");
      return s.value();
    }

    private static double time(Value v) throws BuiltinException {
      if (!(v instanceof NumberValue n)) throw BuiltinException.error("token time constraint: must be a number");
      double d = n.doubleValue();
      if (Double.isInfinite(d)) throw BuiltinException.error("token time constraint: unvalid float64");
      if (d < 0) throw BuiltinException.error("token time constraint: must not be negative");
      return d;
    }

    boolean verify(Header h, byte[] input, byte[] signature) {
      if (keys != null) return verifyAny(keys, h.kid(), h.alg(), input, signature);
      return JwtKeys.verify(new JwtKeys.Secret(Encoding.bytes(secret)), h.alg(), input, signature);
    }

    boolean validAudience(Value aud) {
      if (aud instanceof StringValue s) return s.value().equals(this.aud);
      if (aud instanceof ArrayValue arr) {
        for (Value e : arr.elements()) if (e instanceof StringValue s && s.value().equals(this.aud)) return true;
      }
      return false;
    }
  }

  private static ArrayValue decodeVerify(BuiltinContext ctx, Value[] a) throws BuiltinException {
    ObjectValue options = Args.object(a, 1);
    Constraints c = Constraints.of(options, ctx.nowNanos());
    Value jwt = a[0];
    ObjectValue header;
    String payloadText;
    while (true) {
      Token token = Token.split(jwt);
      header = token.decodedHeader();
      Header h = Header.of(header);
      if (!h.valid()) return UNVERIFIED;
      if (!c.alg.isEmpty() && !c.alg.equals(h.alg())) return UNVERIFIED;
      byte[] signature = token.decodedSignature();
      if (!c.verify(h, token.signingInput(), signature)) return UNVERIFIED;
      payloadText = token.decodedPayload();
      if (h.cty().equalsIgnoreCase("JWT")) {
        jwt = StringValue.of(payloadText);
        continue;
      }
      break;
    }
    ObjectValue payload = jsonObject(payloadText);
    if (!c.iss.isEmpty()) {
      if (!(payload.get("iss") instanceof StringValue iss) || !iss.value().equals(c.iss)) return UNVERIFIED;
    }
    Value aud = payload.get("aud");
    if (aud != null) {
      if (!c.validAudience(aud)) return UNVERIFIED;
    } else if (!c.aud.isEmpty()) {
      return UNVERIFIED;
    }
    BigDecimal nowSeconds = BigDecimal.valueOf(c.time / 1e9);
    Value exp = payload.get("exp");
    if (exp != null) {
      if (!(exp instanceof NumberValue n)) throw BuiltinException.error("exp value must be a number");
      if (nowSeconds.compareTo(n.bigDecimal()) >= 0) return UNVERIFIED;
    }
    Value nbf = payload.get("nbf");
    if (nbf != null) {
      if (!(nbf instanceof NumberValue n)) throw BuiltinException.error("nbf value must be a number");
      if (nowSeconds.compareTo(n.bigDecimal()) < 0) return UNVERIFIED;
    }
    return ArrayValue.of(BooleanValue.TRUE, header, payload);
  }

  private static StringValue encodeSign(byte[] headerJson, byte[] payload, String jwkText) throws BuiltinException {
    JWK key;
    try {
      List<JWK> keys = jwkText.contains("\"keys\"") ? JWKSet.parse(jwkText).getKeys() : List.of(JWK.parse(jwkText));
      if (keys.isEmpty()) throw BuiltinException.error("no keys found in JWK set");
      key = keys.get(0);
    } catch (java.text.ParseException | RuntimeException e) {
      throw BuiltinException.error("failed to parse JWK: " + e.getMessage());
    }
    Map<String, JsonNode> headers = headerFields(headerJson);
    JsonNode algNode = headers.get("alg");
    if (algNode == null) throw BuiltinException.error("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
    if (!algNode.isTextual()) {
      throw BuiltinException.error("missing or invalid 'alg' header: jwsbb: header \"alg\" is not a string");
    }
    String alg = algNode.textValue();
    if (!JwtKeys.ALGORITHMS.contains(alg)) throw BuiltinException.error("unknown JWS algorithm: " + alg);
    JsonNode typ = headers.get("typ");
    boolean typIsJwt = typ == null || !typ.isTextual() || typ.textValue().equals("JWT");
    if (typIsJwt && !GoJson.isValid(new String(payload, StandardCharsets.UTF_8))) {
      throw BuiltinException.error("type is JWT but payload is not JSON");
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(headerJson) + "." + b64.encodeToString(payload);
    byte[] signature = sign(key, alg, input.getBytes(StandardCharsets.UTF_8));
    return StringValue.of(input + "." + b64.encodeToString(signature));
  }

  /** The header's top-level fields; a header that is JSON but not an object has none. */
  private static Map<String, JsonNode> headerFields(byte[] headerJson) throws BuiltinException {
    Map<String, JsonNode> out = new HashMap<>();
    String text = new String(headerJson, StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{")) return out;
    try {
      JsonNode node = GoJson.MAPPER.readTree(text);
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw BuiltinException.error("missing or invalid 'alg' header: cannot parse JSON");
    }
  }

  private static byte[] sign(JWK key, String alg, byte[] input) throws BuiltinException {
    try {
      switch (alg) {
        case "HS256", "HS384", "HS512" -> {
          if (!(key instanceof OctetSequenceKey k)) throw wrongKey(alg, key);
          return Crypto.hmacBytes("HmacSHA" + alg.substring(2), k.toByteArray(), input);
        }
        case "RS256", "RS384", "RS512" -> {
          Signature s = Signature.getInstance("SHA" + alg.substring(2) + "withRSA");
          s.initSign(rsaPrivate(key, alg));
          s.update(input);
          return s.sign();
        }
        case "PS256", "PS384", "PS512" -> {
          String hash = "SHA-" + alg.substring(2);
          int saltLen = Integer.parseInt(alg.substring(2)) / 8;
          Signature s = Signature.getInstance("RSASSA-PSS");
          s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLen, 1));
          s.initSign(rsaPrivate(key, alg));
          s.update(input);
          return s.sign();
        }
        case "ES256", "ES384", "ES512" -> {
          if (!(key instanceof ECKey k) || !k.isPrivate()) throw wrongKey(alg, key);
          Signature s = Signature.getInstance("SHA" + alg.substring(2) + "withECDSAinP1363Format");
          s.initSign(k.toECPrivateKey());
          s.update(input);
          return s.sign();
        }
        case "EdDSA" -> {
          if (!(key instanceof OctetKeyPair k) || k.getD() == null) throw wrongKey(alg, key);
          Ed25519Signer s = new Ed25519Signer();
          s.init(true, new Ed25519PrivateKeyParameters(k.getDecodedD(), 0));
          s.update(input, 0, input.length);
          return s.generateSignature();
        }
        default -> throw BuiltinException.error("unknown JWS algorithm: " + alg);
      }
    } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException | RuntimeException e) {
      throw BuiltinException.error("failed to sign payload: " + e.getMessage());
    }
  }

  private static PrivateKey rsaPrivate(JWK key, String alg) throws BuiltinException, com.nimbusds.jose.JOSEException {
    if (!(key instanceof RSAKey k) || !k.isPrivate()) throw wrongKey(alg, key);
    return k.toRSAPrivateKey();
  }

  private static BuiltinException wrongKey(String alg, JWK key) {
    return BuiltinException.error("failed to sign payload: invalid key type " + key.getKeyType() + " for " + alg);
  }
}
