package dev.portcullis.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.Identity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
  static final String ISS = "https://issuer.test";
  static ECKey trusted;
  static ECKey stranger;
  static RSAKey rsa;
  static TokenVerifier verifier;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    trusted = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    stranger = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(List.of(trusted.toPublicJWK(), rsa.toPublicJWK())).toString());
    verifier = TokenVerifier.create(new GatewayConfig.IdentitySettings(List.of(
        new GatewayConfig.Issuer(ISS, List.of("portcullis"), null, jwks, List.of("ES256"), "groups", null)),
        Duration.ofSeconds(30)));
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISS).audience("portcullis").subject("cursor-agent")
        .claim("groups", List.of("agents")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
  }

  static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static String refusal(String token) {
    return assertThrows(InvalidTokenException.class, () -> verifier.verify(token)).getMessage();
  }

  @Test
  void aValidTokenGivesSubjectIssuerAndGroups() throws Exception {
    Identity id = verifier.verify(es256(trusted, claims().build()));
    assertEquals(new Identity("cursor-agent", ISS, List.of("agents"), "jwt"), id);
  }

  @Test
  void groupsMayBeOneSpaceSeparatedText() throws Exception {
    Identity id = verifier.verify(es256(trusted, claims().claim("groups", "dba agents").build()));
    assertEquals(List.of("dba", "agents"), id.groups());
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    Instant past = Instant.now().minusSeconds(120);
    String m = refusal(es256(trusted, claims().issueTime(Date.from(past.minusSeconds(60))).expirationTime(Date.from(past)).build()));
    assertTrue(m.contains("Expired JWT"), m);
  }

  @Test
  void acceptsATokenExpiredWithinTheClockSkew() throws Exception {
    Instant justNow = Instant.now().minusSeconds(5);
    verifier.verify(es256(trusted, claims().expirationTime(Date.from(justNow)).build()));
  }

  @Test
  void refusesATokenNotYetValid() throws Exception {
    String m = refusal(es256(trusted, claims().notBeforeTime(Date.from(Instant.now().plusSeconds(300))).build()));
    assertTrue(m.contains("before use time"), m);
  }

  @Test
  void refusesAnotherAudience() throws Exception {
    String m = refusal(es256(trusted, claims().audience("someone-else").build()));
    assertTrue(m.contains("audience"), m);
  }

  @Test
  void refusesAnUnknownIssuer() throws Exception {
    assertEquals("token issuer 'https://evil.test' is not trusted", refusal(es256(trusted, claims().issuer("https://evil.test").build())));
    assertEquals("token issuer missing", refusal(es256(trusted, claims().issuer(null).build())));
  }

  @Test
  void refusesATokenWithoutSubjectOrExpiry() throws Exception {
    assertTrue(refusal(es256(trusted, claims().subject(null).build())).contains("sub"));
    assertTrue(refusal(es256(trusted, claims().expirationTime(null).build())).contains("exp"));
  }

  @Test
  void refusesASignatureByAnotherKey() throws Exception {
    String m = refusal(es256(stranger, claims().build()));
    assertTrue(m.contains("Signed JWT rejected"), m);
  }

  @Test
  void refusesAlgNone() {
    assertEquals("token is not signed (alg none and encrypted tokens are refused)",
        refusal(new PlainJWT(claims().build()).serialize()));
  }

  @Test
  void refusesHmacSignedWithThePublicKey() throws Exception {
    // The classic confusion attack: the published public key used as an HMAC secret.
    byte[] secret = rsa.toPublicJWK().toRSAPublicKey().getEncoded();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("r1").build(), claims().build());
    jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(32, secret.length))));
    String m = refusal(jwt.serialize());
    assertTrue(m.contains("rejected"), m);
  }

  @Test
  void refusesAnAlgorithmOutsideTheAllowList() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r1").build(), claims().build());
    jwt.sign(new RSASSASigner(rsa));
    String m = refusal(jwt.serialize());
    assertTrue(m.contains("rejected"), m);
  }

  @Test
  void refusesGarbageAndTamperedTokens() throws Exception {
    assertEquals("no token given", refusal(""));
    assertEquals("token is not a JWT", refusal("hunter2"));
    assertEquals("token is not a JWT", refusal("a.b.c"));
    String good = es256(trusted, claims().build());
    String[] parts = good.split("\\.");
    String forged = parts[0] + "." + Base64URL.encode(claims().subject("admin").build().toString()
        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertTrue(refusal(forged).contains("rejected"));
    assertTrue(refusal("x".repeat(20_000)).startsWith("token longer than"));
  }

  @Test
  void fetchesKeysFromAJwksUrl() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = new JWKSet(trusted.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    server.createContext("/jwks", ex -> {
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
      TokenVerifier remote = TokenVerifier.create(new GatewayConfig.IdentitySettings(List.of(
          new GatewayConfig.Issuer(ISS, List.of("portcullis"), url, null, List.of("ES256"), "groups", null)),
          Duration.ofSeconds(30)));
      assertEquals("cursor-agent", remote.verify(es256(trusted, claims().build())).subject());
      assertThrows(InvalidTokenException.class, () -> remote.verify(es256(stranger, claims().build())));
    } finally {
      server.stop(0);
    }
  }
}
