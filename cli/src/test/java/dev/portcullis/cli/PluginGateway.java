package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

/**
 * The gateway as {@code serve} runs it: the PostgreSQL module loaded by PF4J from the plugins folder in development
 * mode (plugins/postgres/target/classes), the reference policy bundle (policies/), the real ledger, and the local
 * PostgreSQL behind it with the demo's sample shop.
 */
final class PluginGateway implements AutoCloseable {
  static final Path PLUGINS = Path.of("..", "plugins").toAbsolutePath().normalize();
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  static final Path POLICIES = Path.of("..", "policies").toAbsolutePath().normalize();

  final Path configFile;
  final GatewayConfig config;
  final Gateway gateway;
  final String database;

  PluginGateway(Path dir) throws Exception {
    assertTrue(Files.isDirectory(PLUGINS.resolve("postgres/target/classes/dev")),
        "build the PostgreSQL module first (mvn -pl plugins/postgres compile): " + PLUGINS.resolve("postgres/target/classes"));
    TestDatabases.Server pg = TestDatabases.postgres();
    configFile = dir.resolve("gateway.yaml");
    Files.writeString(configFile, """
        connections:
          - name: local-postgres
            protocol: postgres
            tags: [staging]
            bind: 127.0.0.1:0
            upstream: {host: %s, port: %d, user: %s}
        identity:
          issuers:
            - {issuer: https://dev.portcullis.local, audience: portcullis, jwks_file: %s, algorithms: [ES256],
               dev_signing_key: %s}
        policy: {bundle: %s, timeout: 5s}
        ledger: {dir: var/ledger, signing_key: var/ledger.key, origin: test/ledger}
        approvals: {poll_interval: 20ms}
        plugins: {dir: %s, mode: development}
        """.formatted(pg.host(), pg.port(), pg.user(), EXAMPLES.resolve("dev-keys/dev-jwks.json"),
        EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json"), POLICIES, PLUGINS));
    config = GatewayConfig.load(configFile);
    database = TestDatabases.createPostgresDatabase("plugin_gw");
    DemoData.create(pg.host(), pg.port(), pg.user(), database);
    DemoKeys.ensureLedgerKey(config);
    gateway = Gateway.builder(config).start();
  }

  String token(String subject, String... groups) throws Exception {
    return DevTokens.issue(DevTokens.devIssuer(config), subject, List.of(groups), Duration.ofMinutes(5));
  }

  Connection connect(String subject, String... groups) throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.address("local-postgres").getPort() + "/"
        + database + "?sslmode=disable", subject, token(subject, groups));
  }

  /** {@code ledger verify --config}: every entry and checkpoint checks out (run after {@link #close()}). */
  Run verifyLedger() {
    return Run.of("ledger", "verify", "--config", configFile.toString());
  }

  /** The kinds of the ledger's entries, as {@code ledger show} lists them. */
  String ledgerShow() {
    return Run.of("ledger", "show", "--config", configFile.toString()).out();
  }

  @Override
  public void close() {
    gateway.close();
    TestDatabases.dropPostgres(database);
  }
}
