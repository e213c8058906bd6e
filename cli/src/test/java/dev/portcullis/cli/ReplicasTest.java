package dev.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.identity.DevTokens;
import dev.portcullis.testkit.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes ({@code serve} in two JVMs) share one PostgreSQL database for the ledger and the approval
 * store: a DELETE held on replica A is approved through replica B's configuration and completes on A.
 */
class ReplicasTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern LISTENING = Pattern.compile("listening on \\S*:(\\d+) ");

  /** A {@code serve} JVM; its output is drained into {@code log}, and its port read from the listening line. */
  static final class Replica implements AutoCloseable {
    final Process process;
    final StringBuffer log = new StringBuffer();
    final CompletableFuture<Integer> port = new CompletableFuture<>();

    Replica(Path config, Path dir) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "dev.portcullis.cli.Main", "serve", "--config", config.toString())
          .directory(dir.toFile()).redirectErrorStream(true);
      process = pb.start();
      Thread drain = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            log.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) port.complete(Integer.parseInt(m.group(1)));
          }
        } catch (java.io.IOException ignored) {
          // the process ended
        }
        port.completeExceptionally(new AssertionError("the replica exited before listening:\n" + log));
      }, "replica-output");
      drain.setDaemon(true);
      drain.start();
    }

    int port() throws Exception {
      return port.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      process.destroy(); // SIGTERM: the shutdown hook closes the gateway (and its ledger) cleanly
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static Path config(Path dir, String name, TestDatabases.Server pg, String database, String stateUrl) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Path file = folder.resolve("gateway.yaml");
    Files.writeString(file, """
        connections:
          - name: shop
            protocol: postgres
            tags: [staging]
            bind: 127.0.0.1:0
            upstream: {host: %s, port: %d, user: %s, databases: [%s]}
        identity:
          issuers:
            - {issuer: https://dev.portcullis.local, audience: portcullis, jwks_file: %s, algorithms: [ES256],
               dev_signing_key: %s}
        policy: {bundle: %s, timeout: 5s, reload: false}
        ledger: {jdbc_url: '%s', signing_key: %s, origin: test/replicas}
        approvals: {store: postgres, jdbc_url: '%s', poll_interval: 30s}
        plugins: {dir: %s, mode: development}
        """.formatted(pg.host(), pg.port(), pg.user(), database,
        PluginGateway.EXAMPLES.resolve("dev-keys/dev-jwks.json"), PluginGateway.EXAMPLES.resolve("dev-keys/dev-signing-key.jwk.json"),
        PluginGateway.POLICIES, stateUrl, dir.resolve("ledger.key"), stateUrl, PluginGateway.PLUGINS));
    return file;
  }

  @Test
  void anApprovalDecidedThroughReplicaBReleasesTheStatementWaitingOnReplicaA(@TempDir Path dir) throws Exception {
    assertTrue(Files.isDirectory(PluginGateway.PLUGINS.resolve("postgres/target/classes/dev")),
        "build the PostgreSQL module first (mvn -pl plugins/postgres compile)");
    TestDatabases.Server pg = TestDatabases.postgres();
    String database = TestDatabases.createPostgresDatabase("replicas");
    try {
      DemoData.create(pg.host(), pg.port(), pg.user(), database);
      String stateUrl = pg.jdbcUrl("postgresql", database) + "?user=" + pg.user();
      Path configA = config(dir, "a", pg, database, stateUrl);
      Path configB = config(dir, "b", pg, database, stateUrl);
      GatewayConfig a = GatewayConfig.load(configA);
      DemoKeys.ensureLedgerKey(a); // one signing key for the shared ledger
      String agent = DevTokens.issue(DevTokens.devIssuer(a), "cursor-agent", List.of("agents"), Duration.ofMinutes(5));
      String dba = DevTokens.issue(DevTokens.devIssuer(a), "alice", List.of("dba"), Duration.ofMinutes(5));

      Process psql = null;
      try (Replica replicaA = new Replica(configA, dir.resolve("a")); Replica replicaB = new Replica(configB, dir.resolve("b"))) {
        int portA = replicaA.port();
        replicaB.port(); // B serves too; the review goes through its configuration only
        // poll_interval is 30s: only the NOTIFY can release the statement within this test's bounds.
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-At", "host=127.0.0.1 port=" + portA + " dbname=" + database
            + " user=cursor-agent sslmode=disable", "-c", "DELETE FROM orders WHERE id = 5").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", agent);
        psql = pb.start();
        Process client = psql;
        CompletableFuture<String> psqlOutput = CompletableFuture.supplyAsync(() -> {
          try {
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        });

        String id = null;
        for (int i = 0; i < 2000 && id == null && psql.isAlive(); i++) {
          Run list = Run.of("approvals", "list", "--config", configB.toString(), "--token", dba, "--format", "json",
              "--status", "pending");
          assertEquals(0, list.exit(), list.err());
          JsonNode pending = JSON.readTree(list.out());
          if (!pending.isEmpty()) id = pending.get(0).path("id").asText();
        }
        assertTrue(id != null, "no pending approval reached the shared store; psql: " + (psql.isAlive() ? "waiting"
            : psqlOutput.join()) + "\nreplica A:\n" + replicaA.log);

        Run approve = Run.of("approvals", "approve", id, "--config", configB.toString(), "--token", dba, "--reason",
            "cleanup, ticket 7");
        assertEquals(0, approve.exit(), approve.err());
        assertTrue(psql.waitFor(20, TimeUnit.SECONDS), "the DELETE on replica A was not released:\n" + replicaA.log);
        String out = psqlOutput.get(5, TimeUnit.SECONDS);
        assertEquals(0, psql.exitValue(), out);
        assertTrue(out.contains("DELETE 1"), out);
      } finally {
        if (psql != null) psql.destroyForcibly();
      }

      Run show = Run.of("ledger", "show", "--config", configB.toString());
      assertEquals(0, show.exit(), show.err());
      List<String> kinds = new ArrayList<>();
      for (String line : show.out().split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 2) kinds.add(f[2]);
      }
      assertTrue(kinds.contains("approval") && kinds.contains("execution_result") && kinds.contains("decision"), show.out());
      assertTrue(show.out().contains("DELETE FROM orders WHERE id = 5"), show.out());
      Run verify = Run.of("ledger", "verify", "--config", configA.toString());
      assertEquals(0, verify.exit(), verify.out() + verify.err());
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }
}
