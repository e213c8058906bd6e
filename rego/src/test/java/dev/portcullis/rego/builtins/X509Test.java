package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class X509Test {
  private static final BuiltinTable TABLE = BuiltinTable.standard();

  private static Value parse(String in) throws BuiltinException {
    return TABLE.lookup("crypto.x509.parse_certificates").fn().call(null, new Value[] {StringValue.of(in)});
  }

  @Test
  void certificatesExposeGoFieldNames() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=opa.example, O=Example");
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(42), new Date(0),
        new Date(4_000_000_000_000L), name, kp.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "opa.example"),
        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.com/opa")}));
    byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
    String keyPem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    ObjectValue pair = (ObjectValue) TABLE.lookup("crypto.x509.parse_keypair").fn()
        .call(null, new Value[] {StringValue.of(pem), StringValue.of(keyPem)});
    assertEquals(ArrayValue.of(StringValue.of(Base64.getEncoder().encodeToString(der))), pair.get("Certificate"));
    for (String in : new String[] {pem, Base64.getEncoder().encodeToString(der),
        Base64.getEncoder().encodeToString(pem.getBytes())}) {
      ObjectValue cert = (ObjectValue) ((ArrayValue) parse(in)).get(0);
      assertEquals(StringValue.of("opa.example"), ((ObjectValue) cert.get("Subject")).get("CommonName"));
      assertEquals(NumberValue.of(42), cert.get("SerialNumber"));
      assertEquals(ArrayValue.of(StringValue.of("spiffe://example.com/opa")), cert.get("URIStrings"));
      assertEquals(ArrayValue.of(StringValue.of("opa.example")), cert.get("DNSNames"));
      assertEquals(StringValue.of("1970-01-01T00:00:00Z"), cert.get("NotBefore"));
    }
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    return g.generateKeyPair();
  }

  private static String pem(X500Name subject, X500Name issuer, KeyPair subjectKey, KeyPair issuerKey, boolean ca)
      throws Exception {
    var b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()),
        new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 3_600_000), subject,
        subjectKey.getPublic());
    if (ca) b.addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
    byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate())).getEncoded();
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE-----\n";
  }

  @Test
  void chainsVerifyAgainstTheirLastCertificate() throws Exception {
    KeyPair rootKey = rsa(), leafKey = rsa(), otherKey = rsa();
    X500Name root = new X500Name("CN=root"), leaf = new X500Name("CN=leaf"), other = new X500Name("CN=other");
    String rootPem = pem(root, root, rootKey, rootKey, true);
    String leafPem = pem(leaf, root, leafKey, rootKey, false);
    String otherPem = pem(other, other, otherKey, otherKey, true);
    Builtin verify = TABLE.lookup("crypto.x509.parse_and_verify_certificates").fn();
    ArrayValue ok = (ArrayValue) verify.call(null, new Value[] {StringValue.of(leafPem + rootPem)});
    assertEquals(dev.portcullis.rego.value.BooleanValue.TRUE, ok.get(0));
    assertEquals(2, ((ArrayValue) ok.get(1)).size());
    ArrayValue bad = (ArrayValue) verify.call(null, new Value[] {StringValue.of(leafPem + otherPem)});
    assertEquals(dev.portcullis.rego.value.BooleanValue.FALSE, bad.get(0));
  }

  @Test
  void malformedInputIsABuiltinError() {
    assertEquals("x509: malformed certificate",
        assertThrows(BuiltinException.class, () -> parse("YmFkc3RyaW5n")).getMessage());
    assertEquals("illegal base64 data at input byte 4",
        assertThrows(BuiltinException.class, () -> parse("foobar")).getMessage());
  }
}
