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
