package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import dev.portcullis.testkit.TestDatabases;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A gateway listener in front of a fresh database on the test PostgreSQL server, and clients to reach it. */
final class GatewayFixture implements AutoCloseable {
  final String database;
  final PostgresProxy proxy;
  final TestDatabases.Server server = TestDatabases.postgres();

  GatewayFixture(GatewayServices services, SslContext clientTls, int maxMessageSize) {
    database = TestDatabases.createPostgresDatabase("pgwire");
    UpstreamSettings upstream = new UpstreamSettings(server.host(), server.port(), server.user(), List.of(),
        UpstreamSettings.Tls.DISABLED, () -> Optional.ofNullable(server.password()).filter(p -> !p.isEmpty()));
    proxy = PostgresProxy.start(new ProxySettings(new InetSocketAddress("127.0.0.1", 0), clientTls, maxMessageSize,
        upstream), services, 2);
  }

  int port() {
    return proxy.address().getPort();
  }

  /** Runs SQL directly on the upstream database (setup and checks, not through the gateway). */
  void direct(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgresql", database), server.user(),
        server.password()); Statement st = c.createStatement()) {
      for (String sql : statements) st.execute(sql);
    }
  }

  Connection jdbc(String token, String... extraProperties) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "agent");
    props.setProperty("password", token);
    props.setProperty("sslmode", "disable");
    for (int i = 0; i < extraProperties.length; i += 2) props.setProperty(extraProperties[i], extraProperties[i + 1]);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, props);
  }

  record Run(int exit, String out, String err) {}

  /** Runs the real psql binary against the gateway, with the token as password. */
  Run psql(String token, String extraConninfo, String... args) throws IOException, InterruptedException {
    return run(Map.of("PGPASSWORD", token), psqlCommand(extraConninfo, args));
  }

  List<String> psqlCommand(String extraConninfo, String... args) {
    List<String> command = new ArrayList<>(List.of("psql", "-X", "-v", "ON_ERROR_STOP=0", "-At",
        "host=127.0.0.1 port=" + port() + " user=agent dbname=" + database + " " + extraConninfo));
    command.addAll(List.of(args));
    return command;
  }

  static Run run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    java.io.File err = java.io.File.createTempFile("pgwire", ".err");
    pb.redirectError(err);
    Process process = pb.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    String errText = java.nio.file.Files.readString(err.toPath());
    err.delete();
    return new Run(process.exitValue(), out, errText);
  }

  @Override
  public void close() {
    proxy.close();
    TestDatabases.dropPostgres(database);
  }
}
