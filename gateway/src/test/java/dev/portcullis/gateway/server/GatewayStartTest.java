package dev.portcullis.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.ProtocolModule;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.MemoryLedger;
import dev.portcullis.gateway.testing.TestGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayStartTest {
  @TempDir Path dir;

  GatewayConfig config(String upstreamExtra) throws Exception {
    GatewayConfig c = TestGateways.config(dir, "");
    String yaml = Files.readString(c.file()).replace("databases: [shop, postgres]}", "databases: [shop, postgres]" + upstreamExtra + "}");
    Files.writeString(c.file(), yaml);
    return GatewayConfig.load(c.file());
  }

  @Test
  void aMissingCredentialVariableIsNamedWithItsYamlPath() throws Exception {
    GatewayConfig c = config(", credential_env: PORTCULLIS_TEST_SURELY_UNSET");
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(new CapturingModule()).ledger(new MemoryLedger()).start());
    assertTrue(e.getMessage().contains(
        "connections[0].upstream.credential_env: environment variable PORTCULLIS_TEST_SURELY_UNSET is not set"), e.getMessage());
  }

  @Test
  void theCredentialFileIsReadAtEachUse() throws Exception {
    Path secret = dir.resolve("pg-password");
    Files.writeString(secret, "first\n");
    GatewayConfig c = config(", credential_file: pg-password");
    CapturingModule module = new CapturingModule();
    try (Gateway g = Gateway.builder(c).module(module).ledger(new MemoryLedger()).start()) {
      var credential = module.settings.get("test-pg").upstream().credential();
      assertEquals(Optional.of("first"), credential.get());
      Files.writeString(secret, "rotated");
      assertEquals(Optional.of("rotated"), credential.get());
    }
  }

  @Test
  void aProtocolWithoutAModuleIsNamed() throws Exception {
    GatewayConfig c = config("");
    ProtocolModule mysqlOnly = new ProtocolModule() {
      @Override public String protocol() { return "mysql"; }

      @Override public Listener start(ConnectionSettings connection, GatewayServices services) {
        throw new AssertionError("not for postgres");
      }
    };
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(mysqlOnly).ledger(new MemoryLedger()).start());
    assertEquals("connections[0].protocol: no protocol module for 'postgres' (loaded: mysql)", e.getMessage());
  }

  @Test
  void aListenerThatCannotStartIsNamedAndEverythingStops() throws Exception {
    GatewayConfig c = config("");
    ProtocolModule failing = new ProtocolModule() {
      @Override public String protocol() { return "postgres"; }

      @Override public Listener start(ConnectionSettings connection, GatewayServices services) throws Exception {
        throw new java.net.BindException("Address already in use");
      }
    };
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(failing).ledger(new MemoryLedger()).start());
    assertEquals("connections[0].bind: cannot listen on 127.0.0.1:0: Address already in use", e.getMessage());
  }

  @Test
  void aPolicyBundleThatDoesNotCompileStopsTheStart() throws Exception {
    GatewayConfig c = config("");
    Files.writeString(c.policy().bundle().resolve("broken.rego"), "package portcullis\n\ndecision := {\n");
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(new CapturingModule()).ledger(new MemoryLedger()).start());
    assertTrue(e.getMessage().startsWith("policy: policy bundle " + c.policy().bundle() + " does not compile"), e.getMessage());
  }
}
