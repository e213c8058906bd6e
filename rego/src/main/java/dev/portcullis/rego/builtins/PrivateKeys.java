package dev.portcullis.rego.builtins;

import com.nimbusds.jose.jwk.JWK;
import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import dev.portcullis.rego.value.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code crypto.x509.parse_rsa_private_key} and {@code crypto.parse_private_keys}: PEM private keys as JWKs.
 * Input is PEM text or base64 of it, as in OPA.
 */
final class PrivateKeys {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----[\\s\\S]*?-----END \\1-----");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private PrivateKeys() {}

  static void register(BuiltinTable t) {
    t.register("crypto.x509.parse_rsa_private_key", 1, (ctx, a) -> {
      String pem = pemText(Args.string(a, 0));
      Matcher m = PEM_BLOCK.matcher(pem);
      if (!m.find()) throw BuiltinException.error("failed to parse PEM block containing the key");
      Value jwk = jwk(m.group());
      if (jwk == null || !(jwk instanceof ObjectValue o) || !StringValue.of("RSA").equals(o.get("kty"))) {
        throw BuiltinException.error("failed to parse RSA private key");
      }
      return jwk;
    });
    t.register("crypto.parse_private_keys", 1, (ctx, a) -> {
      String in = Args.string(a, 0);
      if (in.isEmpty()) return NullValue.INSTANCE;
      String pem = in.startsWith("-----BEGIN") ? in : decodeOrNull(in);
      List<Value> keys = new ArrayList<>();
      if (pem != null) {
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
          Value k = jwk(m.group());
          if (k != null) keys.add(k);
        }
      }
      return new ArrayValue(keys);
    });
  }

  private static String pemText(String in) throws BuiltinException {
    if (in.startsWith("-----BEGIN")) return in;
    if (in.length() % 4 != 0) {
      // Go's padded standard encoding, unlike Java's decoder, rejects a missing final quantum
      throw BuiltinException.error("illegal base64 data at input byte " + (in.length() - in.length() % 4));
    }
    try {
      return new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error("illegal base64 data: " + e.getMessage());
    }
  }

  private static String decodeOrNull(String in) {
    if (in.length() % 4 != 0) return null;
    try {
      return new String(Base64.getDecoder().decode(in), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The private key of one PEM block as a JWK value, or null when it is not a private key. */
  private static Value jwk(String block) {
    try {
      JWK key = JWK.parseFromPEMEncodedObjects(block);
      if (!key.isPrivate()) return null;
      Map<String, Object> json = key.toJSONObject();
      return Values.fromJson(JSON.valueToTree(json));
    } catch (Exception e) {
      return null;
    }
  }
}
