package dev.portcullis.postgres.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The untyped opening of a connection, byte by byte, as clients other than libpq and pgjdbc may send it. */
class StartupNegotiationTest {
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = new GatewayFixture(new FixedServices(), null, ProxySettings.DEFAULT_MAX_MESSAGE_SIZE);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void gssEncryptionAndTlsAreDeclinedThenStartupGoesOn() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(ByteBuffer.allocate(8).putInt(8).putInt(80877104).array());
      assertEquals('N', in.readByte());
      out.write(ByteBuffer.allocate(8).putInt(8).putInt(80877103).array());
      assertEquals('N', in.readByte());
      out.write(startup(196608, "user\0agent\0\0"));
      assertEquals('R', in.readByte());
      assertEquals(8, in.readInt());
      assertEquals(3, in.readInt(), "AuthenticationCleartextPassword");
    }
  }

  @Test
  void aNewerMinorVersionIsNegotiatedDownTo30() throws Exception {
    try (Socket socket = connect()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      socket.getOutputStream().write(startup(196608 + 2, "user\0agent\0_pq_.something\0x\0\0"));
      assertEquals('v', in.readByte());
      int length = in.readInt();
      assertEquals(0, in.readInt(), "newest minor version supported");
      assertEquals(1, in.readInt(), "one option not recognized");
      byte[] name = new byte[length - 12];
      in.readFully(name);
      assertEquals("_pq_.something\0", new String(name, StandardCharsets.UTF_8));
      assertEquals('R', in.readByte());
    }
  }

  @Test
  void aCancelWithAnUnknownKeyIsIgnoredAndTheConnectionClosed() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(1).putInt(2).array());
      assertEquals(-1, socket.getInputStream().read());
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] startup(int version, String parameters) {
    byte[] body = parameters.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(body.length + 8).putInt(body.length + 8).putInt(version).put(body).array();
  }
}
