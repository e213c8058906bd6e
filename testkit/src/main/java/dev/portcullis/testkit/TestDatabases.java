package dev.portcullis.testkit;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real database servers tests run against. A server named in the environment wins
 * ({@code PORTCULLIS_TEST_PG}, {@code PORTCULLIS_TEST_MYSQL}, as {@code host:port}); otherwise Testcontainers starts
 * one when a Docker engine answers. With neither, the test fails with a message saying how to provide one: a test
 * that needs a database never skips silently.
 */
public final class TestDatabases {
  /** A reachable server with a superuser login. */
  public record Server(String host, int port, String user, String password) {
    public String jdbcUrl(String kind, String database) {
      return "jdbc:" + kind + "://" + host + ":" + port + "/" + database;
    }
  }

  private static Server postgres;
  private static Server mariadb;

  private TestDatabases() {}

  /** PostgreSQL; user {@code postgres} with trust or the container's password. */
  public static synchronized Server postgres() {
    if (postgres == null) {
      postgres = fromEnv("PORTCULLIS_TEST_PG", "postgres", "");
      if (postgres == null) postgres = container(new PostgreSQLContainer<>("postgres:15"), 5432, "PORTCULLIS_TEST_PG");
    }
    return postgres;
  }

  /** MariaDB; user {@code root}. */
  public static synchronized Server mariadb() {
    if (mariadb == null) {
      mariadb = fromEnv("PORTCULLIS_TEST_MYSQL", "root", "");
      if (mariadb == null) {
        mariadb = container(new MariaDBContainer<>("mariadb:10.11").withUsername("root"), 3306, "PORTCULLIS_TEST_MYSQL");
      }
    }
    return mariadb;
  }

  /** Creates a fresh, uniquely named PostgreSQL database and returns its name; drop it with {@link #dropPostgres}. */
  public static String createPostgresDatabase(String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    postgresAdmin("CREATE DATABASE " + name);
    return name;
  }

  public static void dropPostgres(String name) {
    postgresAdmin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void postgresAdmin(String sql) {
    Server s = postgres();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgresql", "postgres"), s.user(), s.password());
         Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Server fromEnv(String variable, String user, String password) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) return null;
    URI uri = URI.create("tcp://" + value.trim());
    return new Server(uri.getHost(), uri.getPort(), user, password);
  }

  private static Server container(JdbcDatabaseContainer<?> container, int port, String variable) {
    if (!dockerAvailable()) {
      throw new IllegalStateException("no database server for this test: set " + variable
          + "=host:port (e.g. 127.0.0.1:" + port + ", as .ci/run does) or run a Docker engine for Testcontainers");
    }
    container.start();
    return new Server(container.getHost(), container.getMappedPort(port), container.getUsername(),
        container.getPassword());
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
