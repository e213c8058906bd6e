package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Reading and writing the protocol's NUL-terminated strings. */
public final class Buffers {
  private Buffers() {}

  /** Reads a NUL-terminated UTF-8 string; a missing terminator is a {@link ProtocolViolation}. */
  public static String readCString(ByteBuf buf) {
    int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
    if (end < 0) throw new ProtocolViolation("string without terminator");
    String value = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
    buf.readerIndex(end + 1);
    return value;
  }

  public static ByteBuf writeCString(ByteBuf buf, String value) {
    buf.writeCharSequence(value, StandardCharsets.UTF_8);
    return buf.writeByte(0);
  }

  /** Reads an Int16 count that must be non-negative and fit the remaining bytes at {@code bytesEach}. */
  public static int readCount(ByteBuf buf, int bytesEach) {
    int count = buf.readShort();
    if (count < 0 || (long) count * bytesEach > buf.readableBytes()) {
      throw new ProtocolViolation("invalid count " + count);
    }
    return count;
  }

  public static void requireEmpty(ByteBuf buf, String message) {
    if (buf.isReadable()) throw new ProtocolViolation(message + " has " + buf.readableBytes() + " trailing bytes");
  }
}
