package dev.portcullis.gateway.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.Identity;
import java.io.IOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies identity tokens (JWTs) against the configured issuers: signature by a key of the issuer's JWKS with an
 * allowed public-key algorithm, {@code exp}/{@code nbf} within the clock skew, {@code iss}, {@code aud}, and a
 * subject. Thread-safe.
 */
public final class TokenVerifier {
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private static final int JWKS_TIMEOUT_MILLIS = 5_000;

  private record Trusted(GatewayConfig.Issuer issuer, DefaultJWTProcessor<SecurityContext> processor) {}

  private final Map<String, Trusted> byIssuer = new HashMap<>();

  private TokenVerifier() {}

  /** Loads every issuer's keys (JWKS files now, JWKS URLs on first use, then cached). */
  public static TokenVerifier create(GatewayConfig.IdentitySettings settings) throws IOException {
    TokenVerifier verifier = new TokenVerifier();
    for (GatewayConfig.Issuer issuer : settings.issuers()) {
      verifier.byIssuer.put(issuer.issuer(), new Trusted(issuer, processor(issuer, settings.clockSkew().toSeconds())));
    }
    return verifier;
  }

  private static DefaultJWTProcessor<SecurityContext> processor(GatewayConfig.Issuer issuer, long skewSeconds)
      throws IOException {
    JWKSource<SecurityContext> keys;
    if (issuer.jwksFile() != null) {
      try {
        // Only public keys ever verify: a private or symmetric key in the file must not become a verification key.
        keys = new ImmutableJWKSet<>(JWKSet.load(issuer.jwksFile().toFile()).toPublicJWKSet());
      } catch (ParseException e) {
        throw new IOException(issuer.jwksFile() + ": not a JWK set: " + e.getMessage(), e);
      }
    } else {
      try {
        // Generous timeouts: the keys are fetched once and cached, and a slow identity provider must not
        // refuse every login while it answers.
        keys = JWKSourceBuilder.create(issuer.jwksUrl().toURL(),
            new DefaultResourceRetriever(JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, 1024 * 1024)).build();
      } catch (MalformedURLException e) {
        throw new IOException(issuer.jwksUrl() + ": " + e.getMessage(), e);
      }
    }
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    issuer.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        new HashSet<>(issuer.audiences()), new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(),
        Set.of("sub", "exp"), null);
    claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, skewSeconds));
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }

  /** The identity a valid token carries; otherwise an exception whose message says what is wrong. */
  public Identity verify(String token) throws InvalidTokenException {
    if (token == null || token.isBlank()) throw new InvalidTokenException("no token given");
    if (token.length() > MAX_TOKEN_LENGTH) throw new InvalidTokenException("token longer than " + MAX_TOKEN_LENGTH + " characters");
    JWT jwt;
    try {
      jwt = JWTParser.parse(token.trim());
    } catch (ParseException e) {
      throw new InvalidTokenException("token is not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) throw new InvalidTokenException("token is not signed (alg none and encrypted tokens are refused)");
    String iss;
    try {
      iss = signed.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw new InvalidTokenException("token claims are malformed");
    }
    Trusted trusted = iss == null ? null : byIssuer.get(iss);
    if (trusted == null) throw new InvalidTokenException("token issuer " + (iss == null ? "missing" : "'" + iss + "' is not trusted"));
    JWTClaimsSet claims;
    try {
      claims = trusted.processor().process(signed, null);
    } catch (BadJOSEException e) {
      throw new InvalidTokenException("token rejected: " + e.getMessage());
    } catch (JOSEException e) {
      throw new InvalidTokenException("token could not be verified: " + e.getMessage());
    }
    return new Identity(claims.getSubject(), iss, groups(claims, trusted.issuer().groupsClaim()), "jwt");
  }

  private static List<String> groups(JWTClaimsSet claims, String claim) throws InvalidTokenException {
    Object value = claims.getClaim(claim);
    List<String> groups = new ArrayList<>();
    if (value == null) return groups;
    if (value instanceof String s) {
      for (String g : s.split("[,\\s]+")) if (!g.isEmpty()) groups.add(g);
      return groups;
    }
    if (value instanceof List<?> list) {
      for (Object g : list) {
        if (!(g instanceof String s)) throw new InvalidTokenException("claim '" + claim + "' must hold texts");
        groups.add(s);
      }
      return groups;
    }
    throw new InvalidTokenException("claim '" + claim + "' must be a list of texts");
  }
}
