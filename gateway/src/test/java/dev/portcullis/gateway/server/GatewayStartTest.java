package dev.portcullis.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.ProtocolModule;
import dev.portcullis.gateway.testing.CapturingModule;
import dev.portcullis.gateway.testing.TestGateways;
import dev.portcullis.gateway.testing.TestLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayStartTest {
  @TempDir Path dir;

  GatewayConfig config(String upstreamExtra) throws Exception {
    GatewayConfig c = TestGateways.config(dir, "");
    TestLedger.createKey(c.ledger());
    String yaml = Files.readString(c.file()).replace("databases: [shop, postgres]}", "databases: [shop, postgres]" + upstreamExtra + "}");
    Files.writeString(c.file(), yaml);
    return GatewayConfig.load(c.file());
  }

  @Test
  void aMissingCredentialVariableIsNamedWithItsYamlPath() throws Exception {
    GatewayConfig c = config(", credential_env: PORTCULLIS_TEST_SURELY_UNSET");
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(new CapturingModule()).start());
    assertTrue(e.getMessage().contains(
        "connections[0].upstream.credential_env: environment variable PORTCULLIS_TEST_SURELY_UNSET is not set"), e.getMessage());
  }

  @Test
  void theCredentialFileIsReadAtEachUse() throws Exception {
    Path secret = dir.resolve("pg-password");
    Files.writeString(secret, "first\n");
    GatewayConfig c = config(", credential_file: pg-password");
    CapturingModule module = new CapturingModule();
    try (Gateway g = Gateway.builder(c).module(module).start()) {
      var credential = module.settings.get("test-pg").upstream().credential();
      assertEquals(Optional.of("first"), credential.get());
      Files.writeString(secret, "rotated");
      assertEquals(Optional.of("rotated"), credential.get());
    }
  }

  /** A throw-away EC key and self-signed certificate for 127.0.0.1 as PEM files, made with the JDK's keytool. */
  Path[] pemCertificate() throws Exception {
    Path store = dir.resolve("tls.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "gw", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), output);
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    var mime = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(ks.getCertificate("gw").getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(ks.getKey("gw", "changeit".toCharArray()).getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    return new Path[] {cert, key};
  }

  GatewayConfig withClientTls(Path cert, Path key) throws Exception {
    GatewayConfig c = config("");
    String yaml = Files.readString(c.file()).replace("    tags: [staging]\n",
        "    tags: [staging]\n    tls: {certificate_file: " + cert + ", key_file: " + key + "}\n");
    Files.writeString(c.file(), yaml);
    return GatewayConfig.load(c.file());
  }

  @Test
  void theModuleGetsAServerTlsContextFromPemFiles() throws Exception {
    Path[] pem = pemCertificate();
    CapturingModule module = new CapturingModule();
    try (Gateway g = Gateway.builder(withClientTls(pem[0], pem[1])).module(module).start()) {
      assertTrue(module.settings.get("test-pg").clientTls().orElseThrow().isServer());
    }
  }

  @Test
  void aKeyThatIsNotPemIsNamedWithItsYamlPath() throws Exception {
    Path[] pem = pemCertificate();
    Files.writeString(pem[1], "not a key");
    GatewayException e = assertThrows(GatewayException.class, () -> Gateway.builder(withClientTls(pem[0], pem[1]))
        .module(new CapturingModule()).start());
    assertTrue(e.getMessage().startsWith("connections[0].tls: "), e.getMessage());
  }

  @Test
  void upstreamTlsModesGiveTheModuleAClientContext() throws Exception {
    Path ca = pemCertificate()[0];
    for (String mode : new String[] {"prefer", "require", "verify-full"}) {
      GatewayConfig c = config(", tls: {mode: " + mode + (mode.equals("verify-full") ? ", ca_file: " + ca : "") + "}");
      CapturingModule module = new CapturingModule();
      try (Gateway g = Gateway.builder(c).module(module).start()) {
        var tls = module.settings.get("test-pg").upstream().tls();
        assertEquals(mode.toUpperCase().replace('-', '_'), tls.mode().name());
        assertTrue(tls.context().orElseThrow().isClient());
      }
    }
    CapturingModule plain = new CapturingModule();
    try (Gateway g = Gateway.builder(config("")).module(plain).start()) {
      assertEquals(Optional.empty(), plain.settings.get("test-pg").upstream().tls().context());
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
        () -> Gateway.builder(c).module(mysqlOnly).start());
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
        () -> Gateway.builder(c).module(failing).start());
    assertEquals("connections[0].bind: cannot listen on 127.0.0.1:0: Address already in use", e.getMessage());
  }

  @Test
  void aPolicyBundleThatDoesNotCompileStopsTheStart() throws Exception {
    GatewayConfig c = config("");
    Files.writeString(c.policy().bundle().resolve("broken.rego"), "package portcullis\n\ndecision := {\n");
    GatewayException e = assertThrows(GatewayException.class,
        () -> Gateway.builder(c).module(new CapturingModule()).start());
    assertTrue(e.getMessage().startsWith("policy: policy bundle " + c.policy().bundle() + " does not compile"), e.getMessage());
  }
}
