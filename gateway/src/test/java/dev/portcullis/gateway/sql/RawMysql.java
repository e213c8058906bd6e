package dev.portcullis.gateway.sql;

import dev.portcullis.testkit.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A minimal MySQL/MariaDB text-protocol client with multi-statements on, so that a query string reaches the server
 * exactly as written. Supports mysql_native_password only. Test use only.
 */
final class RawMysql implements AutoCloseable {

  /**
   * How many results (OK packets or result sets) the server returned, the first value of the last result set's
   * first row, and the error if one stopped it.
   */
  record Outcome(int results, String firstValue, String error) {
  }

  private static final int CLIENT_LONG_PASSWORD = 0x1;
  private static final int CLIENT_PROTOCOL_41 = 0x200;
  private static final int CLIENT_SECURE_CONNECTION = 0x8000;
  private static final int CLIENT_MULTI_STATEMENTS = 0x10000;
  private static final int CLIENT_MULTI_RESULTS = 0x20000;
  private static final int CLIENT_PLUGIN_AUTH = 0x80000;
  private static final int SERVER_MORE_RESULTS_EXISTS = 0x8;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int sequence;

  RawMysql(TestDatabases.Server server) throws IOException {
    socket = new Socket(server.host(), server.port());
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] greeting = read();
    int i = 1;
    while (greeting[i] != 0) {
      i++;
    }
    i += 1 + 4;
    byte[] scramble = Arrays.copyOfRange(greeting, i, i + 8);
    i += 8 + 1 + 2 + 1 + 2 + 2;
    int authDataLength = greeting[i] & 0xff;
    i += 1 + 10;
    int part2 = Math.max(13, authDataLength - 8) - 1;
    scramble = concat(scramble, Arrays.copyOfRange(greeting, i, i + part2));

    ByteArrayOutputStream response = new ByteArrayOutputStream();
    int flags = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS
        | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH;
    writeInt4(response, flags);
    writeInt4(response, 1 << 24);
    response.write(45); // utf8mb4_general_ci
    response.write(new byte[23]);
    response.write(server.user().getBytes(StandardCharsets.UTF_8));
    response.write(0);
    byte[] auth = nativePassword(server.password(), scramble);
    response.write(auth.length);
    response.write(auth);
    response.write("mysql_native_password".getBytes(StandardCharsets.UTF_8));
    response.write(0);
    write(response.toByteArray());
    byte[] reply = read();
    if ((reply[0] & 0xff) == 0xfe) { // auth switch: answer for the requested plugin's fresh scramble
      int nameEnd = 1;
      while (reply[nameEnd] != 0) {
        nameEnd++;
      }
      byte[] fresh = Arrays.copyOfRange(reply, nameEnd + 1, reply.length - 1);
      write(nativePassword(server.password(), fresh));
      reply = read();
    }
    if ((reply[0] & 0xff) != 0) {
      throw new IOException("login failed: " + new String(reply, StandardCharsets.UTF_8));
    }
  }

  Outcome query(String sql) throws IOException {
    sequence = 0;
    write(concat(new byte[] {3}, sql.getBytes(StandardCharsets.UTF_8)));
    int results = 0;
    String firstValue = null;
    while (true) {
      byte[] p = read();
      int first = p[0] & 0xff;
      int status;
      if (first == 0xff) {
        return new Outcome(results, firstValue, new String(p, 9, p.length - 9, StandardCharsets.UTF_8));
      } else if (first == 0x00) {
        int[] at = {1};
        lenenc(p, at);
        lenenc(p, at);
        status = (p[at[0]] & 0xff) | (p[at[0] + 1] & 0xff) << 8;
      } else {
        long columns = lenenc(p, new int[] {0});
        for (long c = 0; c < columns; c++) {
          read();
        }
        read(); // EOF after the column definitions
        byte[] row = read();
        firstValue = null;
        while (!((row[0] & 0xff) == 0xfe && row.length < 9)) {
          if (firstValue == null && (row[0] & 0xff) != 0xfb) {
            int[] at = {0};
            int length = (int) lenenc(row, at);
            firstValue = new String(row, at[0], length, StandardCharsets.UTF_8);
          }
          row = read();
        }
        status = (row[3] & 0xff) | (row[4] & 0xff) << 8;
      }
      results++;
      if ((status & SERVER_MORE_RESULTS_EXISTS) == 0) {
        return new Outcome(results, firstValue, null);
      }
    }
  }

  private static long lenenc(byte[] p, int[] at) {
    int b = p[at[0]++] & 0xff;
    int bytes = b < 0xfb ? 0 : b == 0xfc ? 2 : b == 0xfd ? 3 : 8;
    if (bytes == 0) {
      return b;
    }
    long v = 0;
    for (int k = 0; k < bytes; k++) {
      v |= (long) (p[at[0]++] & 0xff) << (8 * k);
    }
    return v;
  }

  private static byte[] nativePassword(String password, byte[] scramble) {
    if (password == null || password.isEmpty()) {
      return new byte[0];
    }
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
      byte[] stage2 = sha1.digest(stage1);
      sha1.update(scramble);
      byte[] mix = sha1.digest(stage2);
      for (int k = 0; k < mix.length; k++) {
        mix[k] ^= stage1[k];
      }
      return mix;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] read() throws IOException {
    int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
    sequence = in.readUnsignedByte() + 1;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return payload;
  }

  private void write(byte[] payload) throws IOException {
    byte[] header = {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16),
      (byte) sequence++};
    out.write(header);
    out.write(payload);
    out.flush();
  }

  private static void writeInt4(ByteArrayOutputStream o, int v) {
    o.write(v);
    o.write(v >>> 8);
    o.write(v >>> 16);
    o.write(v >>> 24);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Override
  public void close() throws IOException {
    sequence = 0;
    write(new byte[] {1}); // COM_QUIT
    socket.close();
  }
}
