package dev.portcullis.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.InvalidTokenException;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.protocol.Identity;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sign-in through the issuer's OpenID Connect authorization-code flow with PKCE (RFC 7636, S256): the
 * browser goes to the issuer with a code challenge, comes back with a code, and the gateway trades the code and its
 * verifier for an ID token, which must pass the same checks as any token of that issuer, carry the nonce of this
 * sign-in, and come from the configured issuer.
 */
final class OidcSignIn {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PENDING_FOR = Duration.ofMinutes(10);
  private static final int MAX_PENDING = 10_000;

  private record Pending(String verifier, String nonce, Instant until) {}

  private final GatewayConfig.Oidc oidc;
  private final URI redirectUri;
  private final TokenVerifier verifier;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  OidcSignIn(GatewayConfig.Oidc oidc, URI redirectUri, TokenVerifier verifier) {
    this.oidc = oidc;
    this.redirectUri = redirectUri;
    this.verifier = verifier;
  }

  /** Where to send the browser: the authorization endpoint with a fresh state, nonce and code challenge. */
  URI start() {
    Instant now = Instant.now();
    pending.values().removeIf(p -> p.until().isBefore(now));
    if (pending.size() >= MAX_PENDING) throw new IllegalStateException("too many sign-ins in progress; try again later");
    String state = SignIns.random(24);
    String codeVerifier = SignIns.random(48);
    String nonce = SignIns.random(24);
    pending.put(state, new Pending(codeVerifier, nonce, now.plus(PENDING_FOR)));
    Map<String, String> q = new LinkedHashMap<>();
    q.put("response_type", "code");
    q.put("client_id", oidc.clientId());
    q.put("redirect_uri", redirectUri.toString());
    q.put("scope", String.join(" ", oidc.scopes()));
    q.put("state", state);
    q.put("nonce", nonce);
    q.put("code_challenge", challenge(codeVerifier));
    q.put("code_challenge_method", "S256");
    String base = oidc.authorizationEndpoint().toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + form(q));
  }

  /** Trades the code for an ID token and checks it; returns the token, which then signs the reviewer in. */
  String finish(String code, String state) throws AdminException {
    Pending p = state == null ? null : pending.remove(state);
    if (p == null || p.until().isBefore(Instant.now())) {
      throw new AdminException(400, "unknown or expired sign-in state; start the sign-in again");
    }
    if (code == null || code.isBlank()) throw new AdminException(400, "the issuer returned no authorization code");
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", redirectUri.toString());
    body.put("client_id", oidc.clientId());
    body.put("code_verifier", p.verifier());
    if (oidc.clientSecretEnv() != null) {
      String secret = System.getenv(oidc.clientSecretEnv());
      if (secret == null) throw new AdminException(500, "admin.oidc.client_secret_env: " + oidc.clientSecretEnv() + " is not set");
      body.put("client_secret", secret);
    }
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(oidc.tokenEndpoint()).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AdminException(502, "the issuer's token endpoint cannot be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminException(503, "interrupted");
    }
    if (response.statusCode() != 200) {
      throw new AdminException(401, "the issuer refused the code (HTTP " + response.statusCode() + ")");
    }
    String idToken;
    try {
      idToken = JSON.readTree(response.body()).path("id_token").asText(null);
    } catch (IOException e) {
      idToken = null;
    }
    if (idToken == null) throw new AdminException(502, "the issuer's token response has no id_token");
    Identity identity;
    try {
      identity = verifier.verify(idToken);
    } catch (InvalidTokenException e) {
      throw new AdminException(401, "the ID token is refused: " + e.getMessage());
    }
    if (!identity.issuer().equals(oidc.issuer())) {
      throw new AdminException(401, "the ID token comes from " + identity.issuer() + ", not " + oidc.issuer());
    }
    try {
      Object nonce = SignedJWT.parse(idToken).getJWTClaimsSet().getClaim("nonce");
      if (!p.nonce().equals(nonce)) throw new AdminException(401, "the ID token does not carry this sign-in's nonce");
    } catch (ParseException e) {
      throw new AdminException(401, "the ID token's claims are malformed");
    }
    return idToken;
  }

  static String challenge(String codeVerifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    StringJoiner j = new StringJoiner("&");
    fields.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }
}
