package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Writes {@link Frame}s, batched up to the next flush: headers and small bodies are copied into one buffer, so a
 * statement's reply (RowDescription, DataRow, CommandComplete, ReadyForQuery) leaves as one buffer, not one
 * allocation and one iovec per message. Large bodies (DataRow, CopyData) go out as the original slice behind their
 * header, so relayed rows are never copied. One instance per channel.
 */
public final class FrameEncoder extends ChannelOutboundHandlerAdapter {
  private static final int COPY_BELOW = 512;
  private static final int INITIAL_BATCH = 1024;
  /** A batch this large is handed on without waiting for the flush, so the channel's writability sees it. */
  private static final int MAX_BATCH = 16 * 1024;

  /** What was written since the last flush and not handed on yet; null when nothing was. */
  private ByteBuf batch;

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof Frame frame)) {
      handOn(ctx, ctx.voidPromise());
      ctx.write(msg, promise);
      return;
    }
    ByteBuf body = frame.content();
    int size = body.readableBytes();
    if (batch == null) batch = ctx.alloc().ioBuffer(INITIAL_BATCH);
    batch.writeByte(frame.type()).writeInt(size + 4);
    if (size < COPY_BELOW) {
      batch.writeBytes(body);
      frame.release();
      // Whoever waits for this frame waits for the batch it went into.
      if (!promise.isVoid() || batch.readableBytes() >= MAX_BATCH) handOn(ctx, promise);
    } else {
      handOn(ctx, ctx.voidPromise());
      ctx.write(body, promise);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    handOn(ctx, ctx.voidPromise());
    ctx.flush();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }

  private void handOn(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (batch == null) return;
    ByteBuf out = batch;
    batch = null;
    ctx.write(out, promise);
  }
}
