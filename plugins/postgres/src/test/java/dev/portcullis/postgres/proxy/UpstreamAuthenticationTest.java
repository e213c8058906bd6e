package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.protocol.UpstreamSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own login to an upstream that wants a password: a private PostgreSQL instance (initdb in a temp
 * folder) whose host lines use md5 authentication, which PostgreSQL turns into SCRAM-SHA-256 for a role with a
 * SCRAM secret and into MD5 for a role with an MD5 secret. (Trust is what the shared test server uses.)
 */
class UpstreamAuthenticationTest {
  static Path dir;
  static int port;
  static FixedServices services = new FixedServices();

  @BeforeAll
  static void startPrivateServer() throws Exception {
    dir = Files.createTempDirectory("pgwire-auth");
    Files.writeString(dir.resolve("pw"), "scram-secret\n");
    port = freePort();
    asServerUser("chown", "-R", "postgres", dir.toString());
    asServerUser("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "--pwfile=" + dir.resolve("pw"),
        "--auth-local=trust", "--auth-host=md5", "-E", "UTF8", "--no-sync");
    asServerUser("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=20",
        "start");
    GatewayFixture.Run run = GatewayFixture.run(Map.of("PGPASSWORD", "scram-secret"), List.of("psql", "-X", "-q",
        "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres", "-c", "SET password_encryption = 'md5'",
        "-c", "CREATE ROLE legacy LOGIN PASSWORD 'md5-secret'"));
    assertEquals(0, run.exit(), run.err());
  }

  @AfterAll
  static void stopPrivateServer() throws Exception {
    if (dir == null) return;
    try {
      asServerUser("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
    } finally {
      GatewayFixture.run(Map.of(), List.of("rm", "-rf", dir.toString()));
    }
  }

  @Test
  void scramSha256Upstream() throws Exception {
    assertEquals("SCRAM-SHA-256 via postgres\n", queryThrough("postgres", "scram-secret",
        "SELECT 'SCRAM-SHA-256 via ' || current_user"));
  }

  @Test
  void md5Upstream() throws Exception {
    assertEquals("MD5 via legacy\n", queryThrough("legacy", "md5-secret", "SELECT 'MD5 via ' || current_user"));
  }

  @Test
  void aWrongUpstreamCredentialIsNotBlamedOnTheClient() throws Exception {
    try (PostgresProxy proxy = proxy("postgres", "wrong")) {
      GatewayFixture.Run run = psqlThrough(proxy, "SELECT 1");
      assertEquals(2, run.exit());
      assertTrue(run.err().contains("could not log in to the upstream server"), run.err());
    }
  }

  @Test
  void anUnreachableUpstreamIsReported() throws Exception {
    int closedPort = freePort();
    UpstreamSettings upstream = new UpstreamSettings("127.0.0.1", closedPort, "postgres", List.of(),
        UpstreamSettings.Tls.DISABLED, Optional::empty);
    try (PostgresProxy proxy = PostgresProxy.start(new ProxySettings(new InetSocketAddress("127.0.0.1", 0), null,
        ProxySettings.DEFAULT_MAX_MESSAGE_SIZE, upstream), services, 1)) {
      GatewayFixture.Run run = psqlThrough(proxy, "SELECT 1");
      assertEquals(2, run.exit());
      assertTrue(run.err().contains("cannot reach the upstream server 127.0.0.1:" + closedPort), run.err());
    }
  }

  private static String queryThrough(String user, String password, String sql) throws Exception {
    try (PostgresProxy proxy = proxy(user, password)) {
      GatewayFixture.Run run = psqlThrough(proxy, sql);
      assertEquals(0, run.exit(), run.err());
      return run.out();
    }
  }

  private static PostgresProxy proxy(String user, String password) {
    UpstreamSettings upstream = new UpstreamSettings("127.0.0.1", port, user, List.of(),
        UpstreamSettings.Tls.DISABLED, () -> Optional.of(password));
    return PostgresProxy.start(new ProxySettings(new InetSocketAddress("127.0.0.1", 0), null,
        ProxySettings.DEFAULT_MAX_MESSAGE_SIZE, upstream), services, 1);
  }

  private static GatewayFixture.Run psqlThrough(PostgresProxy proxy, String sql) throws Exception {
    return GatewayFixture.run(Map.of("PGPASSWORD", FixedServices.AGENT_TOKEN), List.of("psql", "-X", "-At",
        "host=127.0.0.1 port=" + proxy.address().getPort() + " user=agent dbname=postgres", "-c", sql));
  }

  /** PostgreSQL's tools refuse to run as root: as root, run them as the postgres user. */
  private static void asServerUser(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && !command[0].equals("chown")) full.addAll(List.of(serverTool("runuser"), "-u", "postgres", "--"));
    if (!root && command[0].equals("chown")) return;
    full.add(command[0].equals("chown") ? "chown" : serverTool(command[0]));
    full.addAll(List.of(command).subList(1, command.length));
    GatewayFixture.Run run = GatewayFixture.run(Map.of(), full);
    if (run.exit() != 0) throw new IllegalStateException(full + " failed: " + run.out() + run.err());
  }

  /**
   * initdb, pg_ctl and runuser: on the PATH, in /usr/sbin or /sbin, else in Debian's /usr/lib/postgresql/VERSION/bin
   * (newest version first).
   */
  private static String serverTool(String name) throws IOException {
    String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/sbin"
        + java.io.File.pathSeparator + "/sbin";
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (var versions = Files.list(debian)) {
        Optional<Path> tool = versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
            .max(java.util.Comparator.comparing(p -> Integer.parseInt(p.getParent().getParent().getFileName()
                .toString().replaceAll("\\D", "0"))));
        if (tool.isPresent()) return tool.get().toString();
      }
    }
    throw new IllegalStateException(name + " not found on the PATH or in /usr/lib/postgresql/*/bin: install the"
        + " PostgreSQL server package (this test runs a private server to check the upstream login)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
