package dev.portcullis.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static final String GOOD = """
      connections:
        - name: local-postgres
          protocol: postgres
          bind: 127.0.0.1:15432
          tags: [staging]
          upstream: {host: 127.0.0.1, port: 5432, user: postgres, credential_env: PGPASS}
      identity:
        issuers:
          - {issuer: https://dev.portcullis.local, audience: portcullis, jwks_file: jwks.json}
      policy:
        bundle: policies
      ledger:
        dir: var/ledger
        signing_key: var/ledger.key
        origin: test/ledger
      """;

  @Test
  void readsAValidConfigAndResolvesPathsAgainstItsFolder() throws Exception {
    GatewayConfig c = GatewayConfig.load(write(GOOD));
    GatewayConfig.Connection conn = c.connections().get(0);
    assertEquals("local-postgres", conn.name());
    assertEquals("127.0.0.1", conn.bindHost());
    assertEquals(15432, conn.bindPort());
    assertEquals(List.of("staging"), conn.tags());
    assertEquals("PGPASS", conn.upstream().credentialEnv());
    assertEquals(List.of(), conn.upstream().databases());
    assertEquals(dir.resolve("policies"), c.policy().bundle());
    assertEquals(dir.resolve("jwks.json"), c.identity().issuers().get(0).jwksFile());
    assertEquals(List.of("RS256", "ES256"), c.identity().issuers().get(0).algorithms());
  }

  @Test
  void appliesTheDocumentedDefaults() throws Exception {
    GatewayConfig c = GatewayConfig.load(write(GOOD));
    assertEquals(GatewayConfig.Engine.EMBEDDED, c.policy().engine());
    assertEquals("data.portcullis.decision", c.policy().decision());
    assertEquals("data.portcullis.review.allow", c.policy().review());
    assertEquals(Duration.ofMillis(50), c.policy().timeout());
    assertEquals(Duration.ofMinutes(5), c.approvals().timeout());
    assertEquals(dir.resolve("var/approvals"), c.approvals().store());
    assertEquals(dir.resolve("var/ledger"), c.ledger().dir());
    assertEquals(dir.resolve("var/ledger.key"), c.ledger().signingKey());
    assertEquals(1000, c.ledger().checkpointEvery());
    assertEquals(Duration.ofSeconds(1), c.ledger().checkpointInterval());
    assertEquals(Duration.ofSeconds(30), c.identity().clockSkew());
  }

  @Test
  void reportsEveryProblemWithItsYamlPath() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(write("""
        connections:
          - name: a
            protocol: postgres
            bind: 127.0.0.1:15432
            upstream: {host: 127.0.0.1, port: 70000, user: postgres, credential_env: X, credential_file: y}
          - name: a
            protocol: gopher
            bind: nowhere
            upstream: {host: h, user: u, tls: {mode: sometimes}}
            colour: blue
        identity:
          issuers:
            - {issuer: i, audience: a, jwks_file: missing.json, algorithms: [none, HS256, RS256]}
            - {issuer: j}
        policy:
          engine: opa
          timeout: soon
        approvals:
          timeout: 0s
        ledger:
          dir: var/ledger
          jdbc_url: mysql://x
          checkpoint_every: 0
        """)));
    List<String> p = e.problems();
    assertContains(p, "connections[0].upstream.port: must be 1-65535");
    assertContains(p, "connections[0].upstream: credential_env and credential_file exclude each other");
    assertContains(p, "connections[1].name: duplicate name 'a'");
    assertContains(p, "connections[1].protocol: must be one of postgres, mysql, http (was 'gopher')");
    assertContains(p, "connections[1].bind: must be host:port with port 0-65535 (was 'nowhere')");
    assertContains(p, "connections[1].upstream.port: is required");
    assertContains(p, "connections[1].upstream.tls.mode: must be one of disable, prefer, require, verify-full (was 'sometimes')");
    assertContains(p, "connections[1].colour: unknown key");
    assertContains(p, "identity.issuers[0].jwks_file: cannot read " + dir.resolve("missing.json"));
    assertContains(p, "identity.issuers[0].algorithms[0]: 'none' is never accepted");
    assertContains(p, "identity.issuers[0].algorithms[1]: 'HS256' is never accepted");
    assertContains(p, "identity.issuers[1].audience: is required");
    assertContains(p, "identity.issuers[1]: needs jwks_url or jwks_file");
    assertContains(p, "policy.opa_url: is required");
    assertContains(p, "policy.timeout: 'soon' is not a duration");
    assertContains(p, "approvals.timeout: must be longer than 0");
    assertContains(p, "ledger: dir and jdbc_url exclude each other");
    assertContains(p, "ledger.jdbc_url: must be a jdbc:postgresql: URL");
    assertContains(p, "ledger.signing_key: is required");
    assertContains(p, "ledger.origin: is required");
    assertContains(p, "ledger.checkpoint_every: must be 1-2147483647");
    assertEquals(21, p.size(), String.join("\n", p));
    assertTrue(e.getMessage().contains("21 problems"), e.getMessage());
  }

  @Test
  void readsThePostgresApprovalStoreWithItsCredential() throws Exception {
    Files.writeString(dir.resolve("approvals.pass"), "s3cret\n");
    GatewayConfig c = GatewayConfig.load(write(GOOD + """
        approvals:
          store: postgres
          jdbc_url: jdbc:postgresql://127.0.0.1:5432/portcullis?user=gateway
          credential_file: approvals.pass
        """));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/portcullis?user=gateway", c.approvals().jdbcUrl());
    assertEquals(null, c.approvals().store());
    assertEquals("s3cret", c.approvals().password());
  }

  @Test
  void refusesAnIncompletePostgresApprovalStore() throws Exception {
    ConfigException noUrl = assertThrows(ConfigException.class,
        () -> GatewayConfig.load(write(GOOD + "approvals: {store: postgres}\n")));
    assertContains(noUrl.problems(), "approvals.jdbc_url: is required with store: postgres");
    ConfigException mysql = assertThrows(ConfigException.class,
        () -> GatewayConfig.load(write(GOOD + "approvals: {store: postgres, jdbc_url: 'jdbc:mysql://x/y'}\n")));
    assertContains(mysql.problems(), "approvals.jdbc_url: must be a jdbc:postgresql: URL");
    ConfigException folder = assertThrows(ConfigException.class,
        () -> GatewayConfig.load(write(GOOD + "approvals: {store: var/a, jdbc_url: 'jdbc:postgresql://x/y'}\n")));
    assertContains(folder.problems(), "approvals: jdbc_url, credential_env and credential_file need store: postgres");
  }

  @Test
  void refusesAConfigWithoutConnectionsIdentityOrPolicy() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(write("state_dir: var\n")));
    assertEquals(List.of("connections: is required (at least one connection)",
        "identity: is required (at least one issuer)", "policy: is required",
        "ledger: is required (dir or jdbc_url, signing_key, origin)"), e.problems());
  }

  @Test
  void refusesYamlThatDoesNotParse() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(write("connections: [\n  - {")));
    assertTrue(e.problems().get(0).startsWith("not valid YAML"), e.problems().toString());
  }

  @Test
  void refusesAMissingFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(dir.resolve("nope.yaml")));
    assertTrue(e.problems().get(0).startsWith("cannot read"), e.problems().toString());
  }

  @Test
  void theExampleConfigIsValid() throws Exception {
    Path example = Path.of("..", "examples", "postgres.yaml");
    GatewayConfig c = GatewayConfig.load(example);
    assertEquals(15432, c.connections().get(0).bindPort());
    assertEquals(example.toAbsolutePath().normalize().getParent().resolve("var"), c.stateDir());
  }

  @Test
  void theReplicaExampleSharesLedgerAndApprovalsInPostgres() throws Exception {
    GatewayConfig c = GatewayConfig.load(Path.of("..", "examples", "replica.yaml"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/portcullis_state?user=postgres", c.approvals().jdbcUrl());
    assertEquals(c.approvals().jdbcUrl(), c.ledger().jdbcUrl());
  }

  private static void assertContains(List<String> problems, String prefix) {
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix)), "no problem starting with '" + prefix + "' in:\n  "
        + String.join("\n  ", problems));
  }
}
