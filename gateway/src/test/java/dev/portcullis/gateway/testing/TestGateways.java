package dev.portcullis.gateway.testing;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Configurations in a temp folder that trust the example development key. */
public final class TestGateways {
  private TestGateways() {}

  public static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  /** A config with one postgres connection ("test-pg", tag staging) and the given extra YAML sections. */
  public static GatewayConfig config(Path dir, String extraYaml) throws Exception {
    Files.createDirectories(dir.resolve("bundle"));
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        connections:
          - name: test-pg
            protocol: postgres
            bind: 127.0.0.1:0
            tags: [staging]
            upstream: {host: 127.0.0.1, port: 5432, user: postgres, databases: [shop, postgres]}
        identity:
          issuers:
            - issuer: https://dev.portcullis.local
              audience: portcullis
              jwks_file: %s
              algorithms: [ES256]
              dev_signing_key: %s
        policy:
          bundle: bundle
          timeout: 5s   # a loaded build machine must not turn slow evaluations into denies
        approvals:
          poll_interval: 20ms
        ledger:
          dir: var/ledger
          signing_key: var/ledger.key
          origin: test.portcullis/ledger
        """.formatted(EXAMPLES.resolve("dev-keys/dev-jwks.json"), EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json"))
        + extraYaml);
    return GatewayConfig.load(file);
  }

  public static String token(GatewayConfig config, String subject, String... groups) throws Exception {
    return DevTokens.issue(DevTokens.devIssuer(config), subject, List.of(groups), Duration.ofMinutes(5));
  }
}
