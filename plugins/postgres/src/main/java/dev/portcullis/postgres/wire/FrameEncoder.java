package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Writes {@link Frame}s: small bodies are copied behind their header into one buffer, large ones (DataRow, CopyData)
 * go out as header plus the original slice so relayed rows are never copied.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
  public static final FrameEncoder INSTANCE = new FrameEncoder();
  private static final int COPY_BELOW = 512;

  private FrameEncoder() {}

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof Frame frame)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf body = frame.content();
    int size = body.readableBytes();
    if (size < COPY_BELOW) {
      ByteBuf out = ctx.alloc().ioBuffer(size + 5).writeByte(frame.type()).writeInt(size + 4).writeBytes(body);
      frame.release();
      ctx.write(out, promise);
    } else {
      ctx.write(ctx.alloc().ioBuffer(5).writeByte(frame.type()).writeInt(size + 4), ctx.voidPromise());
      ctx.write(body, promise);
    }
  }
}
