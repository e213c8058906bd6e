package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.testkit.TestDatabases;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as {@code serve} runs it: the PostgreSQL module loaded by PF4J from the plugins folder in development
 * mode (plugins/postgres/target/classes), a Rego bundle, the local PostgreSQL behind it, pgjdbc in front.
 */
class PluginGatewayTest {
  static final Path PLUGINS = Path.of("..", "plugins").toAbsolutePath().normalize();
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  /** Keeps entries in memory (the gateway-side contract: appended means recorded). */
  static final class ListLedger implements Ledger {
    final List<String> kinds = new ArrayList<>();

    @Override
    public synchronized Appended append(String kind, ObjectNode fields) {
      kinds.add(kind);
      return new Appended(kinds.size() - 1, new byte[32]);
    }

    @Override
    public void close() {}
  }

  @Test
  void servesPostgresThroughTheModuleLoadedFromThePluginsFolder(@TempDir Path dir) throws Exception {
    assertTrue(Files.isDirectory(PLUGINS.resolve("postgres/target/classes/dev")),
        "build the PostgreSQL module first (mvn -pl plugins/postgres compile): " + PLUGINS.resolve("postgres/target/classes"));
    TestDatabases.Server pg = TestDatabases.postgres();
    String db = TestDatabases.createPostgresDatabase("plugin_gw");
    Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("bundle/policy.rego"), """
        package portcullis

        import rego.v1

        default decision := {"outcome": "deny", "reasons": ["agents may only read"]}

        decision := {"outcome": "allow"} if input.action == "connect"

        decision := {"outcome": "mask", "masks": [{"column": "email", "strategy": "partial"}]} if {
        	input.action == "query"
        	every s in input.sql.statements { s.type == "select" }
        }
        """);
    Files.writeString(dir.resolve("gateway.yaml"), """
        connections:
          - name: pg
            protocol: postgres
            bind: 127.0.0.1:0
            upstream: {host: %s, port: %d, user: %s}
        identity:
          issuers:
            - {issuer: https://dev.portcullis.local, audience: portcullis, jwks_file: %s, algorithms: [ES256],
               dev_signing_key: %s}
        policy: {bundle: bundle}
        ledger: {dir: var/ledger, signing_key: var/ledger.key, origin: test/ledger}
        plugins: {dir: %s, mode: development}
        """.formatted(pg.host(), pg.port(), pg.user(), EXAMPLES.resolve("dev-keys/dev-jwks.json"),
        EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json"), PLUGINS));
    GatewayConfig config = GatewayConfig.load(dir.resolve("gateway.yaml"));
    ListLedger ledger = new ListLedger();
    try (Gateway gateway = Gateway.builder(config).ledger(ledger).start()) {
      DemoData.create(pg.host(), pg.port(), pg.user(), db);
      InetSocketAddress address = gateway.address("pg");
      String token = DevTokens.issue(DevTokens.devIssuer(config), "cursor-agent", List.of("agents"), Duration.ofMinutes(5));
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + address.getPort() + "/" + db
          + "?sslmode=disable", "cursor-agent", token)) {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT email FROM customers WHERE id = 1")) {
          rs.next();
          assertEquals("a***@example.com", rs.getString(1));
        }
        SQLException denied = assertThrows(SQLException.class, () -> c.createStatement().execute("DROP TABLE customers"));
        assertEquals("42501", denied.getSQLState());
        assertTrue(denied.getMessage().contains("agents may only read"), denied.getMessage());
      }
      assertTrue(ledger.kinds.contains("execution_result"), ledger.kinds.toString());
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }
}
