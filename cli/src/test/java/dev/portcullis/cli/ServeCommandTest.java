package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @Test
  void aBadConfigIsRefusedWithOneLinePerProblem(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        connections:
          - {name: pg, protocol: postgres, bind: "127.0.0.1:15432", upstream: {host: 127.0.0.1, port: 0, user: postgres}}
        identity: {issuers: [{issuer: x, audience: y, jwks_url: "ftp://keys"}]}
        policy: {engine: embedded, bundle: nowhere}
        """);
    Run r = Run.of("serve", "--config", config.toString());
    assertEquals(2, r.exit());
    String[] lines = r.err().strip().split("\n");
    assertEquals(config + ": 4 problems", lines[0]);
    assertEquals("  connections[0].upstream.port: must be 1-65535", lines[1]);
    assertEquals("  identity.issuers[0].jwks_url: must be an http or https URL", lines[2]);
    assertEquals("  policy.bundle: no such folder " + dir.resolve("nowhere"), lines[3]);
    assertTrue(lines[4].startsWith("  ledger: is required"), r.err());
  }

  @Test
  void aMissingLedgerKeyIsExplained(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("bundle"));
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        connections:
          - {name: pg, protocol: postgres, bind: "127.0.0.1:0", upstream: {host: 127.0.0.1, port: 5432, user: postgres}}
        identity: {issuers: [{issuer: x, audience: y, jwks_file: %s}]}
        policy: {bundle: bundle}
        ledger: {dir: var/ledger, signing_key: var/missing.key, origin: test/ledger}
        """.formatted(PluginGateway.EXAMPLES.resolve("dev-keys/dev-jwks.json")));
    Run r = Run.of("serve", "--config", config.toString());
    assertEquals(1, r.exit());
    assertEquals("portcullis: cannot start: ledger.signing_key: " + dir.resolve("var/missing.key") + " does not exist; "
        + "create it with `./portcullis ledger keygen --origin test/ledger --out " + dir.resolve("var/missing.key")
        + "` (./portcullis demo does it for you)", r.err().strip());
  }
}
