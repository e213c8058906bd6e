package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One typed protocol message as it travelled: the type byte and the body (the bytes after the length word), a
 * retained slice of the read buffer. The proxy relays most messages as frames untouched and decodes only those it
 * must understand, so the hot path copies nothing.
 */
public final class Frame extends DefaultByteBufHolder {
  private final byte type;

  public Frame(byte type, ByteBuf body) {
    super(body);
    this.type = type;
  }

  public byte type() {
    return type;
  }

  @Override
  public Frame replace(ByteBuf content) {
    return new Frame(type, content);
  }

  @Override
  public String toString() {
    return "Frame(" + (char) type + ", " + content().readableBytes() + " bytes)";
  }
}
