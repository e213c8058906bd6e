package dev.portcullis.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevTokensTest {
  static final GatewayConfig EXAMPLE = load();

  static GatewayConfig load() {
    try {
      return GatewayConfig.load(Path.of("..", "examples", "postgres.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theExampleConfigTrustsTokensSignedWithTheDevelopmentKey() throws Exception {
    String token = DevTokens.issue(DevTokens.devIssuer(EXAMPLE), "cursor-agent", List.of("agents"), Duration.ofMinutes(15));
    Identity id = TokenVerifier.create(EXAMPLE.identity()).verify(token);
    assertEquals(new Identity("cursor-agent", "https://dev.portcullis.local", List.of("agents"), "jwt"), id);
    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals("portcullis-dev-1", jwt.getHeader().getKeyID());
    long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime();
    assertEquals(Duration.ofMinutes(15).toMillis(), ttl);
  }

  @Test
  void refusesWhenNoIssuerHasADevelopmentKey() throws Exception {
    GatewayConfig.Issuer i = DevTokens.devIssuer(EXAMPLE);
    GatewayConfig withoutKey = new GatewayConfig(EXAMPLE.file(), EXAMPLE.stateDir(), EXAMPLE.connections(),
        new GatewayConfig.IdentitySettings(List.of(new GatewayConfig.Issuer(i.issuer(), i.audiences(), null,
            i.jwksFile(), i.algorithms(), i.groupsClaim(), null)), Duration.ofSeconds(30)),
        EXAMPLE.policy(), EXAMPLE.ledger(), EXAMPLE.approvals(), EXAMPLE.plugins(), EXAMPLE.masking(), null, List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevTokens.devIssuer(withoutKey));
    assertTrue(e.getMessage().contains("no issuer has a dev_signing_key"), e.getMessage());
  }
}
