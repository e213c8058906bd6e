package dev.portcullis.rego.builtins;

import static dev.portcullis.rego.builtins.BuiltinCalls.assertValue;
import static dev.portcullis.rego.builtins.BuiltinCalls.call;
import static dev.portcullis.rego.builtins.BuiltinCalls.fails;
import static dev.portcullis.rego.builtins.BuiltinCalls.s;
import static dev.portcullis.rego.builtins.BuiltinCalls.v;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.rego.builtins.BuiltinException.Kind;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import org.junit.jupiter.api.Test;

class JwtTest {
  private static final String HS_KEY =
      "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";
  private static final String ED_KEY = "{\"kty\":\"OKP\",\"alg\":\"EdDSA\",\"crv\":\"Ed25519\","
      + "\"x\":\"wEZFfoAj1rFKTLOOmjJjVZlCHwksuvMb2I5y_hg70E8\",\"d\":\"9XI34uQzYUJfWhDZf_0nYsLMBRVu8a6dFsy60P8uugk\"}";
  private static final String ED_PUBLIC = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
      + "\"x\":\"wEZFfoAj1rFKTLOOmjJjVZlCHwksuvMb2I5y_hg70E8\"}";

  /** The RSA key of RFC 7515 appendix A.2, and its public half as a JWK set entry. */
  private static final String RSA_KEY = "{\"d\":\"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NX"
      + "OoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9"
      + "JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhB"
      + "OneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ\",\"dp\":\"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQ"
      + "wCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u"
      + "6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0\",\"dq\":\"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlOD"
      + "sWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp"
      + "3nssTdlqvd0tIiTHU\",\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQo"
      + "Tbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ"
      + "47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZ"
      + "lxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpo"
      + "Q\",\"p\":\"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_"
      + "Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc\",\"q\":\"uQPEfg"
      + "mVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmp"
      + "e_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc\",\"qi\":\"IYd7DHOhrWvxkwPQsRM2tOg"
      + "rjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJRe"
      + "Ogo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U\"}";
  private static final String RSA_PUBLIC = "{\"kty\":\"RSA\",\"kid\":\"k1\",\"e\":\"AQAB\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji"
      + "9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47so"
      + "MZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb"
      + "3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\"}";

  @Test
  void encodeSignRawMatchesRfc7515AppendixA1() throws Exception {
    Value token = call("io.jwt.encode_sign_raw", s("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
        s("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"), s(HS_KEY));
    assertEquals(s("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6"
        + "Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), token);
  }

  @Test
  void signedTokensVerifyAndDecode() throws Exception {
    Value token = call("io.jwt.encode_sign", v("{\"alg\": \"EdDSA\", \"typ\": \"JWT\"}"),
        v("{\"iss\": \"joe\", \"aud\": [\"bob\"], \"nbf\": 100, \"exp\": 200}"), v(ED_KEY));
    assertValue("true", call("io.jwt.verify_eddsa", token, s(ED_PUBLIC)));
    assertValue("[{\"alg\":\"EdDSA\",\"typ\":\"JWT\"},{\"aud\":[\"bob\"],\"exp\":200,\"iss\":\"joe\",\"nbf\":100}]",
        dev.portcullis.rego.value.ArrayValue.of(
            ((dev.portcullis.rego.value.ArrayValue) call("io.jwt.decode", token)).get(0),
            ((dev.portcullis.rego.value.ArrayValue) call("io.jwt.decode", token)).get(1)));
    Value cert = s(ED_PUBLIC);
    // A token naming an audience is only valid for a verifier that names one of them.
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("150e9")))));
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("200e9"),
        "aud", s("bob")))));
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("99e9"),
        "aud", s("bob")))));
    assertValue("true", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("150e9"),
        "aud", s("bob"), "iss", s("joe")))));
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("150e9"),
        "aud", s("alice")))));
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("cert", cert, "time", v("150e9"),
        "alg", s("RS256")))));
  }

  @Test
  void asymmetricSignaturesRoundTripThroughTheVerifiers() throws Exception {
    com.nimbusds.jose.jwk.ECKey ec = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384)
        .generate();
    Value esToken = call("io.jwt.encode_sign", v("{\"alg\": \"ES384\"}"), v("{\"sub\": \"x\"}"), v(ec.toJSONString()));
    assertValue("true", call("io.jwt.verify_es384", esToken, s(ec.toPublicJWK().toJSONString())));
    assertValue("false", call("io.jwt.verify_es256", esToken, s(ED_PUBLIC)));
    String jwks = "{\"keys\": [" + RSA_PUBLIC + "]}";
    for (String alg : java.util.List.of("RS256", "PS256", "PS512")) {
      Value token = call("io.jwt.encode_sign", v("{\"alg\": \"" + alg + "\", \"kid\": \"k1\"}"), v("{}"),
          v(RSA_KEY));
      assertValue("true", call("io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT), token, s(jwks)));
      assertValue("true", first(call("io.jwt.decode_verify", token, obj("cert", s(jwks), "alg", s(alg)))));
    }
  }

  @Test
  void hmacTokensVerifyWithTheSecretOnly() throws Exception {
    Value token = call("io.jwt.encode_sign", v("{\"alg\": \"HS256\"}"), v("{\"sub\": \"x\"}"),
        v("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}"));
    assertValue("true", call("io.jwt.verify_hs256", token, s("secret")));
    assertValue("false", call("io.jwt.verify_hs256", token, s("other")));
    assertValue("true", first(call("io.jwt.decode_verify", token, obj("secret", s("secret")))));
    assertValue("false", first(call("io.jwt.decode_verify", token, obj("secret", s("other")))));
  }

  @Test
  void criticalHeaderParametersMustBeUnderstood() throws Exception {
    Value secret = v("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}");
    Value unknownCritical = call("io.jwt.encode_sign", v("{\"alg\": \"HS256\", \"crit\": [\"foo\"], \"foo\": 1}"),
        v("{}"), secret);
    assertValue("false", first(call("io.jwt.decode_verify", unknownCritical, obj("secret", s("secret")))));
    Value knownCritical = call("io.jwt.encode_sign", v("{\"alg\": \"HS256\", \"crit\": [\"alg\"], \"foo\": 1}"),
        v("{}"), secret);
    assertValue("true", first(call("io.jwt.decode_verify", knownCritical, obj("secret", s("secret")))));
    Value emptyCrit = call("io.jwt.encode_sign", v("{\"alg\": \"HS256\", \"crit\": []}"), v("{}"), secret);
    fails(Kind.BUILTIN, "crit: must be a nonempty list", "io.jwt.decode_verify", emptyCrit, obj("secret", s("secret")));
  }

  @Test
  void malformedTokensAndConstraintsAreErrors() {
    fails(Kind.BUILTIN, "encoded JWT must have 3 sections, found 2", "io.jwt.decode", s("a.b"));
    fails(Kind.BUILTIN, "encoded JWT had no period separators", "io.jwt.decode", s("abc"));
    fails(Kind.BUILTIN, "JWT header had invalid encoding: illegal base64", "io.jwt.decode", s("!!.e30.e30"));
    fails(Kind.BUILTIN, "no key constraint", "io.jwt.decode_verify", s("a.b.c"), v("{}"));
    fails(Kind.BUILTIN, "unknown token validation constraint: foo", "io.jwt.decode_verify", s("a.b.c"),
        v("{\"foo\": 1}"));
    fails(Kind.BUILTIN, "failed to parse a JWK key (set)", "io.jwt.verify_rs256", s("e30.e30.e30"), s("{bad"));
    fails(Kind.BUILTIN, "unknown JWS algorithm: dummy", "io.jwt.encode_sign_raw", s("{\"alg\":\"dummy\"}"), s("{}"),
        s(HS_KEY));
    fails(Kind.BUILTIN, "missing or invalid 'alg' header: jwsbb: header \"alg\" not found", "io.jwt.encode_sign_raw",
        s("e"), s("{}"), s(HS_KEY));
    fails(Kind.BUILTIN, "type is JWT but payload is not JSON", "io.jwt.encode_sign_raw", s("{\"alg\":\"HS256\"}"),
        s("nope"), s(HS_KEY));
  }

  private static Value first(Value arr) { return ((dev.portcullis.rego.value.ArrayValue) arr).get(0); }

  private static Value obj(Object... kv) {
    java.util.Map<Value, Value> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(StringValue.of((String) kv[i]), (Value) kv[i + 1]);
    return dev.portcullis.rego.value.ObjectValue.of(m);
  }
}
