package dev.portcullis.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs tokens with an issuer's development key ({@code dev_signing_key}). For development and tests only: real
 * deployments trust an identity provider and configure no signing key.
 */
public final class DevTokens {
  private DevTokens() {}

  /** The first configured issuer with a development key; explains what to configure when there is none. */
  public static GatewayConfig.Issuer devIssuer(GatewayConfig config) {
    return config.identity().issuers().stream().filter(i -> i.devSigningKey() != null).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(config.file()
            + ": no issuer has a dev_signing_key, so tokens cannot be issued here (use your identity provider)"));
  }

  /** A token for the subject and groups, valid for {@code ttl} from now, for the issuer's first audience. */
  public static String issue(GatewayConfig.Issuer issuer, String subject, List<String> groups, Duration ttl)
      throws IOException {
    try {
      JWK key = JWK.parse(Files.readString(issuer.devSigningKey()));
      if (!key.isPrivate()) throw new IOException(issuer.devSigningKey() + ": not a private key");
      JWSAlgorithm alg = key.getAlgorithm() != null ? JWSAlgorithm.parse(key.getAlgorithm().getName())
          : JWSAlgorithm.parse(issuer.algorithms().get(0));
      JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(key, alg);
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder()
          .issuer(issuer.issuer()).audience(issuer.audiences().get(0)).subject(subject)
          .claim(issuer.groupsClaim(), groups).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
          .expirationTime(Date.from(now.plus(ttl))).jwtID(UUID.randomUUID().toString()).build();
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (ParseException e) {
      throw new IOException(issuer.devSigningKey() + ": not a JWK: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw new IOException(issuer.devSigningKey() + ": cannot sign: " + e.getMessage(), e);
    }
  }
}
