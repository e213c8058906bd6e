package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.ArrayValue;
import dev.portcullis.rego.value.BooleanValue;
import dev.portcullis.rego.value.NullValue;
import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code crypto.x509.parse_certificates}, {@code crypto.x509.parse_certificate_request} and
 * {@code crypto.x509.parse_keypair}. The result objects carry
 * the fields of Go's {@code x509.Certificate} JSON that policies read — Version, SerialNumber, Subject and Issuer
 * (pkix.Name with Names), NotBefore/NotAfter, DNSNames, EmailAddresses, IPAddresses, URIStrings, IsCA,
 * BasicConstraintsValid, MaxPathLen, KeyUsage, SubjectKeyId, AuthorityKeyId and the raw DER — with Go's names and
 * encodings. Go's PublicKey, Extensions and parsed URIs are not reproduced.
 */
final class X509 {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([\\s\\S]*?)-----END \\1-----");
  private static final Map<String, String> NAME_FIELDS = Map.of("2.5.4.6", "Country", "2.5.4.10", "Organization",
      "2.5.4.11", "OrganizationalUnit", "2.5.4.7", "Locality", "2.5.4.8", "Province", "2.5.4.9", "StreetAddress",
      "2.5.4.17", "PostalCode");
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private X509() {}

  static void register(BuiltinTable t) {
    t.register("crypto.x509.parse_certificates", 1, (ctx, a) -> {
      byte[] der = input(Args.string(a, 0), "CERTIFICATE");
      Collection<? extends java.security.cert.Certificate> certs;
      try {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der));
      } catch (Exception e) {
        throw BuiltinException.error("x509: malformed certificate");
      }
      if (certs.isEmpty()) throw BuiltinException.error("x509: malformed certificate");
      List<Value> out = new ArrayList<>();
      for (java.security.cert.Certificate c : certs) out.add(certificate((X509Certificate) c));
      return new ArrayValue(out);
    });
    t.register("crypto.x509.parse_and_verify_certificates", 1, (ctx, a) -> {
      Value invalid = ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
      List<X509Certificate> certs;
      try {
        certs = new ArrayList<>();
        for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(input(Args.string(a, 0), "CERTIFICATE")))) {
          certs.add((X509Certificate) c);
        }
      } catch (BuiltinException e) {
        if (e.kind() == BuiltinException.Kind.TYPE) throw e;
        return invalid;
      } catch (Exception e) {
        return invalid;
      }
      if (certs.size() < 2 || !verifies(certs)) return invalid;
      List<Value> out = new ArrayList<>();
      for (X509Certificate c : certs) out.add(certificate(c));
      return ArrayValue.of(BooleanValue.TRUE, new ArrayValue(out));
    });
    t.register("crypto.x509.parse_keypair", 2, (ctx, a) -> keyPair(Args.string(a, 0), Args.string(a, 1)));
    t.register("crypto.x509.parse_certificate_request", 1, (ctx, a) -> {
      byte[] der = input(Args.string(a, 0), "CERTIFICATE REQUEST");
      try {
        return request(new PKCS10CertificationRequest(der));
      } catch (Exception e) {
        throw BuiltinException.error("x509: malformed certificate request");
      }
    });
  }

  /**
   * Go's {@code x509.Certificate.Verify} as OPA calls it: the last certificate is the root, the ones between are
   * intermediates, the first is the leaf; validity periods are checked now and the leaf must allow server auth.
   */
  private static boolean verifies(List<X509Certificate> certs) {
    try {
      X509Certificate root = certs.get(certs.size() - 1);
      java.security.cert.PKIXParameters params = new java.security.cert.PKIXParameters(
          Set.of(new java.security.cert.TrustAnchor(root, null)));
      params.setRevocationEnabled(false);
      java.security.cert.CertPath path = CertificateFactory.getInstance("X.509")
          .generateCertPath(certs.subList(0, certs.size() - 1));
      java.security.cert.CertPathValidator.getInstance("PKIX").validate(path, params);
      root.checkValidity();
      List<String> eku = certs.get(0).getExtendedKeyUsage();
      return eku == null || eku.contains("1.3.6.1.5.5.7.3.1") || eku.contains("2.5.29.37.0");
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Go's {@code tls.X509KeyPair} as OPA returns it: the certificate chain (base64 DER), the parsed leaf and the
   * RSA or EC private key's exported numbers. The key must match the leaf's public key.
   */
  private static Value keyPair(String certIn, String keyIn) throws BuiltinException {
    byte[] der = input(certIn, "CERTIFICATE");
    List<Value> chain = new ArrayList<>();
    X509Certificate leaf;
    try {
      Collection<? extends java.security.cert.Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der));
      if (certs.isEmpty()) throw BuiltinException.error("tls: failed to find any PEM data in certificate input");
      for (java.security.cert.Certificate c : certs) chain.add(b64(c.getEncoded()));
      leaf = (X509Certificate) certs.iterator().next();
    } catch (BuiltinException e) {
      throw e;
    } catch (Exception e) {
      throw BuiltinException.error("x509: malformed certificate");
    }
    String keyPem = keyIn.startsWith("-----BEGIN") ? keyIn : new String(decode(keyIn), StandardCharsets.UTF_8);
    java.security.PrivateKey key;
    try {
      com.nimbusds.jose.jwk.JWK jwk = com.nimbusds.jose.jwk.JWK.parseFromPEMEncodedObjects(keyPem);
      if (jwk instanceof com.nimbusds.jose.jwk.RSAKey rsa && rsa.isPrivate()) {
        if (!rsa.toRSAPublicKey().equals(leaf.getPublicKey())) {
          throw BuiltinException.error("tls: private key does not match public key");
        }
        key = rsa.toPrivateKey();
      } else if (jwk instanceof com.nimbusds.jose.jwk.ECKey ec && ec.isPrivate()) {
        if (!ec.toECPublicKey().equals(leaf.getPublicKey())) {
          throw BuiltinException.error("tls: private key does not match public key");
        }
        key = ec.toPrivateKey();
      } else {
        throw BuiltinException.error("tls: failed to parse private key");
      }
    } catch (BuiltinException e) {
      throw e;
    } catch (Exception e) {
      throw BuiltinException.error("tls: failed to parse private key");
    }
    Map<Value, Value> out = new LinkedHashMap<>();
    out.put(StringValue.of("Certificate"), new ArrayValue(chain));
    out.put(StringValue.of("PrivateKey"), privateKey(key));
    out.put(StringValue.of("Leaf"), certificate(leaf));
    return ObjectValue.wrap(out);
  }

  private static Value privateKey(java.security.PrivateKey key) {
    Map<Value, Value> m = new LinkedHashMap<>();
    if (key instanceof java.security.interfaces.RSAPrivateCrtKey k) {
      m.put(StringValue.of("N"), NumberValue.of(k.getModulus()));
      m.put(StringValue.of("E"), NumberValue.of(k.getPublicExponent()));
      m.put(StringValue.of("D"), NumberValue.of(k.getPrivateExponent()));
      m.put(StringValue.of("Primes"), ArrayValue.of(NumberValue.of(k.getPrimeP()), NumberValue.of(k.getPrimeQ())));
      Map<Value, Value> pre = new LinkedHashMap<>();
      pre.put(StringValue.of("Dp"), NumberValue.of(k.getPrimeExponentP()));
      pre.put(StringValue.of("Dq"), NumberValue.of(k.getPrimeExponentQ()));
      pre.put(StringValue.of("Qinv"), NumberValue.of(k.getCrtCoefficient()));
      pre.put(StringValue.of("CRTValues"), ArrayValue.EMPTY);
      m.put(StringValue.of("Precomputed"), ObjectValue.wrap(pre));
    } else if (key instanceof java.security.interfaces.ECPrivateKey k) {
      m.put(StringValue.of("D"), NumberValue.of(k.getS()));
    }
    return ObjectValue.wrap(m);
  }

  private static byte[] decode(String in) throws BuiltinException {
    String compact = in.replaceAll("\\s", "");
    if (compact.length() % 4 != 0) {
      throw BuiltinException.error("illegal base64 data at input byte " + (compact.length() - compact.length() % 4));
    }
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw BuiltinException.error("illegal base64 data: " + e.getMessage());
    }
  }

  /** DER bytes from PEM text, base64 of PEM, or base64 of DER (OPA's accepted forms). */
  private static byte[] input(String in, String pemType) throws BuiltinException {
    String text = in;
    if (!in.startsWith("-----BEGIN")) {
      byte[] raw = decode(in);
      text = new String(raw, StandardCharsets.ISO_8859_1);
      if (!text.startsWith("-----BEGIN")) return raw;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(pemType) && !(pemType.equals("CERTIFICATE REQUEST") && m.group(1).equals("NEW CERTIFICATE REQUEST"))) {
        continue;
      }
      try {
        out.writeBytes(Base64.getMimeDecoder().decode(m.group(2)));
      } catch (IllegalArgumentException e) {
        throw BuiltinException.error("failed to decode PEM block: " + e.getMessage());
      }
    }
    if (out.size() == 0) throw BuiltinException.error("failed to find a PEM " + pemType.toLowerCase() + " block");
    return out.toByteArray();
  }

  private static Value certificate(X509Certificate c) throws BuiltinException {
    try {
      Map<String, Value> m = new LinkedHashMap<>();
      m.put("Raw", b64(c.getEncoded()));
      m.put("RawTBSCertificate", b64(c.getTBSCertificate()));
      m.put("RawSubjectPublicKeyInfo", b64(c.getPublicKey().getEncoded()));
      m.put("RawSubject", b64(c.getSubjectX500Principal().getEncoded()));
      m.put("RawIssuer", b64(c.getIssuerX500Principal().getEncoded()));
      m.put("Signature", b64(c.getSignature()));
      m.put("Version", NumberValue.of(c.getVersion()));
      m.put("SerialNumber", NumberValue.of(c.getSerialNumber()));
      m.put("Issuer", name(X500Name.getInstance(c.getIssuerX500Principal().getEncoded())));
      m.put("Subject", name(X500Name.getInstance(c.getSubjectX500Principal().getEncoded())));
      m.put("NotBefore", StringValue.of(RFC3339.format(Instant.ofEpochMilli(c.getNotBefore().getTime()))));
      m.put("NotAfter", StringValue.of(RFC3339.format(Instant.ofEpochMilli(c.getNotAfter().getTime()))));
      m.put("KeyUsage", NumberValue.of(keyUsage(c.getKeyUsage())));
      int pathLen = c.getBasicConstraints();
      boolean basic = c.getExtensionValue("2.5.29.19") != null;
      m.put("BasicConstraintsValid", BooleanValue.of(basic));
      m.put("IsCA", BooleanValue.of(pathLen >= 0));
      m.put("MaxPathLen", NumberValue.of(pathLen == Integer.MAX_VALUE || pathLen < 0 ? -1 : pathLen));
      m.put("MaxPathLenZero", BooleanValue.of(pathLen == 0));
      m.put("SubjectKeyId", octets(c.getExtensionValue("2.5.29.14"), false));
      m.put("AuthorityKeyId", octets(c.getExtensionValue("2.5.29.35"), true));
      sans(c.getExtensionValue("2.5.29.17"), m);
      Map<Value, Value> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(StringValue.of(k), v));
      return ObjectValue.wrap(out);
    } catch (Exception e) {
      throw BuiltinException.error("x509: malformed certificate");
    }
  }

  private static Value request(PKCS10CertificationRequest r) throws Exception {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("Raw", b64(r.getEncoded()));
    m.put("RawTBSCertificateRequest", b64(r.toASN1Structure().getCertificationRequestInfo().getEncoded()));
    m.put("RawSubjectPublicKeyInfo", b64(r.getSubjectPublicKeyInfo().getEncoded()));
    m.put("RawSubject", b64(r.getSubject().getEncoded()));
    m.put("Signature", b64(r.getSignature()));
    m.put("Version", NumberValue.of(r.toASN1Structure().getCertificationRequestInfo().getVersion().intValueExact()));
    m.put("Subject", name(r.getSubject()));
    Extensions ext = null;
    for (org.bouncycastle.asn1.pkcs.Attribute attr : r.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      ext = Extensions.getInstance(attr.getAttrValues().getObjectAt(0));
    }
    byte[] san = null;
    if (ext != null && ext.getExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName) != null) {
      san = new org.bouncycastle.asn1.DEROctetString(
          ext.getExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName).getExtnValue().getOctets())
          .getEncoded();
    }
    sans(san, m);
    Map<Value, Value> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(StringValue.of(k), v));
    return ObjectValue.wrap(out);
  }

  private static Value b64(byte[] b) { return StringValue.of(Base64.getEncoder().encodeToString(b)); }

  /** Go's pkix.Name: the well-known attributes as string lists (null when absent), CommonName, and every RDN. */
  private static Value name(X500Name n) {
    Map<String, List<Value>> lists = new LinkedHashMap<>();
    for (String f : List.of("Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress",
        "PostalCode")) {
      lists.put(f, new ArrayList<>());
    }
    String cn = "", serial = "";
    List<Value> names = new ArrayList<>();
    for (RDN rdn : n.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String oid = atv.getType().getId();
        String value = text(atv.getValue());
        Map<Value, Value> entry = new LinkedHashMap<>();
        entry.put(StringValue.of("Type"), oid(atv.getType()));
        entry.put(StringValue.of("Value"), StringValue.of(value));
        names.add(ObjectValue.wrap(entry));
        if (oid.equals("2.5.4.3")) cn = value;
        else if (oid.equals("2.5.4.5")) serial = value;
        else if (NAME_FIELDS.containsKey(oid)) lists.get(NAME_FIELDS.get(oid)).add(StringValue.of(value));
      }
    }
    Map<Value, Value> out = new LinkedHashMap<>();
    lists.forEach((k, v) -> out.put(StringValue.of(k), v.isEmpty() ? NullValue.INSTANCE : new ArrayValue(v)));
    out.put(StringValue.of("SerialNumber"), StringValue.of(serial));
    out.put(StringValue.of("CommonName"), StringValue.of(cn));
    out.put(StringValue.of("Names"), names.isEmpty() ? NullValue.INSTANCE : new ArrayValue(names));
    out.put(StringValue.of("ExtraNames"), NullValue.INSTANCE);
    return ObjectValue.wrap(out);
  }

  private static String text(ASN1Encodable v) { return v instanceof ASN1String s ? s.getString() : v.toString(); }

  private static Value oid(ASN1ObjectIdentifier id) {
    List<Value> parts = new ArrayList<>();
    for (String p : id.getId().split("\\.")) parts.add(NumberValue.of(Long.parseLong(p)));
    return new ArrayValue(parts);
  }

  /** Go's KeyUsage bit set: bit i of the value is usage i of the extension. */
  private static long keyUsage(boolean[] bits) {
    if (bits == null) return 0;
    long v = 0;
    for (int i = 0; i < bits.length && i < 9; i++) if (bits[i]) v |= 1L << i;
    return v;
  }

  private static Value octets(byte[] extension, boolean authority) throws java.io.IOException {
    if (extension == null) return NullValue.INSTANCE;
    byte[] inner = org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets();
    byte[] id = authority
        ? org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(inner).getKeyIdentifier()
        : org.bouncycastle.asn1.ASN1OctetString.getInstance(inner).getOctets();
    return id == null ? NullValue.INSTANCE : b64(id);
  }

  /** Subject alternative names into Go's DNSNames, EmailAddresses, IPAddresses and OPA's URIStrings. */
  private static void sans(byte[] extension, Map<String, Value> m) throws java.io.IOException {
    List<Value> dns = new ArrayList<>(), emails = new ArrayList<>(), ips = new ArrayList<>(), uris = new ArrayList<>();
    if (extension != null) {
      byte[] inner = org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets();
      for (GeneralName g : GeneralNames.getInstance(inner).getNames()) {
        switch (g.getTagNo()) {
          case GeneralName.dNSName -> dns.add(StringValue.of(text(g.getName())));
          case GeneralName.rfc822Name -> emails.add(StringValue.of(text(g.getName())));
          case GeneralName.uniformResourceIdentifier -> uris.add(StringValue.of(text(g.getName())));
          case GeneralName.iPAddress -> {
            byte[] addr = org.bouncycastle.asn1.ASN1OctetString.getInstance(g.getName()).getOctets();
            ips.add(StringValue.of(java.net.InetAddress.getByAddress(addr).getHostAddress()));
          }
          default -> { }
        }
      }
    }
    m.put("DNSNames", dns.isEmpty() ? NullValue.INSTANCE : new ArrayValue(dns));
    m.put("EmailAddresses", emails.isEmpty() ? NullValue.INSTANCE : new ArrayValue(emails));
    m.put("IPAddresses", ips.isEmpty() ? NullValue.INSTANCE : new ArrayValue(ips));
    m.put("URIStrings", uris.isEmpty() ? NullValue.INSTANCE : new ArrayValue(uris));
  }
}
