package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;

/** The client messages the proxy must read (the rest are relayed as frames). Decoding never consumes the frame. */
public final class ClientMessages {
  private ClientMessages() {}

  /** Simple query: one string, possibly several statements. */
  public record Query(String sql) {
    public static Query decode(ByteBuf body) {
      ByteBuf b = body.duplicate();
      String sql = Buffers.readCString(b);
      Buffers.requireEmpty(b, "Query");
      return new Query(sql);
    }
  }

  /** Parse: prepares {@code sql} as statement {@code name} ("" is the unnamed statement). */
  public record Parse(String name, String sql) {
    public static Parse decode(ByteBuf body) {
      ByteBuf b = body.duplicate();
      String name = Buffers.readCString(b);
      String sql = Buffers.readCString(b);
      int types = Buffers.readCount(b, 4);
      b.skipBytes(types * 4);
      Buffers.requireEmpty(b, "Parse");
      return new Parse(name, sql);
    }
  }

  /**
   * Bind: creates {@code portal} from {@code statement}. {@code resultFormats} as sent: empty = all text, one = that
   * format for every column, else one per column.
   */
  public record Bind(String portal, String statement, short[] resultFormats) {
    public static Bind decode(ByteBuf body) {
      ByteBuf b = body.duplicate();
      String portal = Buffers.readCString(b);
      String statement = Buffers.readCString(b);
      b.skipBytes(Buffers.readCount(b, 2) * 2);
      int values = Buffers.readCount(b, 4);
      for (int i = 0; i < values; i++) {
        if (b.readableBytes() < 4) throw new ProtocolViolation("truncated Bind");
        int length = b.readInt();
        if (length < -1 || length > b.readableBytes()) throw new ProtocolViolation("invalid Bind value length");
        if (length > 0) b.skipBytes(length);
      }
      short[] formats = new short[Buffers.readCount(b, 2)];
      for (int i = 0; i < formats.length; i++) formats[i] = b.readShort();
      Buffers.requireEmpty(b, "Bind");
      return new Bind(portal, statement, formats);
    }

    /** The format of result column {@code column}: 0 text, 1 binary. */
    public int formatOf(int column) {
      if (resultFormats.length == 0) return 0;
      return resultFormats.length == 1 ? resultFormats[0] : column < resultFormats.length ? resultFormats[column] : 0;
    }
  }

  /** Describe or Close of a statement ('S') or portal ('P'). */
  public record Target(byte kind, String name) {
    public static final byte STATEMENT = 'S';
    public static final byte PORTAL = 'P';

    public static Target decode(ByteBuf body, String message) {
      ByteBuf b = body.duplicate();
      if (!b.isReadable()) throw new ProtocolViolation("empty " + message);
      byte kind = b.readByte();
      if (kind != STATEMENT && kind != PORTAL) throw new ProtocolViolation("invalid " + message + " target " + kind);
      String name = Buffers.readCString(b);
      Buffers.requireEmpty(b, message);
      return new Target(kind, name);
    }
  }

  /** Execute: runs {@code portal}, at most {@code maxRows} rows (0 = all). */
  public record Execute(String portal, int maxRows) {
    public static Execute decode(ByteBuf body) {
      ByteBuf b = body.duplicate();
      String portal = Buffers.readCString(b);
      if (b.readableBytes() != 4) throw new ProtocolViolation("invalid Execute");
      return new Execute(portal, b.readInt());
    }
  }

  /** PasswordMessage: here the client's identity token. */
  public static String password(ByteBuf body) {
    ByteBuf b = body.duplicate();
    String password = Buffers.readCString(b);
    Buffers.requireEmpty(b, "PasswordMessage");
    return password;
  }
}
