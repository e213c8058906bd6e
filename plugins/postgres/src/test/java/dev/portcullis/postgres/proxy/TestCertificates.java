package dev.portcullis.postgres.proxy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;

/** A throw-away server certificate for 127.0.0.1, made with the JDK's keytool. */
final class TestCertificates {
  private TestCertificates() {}

  static SslContext serverContext(Path dir) throws Exception {
    Path store = dir.resolve("gateway.p12");
    GatewayFixture.Run run = GatewayFixture.run(Map.of(), List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "gateway",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-validity", "2",
        "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "changeit", "-keypass", "changeit"));
    if (run.exit() != 0) throw new IllegalStateException("keytool failed: " + run.err());
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, "changeit".toCharArray());
    return SslContextBuilder.forServer(kmf).build();
  }
}
