package dev.portcullis.postgres.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {

  private static Frame frame(char type, byte[] body) {
    return new Frame((byte) type, Unpooled.wrappedBuffer(body));
  }

  private static byte[] wire(char type, byte[] body) {
    ByteBuf b = Unpooled.buffer().writeByte(type).writeInt(body.length + 4).writeBytes(body);
    return ByteBufUtil.getBytes(b);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] take(EmbeddedChannel ch) {
    ByteBuf b = ch.readOutbound();
    byte[] bytes = ByteBufUtil.getBytes(b);
    b.release();
    return bytes;
  }

  // The proxy writes with void promises; EmbeddedChannel's write(Object) would pass a real one.
  @Test
  void framesWrittenBeforeAFlushLeaveAsOneBufferInOrder() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
    Frame row = frame('D', new byte[] {0, 1, 0, 0, 0, 1, '7'});
    ch.write(frame('T', "columns".getBytes()), ch.voidPromise());
    ch.write(row, ch.voidPromise());
    ch.write(frame('Z', new byte[] {'I'}), ch.voidPromise());
    assertNull(ch.readOutbound(), "nothing leaves before the flush");
    ch.flush();
    assertArrayEquals(concat(wire('T', "columns".getBytes()), wire('D', new byte[] {0, 1, 0, 0, 0, 1, '7'}),
        wire('Z', new byte[] {'I'})), take(ch));
    assertNull(ch.readOutbound());
    assertEquals(0, row.refCnt(), "a copied body is released");
  }

  @Test
  void aLargeBodyLeavesUncopiedBehindItsHeader() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
    byte[] large = new byte[600];
    Arrays.fill(large, (byte) 'x');
    Frame row = frame('D', large);
    ch.write(frame('T', "c".getBytes()), ch.voidPromise());
    ch.write(row, ch.voidPromise());
    ch.writeAndFlush(frame('C', "SELECT 1".getBytes()), ch.voidPromise());
    assertArrayEquals(concat(wire('T', "c".getBytes()), new byte[] {'D', 0, 0, 2, 0x5c}), take(ch));
    ByteBuf body = ch.readOutbound();
    assertEquals(row.content(), body, "the body itself, not a copy");
    body.release();
    assertArrayEquals(wire('C', "SELECT 1".getBytes()), take(ch));
  }

  @Test
  void aWaitedForFrameCompletesWithTheBatchItWentInto() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
    ch.write(frame('S', "a\0b\0".getBytes()), ch.voidPromise());
    ChannelFuture written = ch.write(frame('R', new byte[] {0, 0, 0, 0}));
    ch.write(frame('Z', new byte[] {'I'}), ch.voidPromise());
    ch.flush();
    assertArrayEquals(concat(wire('S', "a\0b\0".getBytes()), wire('R', new byte[] {0, 0, 0, 0})), take(ch));
    assertArrayEquals(wire('Z', new byte[] {'I'}), take(ch));
    assertTrue(written.isSuccess());
  }

  @Test
  void otherMessagesKeepTheirPlaceBetweenFrames() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
    ch.write(frame('E', "oops".getBytes()), ch.voidPromise());
    ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
    assertArrayEquals(wire('E', "oops".getBytes()), take(ch));
    assertArrayEquals(new byte[] {'N'}, take(ch));
  }
}
