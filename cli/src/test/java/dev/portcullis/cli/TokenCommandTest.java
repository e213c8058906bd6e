package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.TokenVerifier;
import dev.portcullis.gateway.protocol.Identity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCommandTest {
  static final String EXAMPLE = Path.of("..", "examples", "postgres.yaml").toString();

  @Test
  void issuesATokenTheExampleGatewayTrustsAsTheLastLine() throws Exception {
    Run r = Run.of("token", "issue", "--config", EXAMPLE, "--subject", "cursor-agent", "--groups", "agents,readers", "--ttl", "2m");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("never use in production"), r.err());
    Identity id = TokenVerifier.create(GatewayConfig.load(Path.of(EXAMPLE)).identity()).verify(r.lastLine());
    assertEquals("cursor-agent", id.subject());
    assertEquals(List.of("agents", "readers"), id.groups());
  }

  @Test
  void refusesABadTtlAndABadConfig() {
    Run ttl = Run.of("token", "issue", "--config", EXAMPLE, "--subject", "s", "--ttl", "forever");
    assertEquals(2, ttl.exit());
    assertTrue(ttl.err().contains("--ttl: 'forever' is not a duration"), ttl.err());
    Run config = Run.of("token", "issue", "--config", "/nonexistent.yaml", "--subject", "s");
    assertEquals(2, config.exit());
    assertTrue(config.err().contains("cannot read"), config.err());
  }
}
