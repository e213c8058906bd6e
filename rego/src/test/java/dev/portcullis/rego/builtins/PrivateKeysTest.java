package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PrivateKeysTest {
  private static final BuiltinTable TABLE = BuiltinTable.standard();

  private static Value call(String name, String arg) throws BuiltinException {
    return TABLE.lookup(name).fn().call(null, new Value[] {StringValue.of(arg)});
  }

  private static String pem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void rsaPrivateKeyBecomesAJwkFromPemOrBase64OfPem() throws Exception {
    String pem = pem();
    ObjectValue jwk = (ObjectValue) call("crypto.x509.parse_rsa_private_key", pem);
    assertEquals(StringValue.of("RSA"), jwk.get("kty"));
    assertEquals(jwk, call("crypto.x509.parse_rsa_private_key", Base64.getEncoder().encodeToString(pem.getBytes())));
    assertEquals(1, ((ArrayValue) call("crypto.parse_private_keys", pem + pem.substring(0, 10))).size());
  }

  @Test
  void badInputIsAnErrorOrEmpty() throws Exception {
    BuiltinException e = assertThrows(BuiltinException.class, () -> call("crypto.x509.parse_rsa_private_key", "invalid"));
    assertEquals("illegal base64 data at input byte 4", e.getMessage());
    assertEquals(ArrayValue.EMPTY, call("crypto.parse_private_keys", "nope"));
    assertEquals(NullValue.INSTANCE, call("crypto.parse_private_keys", ""));
  }
}
