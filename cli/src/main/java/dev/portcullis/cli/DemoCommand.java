package dev.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.gateway.config.ConfigException;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.gateway.server.Gateway;
import dev.portcullis.gateway.server.GatewayException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis demo}: the gateway in front of a PostgreSQL with a sample shop, and the commands to try it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Starts the gateway in front of the local PostgreSQL (127.0.0.1:5432) if one answers, else an "
        + "embedded one, creates the sample database " + DemoData.DATABASE + " with personal data, and prints "
        + "commands to try: a masked SELECT, a DELETE that waits for approval, a DROP that is denied, ledger verify.",
        "Runs until Ctrl-C. DEVELOPMENT ONLY: it trusts the published development key."})
final class DemoCommand implements Callable<Integer> {
  private static final Duration TOKEN_TTL = Duration.ofHours(8);

  @Option(names = "--config", paramLabel = "FILE", description = "default: examples/postgres.yaml of this checkout")
  Path config;

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("portcullis.home", ".")).toAbsolutePath().normalize();
    Path configFile = config != null ? config.toAbsolutePath().normalize() : home.resolve("examples/postgres.yaml");
    GatewayConfig cfg;
    try {
      cfg = GatewayConfig.load(configFile);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    GatewayConfig.Upstream upstream = cfg.connections().get(0).upstream();
    EmbeddedPostgres embedded = null;
    if (!answers(upstream.host(), upstream.port(), upstream.user())) {
      System.out.println("portcullis demo: no PostgreSQL answers on " + upstream.host() + ":" + upstream.port()
          + "; starting an embedded one...");
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException | RuntimeException e) {
        System.err.println("portcullis demo: cannot start an embedded PostgreSQL either (" + e.getMessage()
            + "). Start PostgreSQL on " + upstream.host() + ":" + upstream.port() + " (trust for user "
            + upstream.user() + ") and run the demo again. Note: PostgreSQL refuses to run as root.");
        return 1;
      }
      configFile = embeddedConfig(configFile, embedded.getPort());
      cfg = GatewayConfig.load(configFile);
      upstream = cfg.connections().get(0).upstream();
    }
    EmbeddedPostgres server = embedded;
    try {
      DemoData.create(upstream.host(), upstream.port(), upstream.user(), DemoData.DATABASE);
      DemoKeys.ensureLedgerKey(cfg);
      Gateway gateway;
      try {
        gateway = Gateway.builder(cfg).start();
      } catch (GatewayException e) {
        System.err.println("portcullis demo: cannot start the gateway: " + e.getMessage());
        return 1;
      }
      GatewayConfig.Connection c = cfg.connections().get(0);
      InetSocketAddress address = gateway.address(c.name());
      GatewayConfig.Issuer issuer = DevTokens.devIssuer(cfg);
      String agent = DevTokens.issue(issuer, "cursor-agent", List.of("agents"), TOKEN_TTL);
      String dba = DevTokens.issue(issuer, "alice", List.of("dba"), TOKEN_TTL);
      System.out.println(instructions(home, configFile, address, agent, dba, upstream));
      if (cfg.admin() != null) {
        System.out.println("        Or review in the web console: " + gateway.consoleUrl()
            + " (sign in by pasting $DBA_TOKEN).\n");
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        gateway.close();
        closeQuietly(server);
        stopped.countDown();
      }, "portcullis-demo-shutdown"));
      stopped.await();
      return 0;
    } catch (SQLException | IOException e) {
      System.err.println("portcullis demo: " + e.getMessage());
      closeQuietly(server);
      return 1;
    }
  }

  private static boolean answers(String host, int port, String user) {
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=3", user, "")) {
      return c.isValid(3);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The same config pointed at the embedded server, beside the original so its relative paths still hold. */
  private static Path embeddedConfig(Path original, int port) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(original.toFile());
    ((ObjectNode) root.withArray("connections").get(0).get("upstream")).put("port", port);
    Path file = original.resolveSibling("demo-embedded.yaml");
    Files.writeString(file, "# Written by `portcullis demo` for its embedded PostgreSQL; safe to delete.\n"
        + yaml.writeValueAsString(root));
    return file;
  }

  static String instructions(Path home, Path configFile, InetSocketAddress gateway, String agentToken,
                             String dbaToken, GatewayConfig.Upstream upstream) {
    Path cwd = Path.of("").toAbsolutePath();
    String cli = cwd.equals(home) ? "./portcullis" : home.resolve("portcullis").toString();
    String config = configFile.startsWith(cwd) ? cwd.relativize(configFile).toString() : configFile.toString();
    String psql = "psql \"host=" + gateway.getHostString() + " port=" + gateway.getPort() + " dbname="
        + DemoData.DATABASE + " user=cursor-agent\"";
    return """

        Portcullis demo: the gateway listens on %1$s:%2$d in front of PostgreSQL %3$s:%4$d (database %5$s).
        Tokens below are development tokens (valid %6$s), signed with examples/dev-keys — never use them in production.

        The agent's token (group agents) and a reviewer's token (alice, group dba):
          export AGENT_TOKEN='%7$s'
          export DBA_TOKEN='%8$s'

        1. A SELECT as the agent: emails and card numbers come back masked.
          PGPASSWORD="$AGENT_TOKEN" %9$s -c "SELECT name, email, card_number, phone FROM customers"

        2. A DELETE as the agent waits for approval (the NOTICE names the approval id) ...
          PGPASSWORD="$AGENT_TOKEN" %9$s -c "DELETE FROM orders WHERE id = 5"
           ... approve it from a second terminal (after the two exports above):
          %10$s approvals list --config %11$s --token "$DBA_TOKEN"
          %10$s approvals approve <approval id> --config %11$s --token "$DBA_TOKEN" --reason "cleanup ticket 42"

        3. A DROP as the agent is denied (SQLSTATE 42501):
          PGPASSWORD="$AGENT_TOKEN" %9$s -c "DROP TABLE customers"

        4. Every decision, verdict and result is in the signed ledger; verify it:
          %10$s ledger verify --config %11$s

        Ctrl-C stops the demo.
        """.formatted(gateway.getHostString(), gateway.getPort(), upstream.host(), upstream.port(), DemoData.DATABASE,
        dev.portcullis.gateway.config.Durations.format(TOKEN_TTL), agentToken, dbaToken, psql, cli, config);
  }

  private static void closeQuietly(EmbeddedPostgres server) {
    if (server == null) return;
    try {
      server.close();
    } catch (IOException ignored) {
      // shutting down anyway
    }
  }
}
