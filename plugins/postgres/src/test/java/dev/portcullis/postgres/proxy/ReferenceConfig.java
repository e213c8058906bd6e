package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A gateway configuration in a test's temp folder: one staging connection in front of a test database, the reference
 * policy bundle, the development token key, and a fresh ledger key made by {@code ledger keygen}.
 */
final class ReferenceConfig {
  private static final Path EXAMPLES = Path.of("..", "..", "examples").toAbsolutePath().normalize();
  private static final Path POLICIES = Path.of("..", "..", "policies").toAbsolutePath().normalize();

  private ReferenceConfig() {}

  /** Writes {@code dir/gateway.yaml} (plus {@code extraYaml} sections) and its ledger key; returns the file. */
  static Path write(Path dir, String connection, String database, String origin, String extraYaml) throws Exception {
    TestDatabases.Server server = TestDatabases.postgres();
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        connections:
          - name: %s
            protocol: postgres
            bind: 127.0.0.1:0
            tags: [staging]
            upstream: {host: %s, port: %d, user: %s, databases: [%s]}
        identity:
          issuers:
            - issuer: https://dev.portcullis.local
              audience: portcullis
              jwks_file: %s
              algorithms: [ES256]
              dev_signing_key: %s
        policy:
          bundle: %s
        approvals:
          poll_interval: 20ms
        ledger:
          dir: var/ledger
          signing_key: var/ledger.key
          origin: %s
        """.formatted(connection, server.host(), server.port(), server.user(), database,
        EXAMPLES.resolve("dev-keys/dev-jwks.json"), EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json"), POLICIES,
        origin) + extraYaml);
    Files.createDirectories(dir.resolve("var"));
    assertEquals(0, LedgerCommand.commandLine().execute("keygen", "--origin", origin, "--out",
        dir.resolve("var/ledger.key").toString()));
    return file;
  }
}
