package dev.portcullis.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.MemoryLedger;
import dev.portcullis.gateway.testing.ScriptedEngine;
import dev.portcullis.gateway.testing.TestGateways;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in to the console through an OpenID Connect issuer's authorization-code flow with PKCE, against a small
 * local issuer (no real identity provider runs here) that checks the code verifier like a real one; and the admin
 * listener over TLS.
 */
class AdminSignInTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  HttpServer issuer;
  Gateway gateway;
  GatewayConfig config;
  final HttpClient http = HttpClient.newHttpClient();
  /** code -> {challenge, nonce} as the authorization endpoint saw them. */
  final Map<String, Map<String, String>> codes = new HashMap<>();
  volatile String nonceOverride;
  volatile String lastVerifier;

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
    if (issuer != null) issuer.stop(0);
  }

  /** A minimal issuer: /authorize approves at once; /token checks the PKCE verifier and signs an ID token. */
  void startIssuer() throws IOException {
    ECKey key = parseKey();
    issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    issuer.createContext("/authorize", x -> {
      Map<String, String> q = form(x.getRequestURI().getRawQuery());
      String code = "code-" + codes.size();
      codes.put(code, Map.of("challenge", q.get("code_challenge"), "method", q.get("code_challenge_method"),
          "nonce", q.get("nonce"), "redirect_uri", q.get("redirect_uri")));
      redirect(x, q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
    });
    issuer.createContext("/token", x -> {
      Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      Map<String, String> issued = codes.remove(f.get("code"));
      lastVerifier = f.get("code_verifier");
      if (issued == null || !issued.get("method").equals("S256")
          || !OidcSignIn.challenge(f.get("code_verifier")).equals(issued.get("challenge"))
          || !issued.get("redirect_uri").equals(f.get("redirect_uri")) || !"portcullis".equals(f.get("client_id"))) {
        reply(x, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      try {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://dev.portcullis.local").audience("portcullis")
            .subject("olivia").claim("groups", List.of("dba")).claim("nonce", nonceOverride != null ? nonceOverride
                : issued.get("nonce")).issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        reply(x, 200, "{\"id_token\":\"" + jwt.serialize() + "\",\"token_type\":\"Bearer\"}");
      } catch (Exception e) {
        reply(x, 500, "{}");
      }
    });
    issuer.start();
  }

  static ECKey parseKey() throws IOException {
    try {
      return (ECKey) JWK.parse(Files.readString(TestGateways.EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json")));
    } catch (java.text.ParseException e) {
      throw new IOException(e);
    }
  }

  void startGateway(String adminYaml) throws Exception {
    config = TestGateways.config(dir, adminYaml);
    CapturingModule module = new CapturingModule();
    gateway = Gateway.builder(config).module(module).ledger(new MemoryLedger()).policyEngine(new ScriptedEngine()).start();
  }

  HttpResponse<String> get(URI uri, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (cookie != null) b.header("Cookie", cookie);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String oidcYaml() {
    String base = "http://127.0.0.1:" + issuer.getAddress().getPort();
    return """
        admin:
          listen: 127.0.0.1:0
          groups: [dba]
          oidc:
            issuer: https://dev.portcullis.local
            authorization_endpoint: %s/authorize
            token_endpoint: %s/token
            client_id: portcullis
        """.formatted(base, base);
  }

  @Test
  void aReviewerSignsInThroughTheIssuerWithPkce() throws Exception {
    startIssuer();
    startGateway(oidcYaml());
    URI console = gateway.consoleUrl();
    assertTrue(JSON.readTree(get(console.resolve("api/sign-in"), null).body()).path("oidc").asBoolean());

    HttpResponse<String> login = get(console.resolve("auth/login"), null);
    assertEquals(302, login.statusCode());
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    Map<String, String> q = form(authorize.getRawQuery());
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(console.resolve("auth/callback").toString(), q.get("redirect_uri"));
    assertEquals("openid profile", q.get("scope"));

    HttpResponse<String> back = get(authorize, null);
    URI callback = URI.create(back.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> done = get(callback, null);
    assertEquals(302, done.statusCode(), done.body());
    assertEquals(console.toString(), done.headers().firstValue("Location").orElseThrow());
    assertEquals(43, OidcSignIn.challenge(lastVerifier).length());
    String cookie = done.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<String> me = get(console.resolve("api/me"), cookie);
    assertEquals(200, me.statusCode());
    assertEquals("olivia", JSON.readTree(me.body()).path("subject").asText());

    HttpResponse<String> replay = get(callback, null);
    assertEquals(400, replay.statusCode(), "a state is used once");
    assertTrue(replay.body().contains("unknown or expired sign-in state"), replay.body());
  }

  @Test
  void anIdTokenWithAnotherSignInsNonceIsRefused() throws Exception {
    startIssuer();
    startGateway(oidcYaml());
    nonceOverride = "someone-elses-nonce";
    URI authorize = URI.create(get(gateway.consoleUrl().resolve("auth/login"), null).headers().firstValue("Location").orElseThrow());
    URI callback = URI.create(get(authorize, null).headers().firstValue("Location").orElseThrow());
    HttpResponse<String> done = get(callback, null);
    assertEquals(401, done.statusCode());
    assertTrue(done.body().contains("the ID token does not carry this sign-in's nonce"), done.body());
    assertTrue(done.headers().firstValue("Set-Cookie").isEmpty());
  }

  @Test
  void withoutOidcTheConsoleOffersTokenPasteOnly() throws Exception {
    startGateway("""
        admin:
          listen: 127.0.0.1:0
          groups: [dba]
        """);
    assertTrue(!JSON.readTree(get(gateway.consoleUrl().resolve("api/sign-in"), null).body()).path("oidc").asBoolean());
    HttpResponse<String> login = get(gateway.consoleUrl().resolve("auth/login"), null);
    assertEquals(404, login.statusCode());
    assertTrue(login.body().contains("no OIDC sign-in is configured"), login.body());
  }

  @Test
  void theAdminListenerServesTlsWhenConfigured() throws Exception {
    Path store = dir.resolve("admin.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-validity", "2", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
        new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    Certificate cert = keys.getCertificate("admin");
    Files.writeString(dir.resolve("admin.crt"), pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(dir.resolve("admin.key"), pem("PRIVATE KEY", keys.getKey("admin", "changeit".toCharArray()).getEncoded()));
    startGateway("""
        admin:
          listen: 127.0.0.1:0
          groups: [dba]
          tls: {certificate_file: admin.crt, key_file: admin.key}
        """);
    assertEquals("https", gateway.consoleUrl().getScheme());
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("admin", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
    HttpResponse<String> health = https.send(HttpRequest.newBuilder(gateway.consoleUrl().resolve("healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    HttpResponse<String> signIn = https.send(HttpRequest.newBuilder(gateway.consoleUrl().resolve("api/session"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"token\":\"" + TestGateways.token(config, "alice", "dba") + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, signIn.statusCode(), signIn.body());
    assertTrue(signIn.headers().firstValue("Set-Cookie").orElseThrow().contains("; Secure"), "cookies stay on TLS");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void redirect(HttpExchange x, String location) throws IOException {
    x.getResponseHeaders().set("Location", location);
    x.sendResponseHeaders(302, -1);
    x.close();
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }
}
