package dev.portcullis.gateway.sql;

import dev.portcullis.testkit.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A minimal PostgreSQL simple-query client speaking the wire protocol directly, so that a query string reaches the
 * server exactly as written (JDBC drivers split multi-statement strings themselves). Test use only.
 */
final class RawPostgres implements AutoCloseable {

  /** What the server did with one query string. */
  record Outcome(List<String> commandTags, String error) {
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawPostgres(TestDatabases.Server server, String database) throws IOException {
    socket = new Socket(server.host(), server.port());
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, 196608);
    for (String s : new String[] {"user", server.user(), "database", database, "client_encoding", "UTF8"}) {
      body.write(s.getBytes(StandardCharsets.UTF_8));
      body.write(0);
    }
    body.write(0);
    out.writeInt(body.size() + 4);
    out.write(body.toByteArray());
    out.flush();
    authenticate(server);
    readUntilReady();
  }

  Outcome simpleQuery(String sql) throws IOException {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    out.writeByte('Q');
    out.writeInt(text.length + 5);
    out.write(text);
    out.writeByte(0);
    out.flush();
    return readUntilReady();
  }

  private Outcome readUntilReady() throws IOException {
    List<String> tags = new ArrayList<>();
    String error = null;
    while (true) {
      int type = in.readUnsignedByte();
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      switch (type) {
        case 'C' -> tags.add(new String(body, 0, body.length - 1, StandardCharsets.UTF_8));
        case 'E' -> error = errorMessage(body);
        case 'Z' -> {
          return new Outcome(tags, error);
        }
        default -> {
        }
      }
    }
  }

  private static String errorMessage(byte[] body) {
    int i = 0;
    while (i < body.length && body[i] != 0) {
      byte field = body[i++];
      int end = i;
      while (body[end] != 0) {
        end++;
      }
      if (field == 'M') {
        return new String(body, i, end - i, StandardCharsets.UTF_8);
      }
      i = end + 1;
    }
    return "error";
  }

  private void authenticate(TestDatabases.Server server) throws IOException {
    String clientFirstBare = null;
    byte[] saltedPassword = null;
    while (true) {
      int type = in.readUnsignedByte();
      byte[] body = new byte[in.readInt() - 4];
      in.readFully(body);
      if (type == 'E') {
        throw new IOException("login failed: " + errorMessage(body));
      }
      if (type != 'R') {
        throw new IOException("unexpected message " + (char) type + " during login");
      }
      int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
      switch (code) {
        case 0 -> {
          return;
        }
        case 3 -> password(server.password());
        case 5 -> {
          String inner = md5Hex(server.password() + server.user());
          byte[] salt = java.util.Arrays.copyOfRange(body, 4, 8);
          byte[] outer = concat(inner.getBytes(StandardCharsets.UTF_8), salt);
          password("md5" + md5Hex(outer));
        }
        case 10 -> {
          byte[] nonce = new byte[18];
          new SecureRandom().nextBytes(nonce);
          clientFirstBare = "n=,r=" + Base64.getEncoder().encodeToString(nonce);
          byte[] first = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
          ByteArrayOutputStream msg = new ByteArrayOutputStream();
          msg.write("SCRAM-SHA-256".getBytes(StandardCharsets.UTF_8));
          msg.write(0);
          writeInt(msg, first.length);
          msg.write(first);
          send('p', msg.toByteArray());
        }
        case 11 -> {
          String serverFirst = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
          String nonce = attribute(serverFirst, "r");
          byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, "s"));
          int iterations = Integer.parseInt(attribute(serverFirst, "i"));
          String withoutProof = "c=biws,r=" + nonce;
          String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
          try {
            saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(server.password().toCharArray(), salt, iterations, 256))
                .getEncoded();
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            for (int i = 0; i < clientKey.length; i++) {
              clientKey[i] ^= signature[i];
            }
            send('p', (withoutProof + ",p=" + Base64.getEncoder().encodeToString(clientKey))
                .getBytes(StandardCharsets.UTF_8));
          } catch (GeneralSecurityException e) {
            throw new IOException(e);
          }
        }
        case 12 -> {
          // server signature: not verified, the test only needs a session
        }
        default -> throw new IOException("unsupported authentication method " + code);
      }
    }
  }

  private static String attribute(String message, String name) {
    for (String part : message.split(",")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("no " + name + " in " + message);
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private void password(String password) throws IOException {
    byte[] p = password.getBytes(StandardCharsets.UTF_8);
    send('p', concat(p, new byte[] {0}));
  }

  private void send(char type, byte[] body) throws IOException {
    out.writeByte(type);
    out.writeInt(body.length + 4);
    out.write(body);
    out.flush();
  }

  private static String md5Hex(String s) {
    return md5Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String md5Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private static void writeInt(ByteArrayOutputStream o, int v) {
    o.write(v >>> 24);
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }

  @Override
  public void close() throws IOException {
    out.writeByte('X');
    out.writeInt(4);
    out.flush();
    socket.close();
  }
}
