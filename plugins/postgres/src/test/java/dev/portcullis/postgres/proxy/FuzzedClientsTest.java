package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1,000 clients send randomly mutated versions of a valid session (bit flips, overwritten lengths, truncation,
 * inserted garbage, oversized messages); each connection must end (never hang) while a well-behaved client keeps
 * working, and nothing must be left open on either side afterwards.
 */
class FuzzedClientsTest {
  private static final int STREAMS = 1000;
  static FixedServices services = new FixedServices();
  static GatewayFixture gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new GatewayFixture(services, null, 1 << 20);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void mutatedStreamsCloseTheirConnectionWhileOthersAreServed() throws Exception {
    byte[] valid = validSession(gateway.database);
    Random random = new Random(20261122L);
    List<byte[]> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) streams.add(mutate(valid, random));

    List<String> hung = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    try (Connection normal = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement st = normal.createStatement()) {
      for (int i = 0; i < streams.size(); i++) {
        byte[] stream = streams.get(i);
        done.add(pool.submit(() -> {
          if (!endsWithinDeadline(stream)) hung.add(java.util.HexFormat.of().formatHex(stream));
          return null;
        }));
        if (i % 100 == 99) {
          try (ResultSet rs = st.executeQuery("SELECT " + i)) {
            assertTrue(rs.next());
            assertEquals(i, rs.getInt(1));
          }
        }
      }
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
      try (ResultSet rs = st.executeQuery("SELECT 'still here'")) {
        assertTrue(rs.next());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), hung, "streams (hex) the gateway neither served nor closed");
    assertTrue(awaitTrue(() -> services.openSessions.get() == 0), "sessions left open: " + services.openSessions);
    assertTrue(awaitTrue(() -> upstreamBackends() == 0), "upstream connections left open: " + upstreamBackends());
  }

  @Test
  void oversizedMessageClosesOnlyThatConnectionWith08P01() throws Exception {
    try (Connection normal = gateway.jdbc(FixedServices.AGENT_TOKEN); Statement ok = normal.createStatement()) {
      byte[] valid = validSession(gateway.database);
      int afterPassword = 0x47 + 1 + 0x10;
      ByteBuffer oversized = ByteBuffer.allocate(afterPassword + 5 + 100);
      oversized.put(valid, 0, afterPassword).put((byte) 'Q').putInt(2 << 20);
      String reply = exchange(oversized.array());
      assertTrue(reply.contains("C08P01\0") && reply.contains("exceeds the limit of 1048576"), reply);
      try (ResultSet rs = ok.executeQuery("SELECT 'unaffected'")) {
        assertTrue(rs.next());
        assertEquals("unaffected", rs.getString(1));
      }
    }
  }

  @Test
  void garbageAfterLoginGetsAProtocolViolationError() throws Exception {
    byte[] valid = validSession(gateway.database);
    int afterPassword = 0x47 + 1 + 0x10;
    byte[] stream = java.util.Arrays.copyOf(valid, afterPassword + 5);
    stream[afterPassword] = 'z';
    String reply = exchange(stream);
    assertTrue(reply.contains("C08P01\0") && reply.contains("invalid frontend message type"), reply);
  }

  /** Sends bytes and returns everything the gateway answers until it closes the connection. */
  private static String exchange(byte[] stream) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(stream);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends the stream, half-closes, and reads until the gateway closes; false if it does not within 10 s. */
  private static boolean endsWithinDeadline(byte[] stream) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      try {
        OutputStream out = socket.getOutputStream();
        out.write(stream);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        return true;
      }
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        while (in.read(buffer) >= 0) { /* drain */ }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }
  }

  static byte[] validSession(String database) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] params = ("user\0agent\0database\0" + database + "\0application_name\0fuzz\0\0")
        .getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(8).putInt(params.length + 8).putInt(196608).array());
    out.writeBytes(params);
    message(out, 'p', FixedServices.AGENT_TOKEN + "\0");
    message(out, 'Q', "SELECT 1, 'fuzz'\0");
    message(out, 'P', "s1\0SELECT $1::int\0\0\0");
    message(out, 'B', "\0s1\0\0\0\0\1\0\0\0\0017\0\0");
    message(out, 'D', "P\0");
    message(out, 'E', "\0\0\0\0\0");
    message(out, 'S', "");
    message(out, 'X', "");
    return out.toByteArray();
  }

  private static void message(ByteArrayOutputStream out, char type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    out.write(type);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length + 4).array());
    out.writeBytes(bytes);
  }

  static byte[] mutate(byte[] valid, Random random) {
    byte[] s = valid.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(6)) {
        case 0 -> s[random.nextInt(s.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> s[random.nextInt(s.length)] = (byte) random.nextInt(256);
        case 2 -> s = java.util.Arrays.copyOf(s, random.nextInt(s.length));
        case 3 -> {
          int at = random.nextInt(s.length + 1);
          byte[] junk = new byte[1 + random.nextInt(64)];
          random.nextBytes(junk);
          byte[] grown = new byte[s.length + junk.length];
          System.arraycopy(s, 0, grown, 0, at);
          System.arraycopy(junk, 0, grown, at, junk.length);
          System.arraycopy(s, at, grown, at + junk.length, s.length - at);
          s = grown;
        }
        case 4 -> {
          // An overwritten length word: huge, negative or merely wrong.
          if (s.length < 5) break;
          int at = random.nextInt(s.length - 4);
          int value = switch (random.nextInt(3)) {
            case 0 -> Integer.MAX_VALUE;
            case 1 -> -random.nextInt(1000);
            default -> random.nextInt(2 << 20);
          };
          ByteBuffer.wrap(s, at, 4).putInt(value);
        }
        default -> {
          if (s.length == 0) break;
          int from = random.nextInt(s.length);
          int length = Math.min(s.length - from, 1 + random.nextInt(32));
          byte[] grown = new byte[s.length + length];
          System.arraycopy(s, 0, grown, 0, from + length);
          System.arraycopy(s, from, grown, from + length, s.length - from);
          s = grown;
        }
      }
      if (s.length == 0) break;
    }
    return s;
  }

  private static int upstreamBackends() {
    try (Connection c = DriverManager.getConnection(gateway.server.jdbcUrl("postgresql", "postgres"),
        gateway.server.user(), gateway.server.password()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
             + gateway.database + "'")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }
}
