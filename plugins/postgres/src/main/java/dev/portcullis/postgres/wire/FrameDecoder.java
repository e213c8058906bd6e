package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into {@link Frame}s once the untyped startup phase is over. A length below 4, above the
 * configured maximum, or (on the client side) a type byte no frontend may send is a {@link ProtocolViolation}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  private final int maxMessageSize;
  private final boolean fromClient;

  private FrameDecoder(int maxMessageSize, boolean fromClient) {
    this.maxMessageSize = maxMessageSize;
    this.fromClient = fromClient;
  }

  /** Decodes what a client (frontend) sends. */
  public static FrameDecoder frontend(int maxMessageSize) {
    return new FrameDecoder(maxMessageSize, true);
  }

  /** Decodes what the upstream server (backend) sends. */
  public static FrameDecoder backend(int maxMessageSize) {
    return new FrameDecoder(maxMessageSize, false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 5) {
      int start = in.readerIndex();
      byte type = in.getByte(start);
      int length = in.getInt(start + 1);
      if (fromClient && !FrontendType.isKnown(type)) {
        throw new ProtocolViolation("invalid frontend message type " + (type & 0xff));
      }
      if (length < 4) throw new ProtocolViolation("invalid message length " + length);
      if (length > maxMessageSize) {
        throw new ProtocolViolation("message of " + length + " bytes exceeds the limit of " + maxMessageSize);
      }
      if (in.readableBytes() < length + 1) return;
      in.skipBytes(5);
      out.add(new Frame(type, in.readRetainedSlice(length - 4)));
    }
  }
}
