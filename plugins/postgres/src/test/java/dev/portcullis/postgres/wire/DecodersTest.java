package dev.portcullis.postgres.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodersTest {
  private static ByteBuf startup(int code, String params) {
    byte[] body = params.getBytes(StandardCharsets.UTF_8);
    return Unpooled.buffer().writeInt(body.length + 8).writeInt(code).writeBytes(body);
  }

  @Test
  void startupMessageThenTypedFrames() {
    EmbeddedChannel ch = new EmbeddedChannel(new StartupDecoder(1024));
    ByteBuf in = startup(StartupDecoder.PROTOCOL_3_0, "user\0agent\0database\0shop\0\0");
    in.writeByte('p').writeInt(4 + 4).writeBytes("tok\0".getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(in);
    StartupPacket.Startup s = assertInstanceOf(StartupPacket.Startup.class, ch.readInbound());
    assertEquals("agent", s.user());
    assertEquals("shop", s.database());
    Frame password = ch.readInbound();
    assertEquals('p', password.type());
    assertEquals("tok", ClientMessages.password(password.content()));
    password.release();
  }

  @Test
  void databaseDefaultsToTheUserName() {
    EmbeddedChannel ch = new EmbeddedChannel(new StartupDecoder(1024));
    ch.writeInbound(startup(StartupDecoder.PROTOCOL_3_0, "user\0agent\0\0"));
    assertEquals("agent", ((StartupPacket.Startup) ch.readInbound()).database());
  }

  @Test
  void newerMinorVersionsAndProtocolOptionsAreNoted() {
    EmbeddedChannel ch = new EmbeddedChannel(new StartupDecoder(1024));
    ch.writeInbound(startup(StartupDecoder.PROTOCOL_3_0 + 2, "user\0agent\0_pq_.compression\0on\0\0"));
    StartupPacket.Startup s = ch.readInbound();
    assertEquals(2, s.minorVersion());
    assertEquals(java.util.List.of("_pq_.compression"), s.protocolOptions());
    assertEquals(java.util.Map.of("user", "agent"), s.parameters());
  }

  @Test
  void encryptionAndCancelRequests() {
    EmbeddedChannel ch = new EmbeddedChannel(new StartupDecoder(1024));
    ch.writeInbound(startup(StartupDecoder.SSL_REQUEST, ""));
    assertInstanceOf(StartupPacket.SslRequest.class, ch.readInbound());
    ch.writeInbound(startup(StartupDecoder.GSSENC_REQUEST, ""));
    assertInstanceOf(StartupPacket.GssEncRequest.class, ch.readInbound());
    ch.writeInbound(Unpooled.buffer().writeInt(16).writeInt(StartupDecoder.CANCEL_REQUEST).writeInt(7).writeInt(9));
    assertEquals(new StartupPacket.CancelRequest(7, 9), ch.readInbound());
  }

  @Test
  void dataPipelinedBehindAnSslRequestIsRefused() {
    EmbeddedChannel ch = new EmbeddedChannel(new StartupDecoder(1024));
    ByteBuf in = startup(StartupDecoder.SSL_REQUEST, "").writeByte('x');
    violation(ch, in, "data received after an encryption request");
  }

  @Test
  void badStartupPacketsAreViolations() {
    violation(new EmbeddedChannel(new StartupDecoder(1024)), Unpooled.buffer().writeInt(20_000).writeInt(0),
        "invalid startup packet length");
    violation(new EmbeddedChannel(new StartupDecoder(1024)), startup(0x00020000, "user\0a\0\0"),
        "unsupported frontend protocol 2.0");
    violation(new EmbeddedChannel(new StartupDecoder(1024)), startup(StartupDecoder.PROTOCOL_3_0, "database\0x\0\0"),
        "no PostgreSQL user name");
    violation(new EmbeddedChannel(new StartupDecoder(1024)), startup(StartupDecoder.PROTOCOL_3_0, "user\0agent"),
        "string without terminator");
  }

  @Test
  void framesOverTheLimitOrOfUnknownTypeAreViolations() {
    violation(new EmbeddedChannel(FrameDecoder.frontend(1024)), Unpooled.buffer().writeByte('Q').writeInt(1 << 20),
        "exceeds the limit of 1024");
    violation(new EmbeddedChannel(FrameDecoder.frontend(1024)), Unpooled.buffer().writeByte('Q').writeInt(2),
        "invalid message length 2");
    violation(new EmbeddedChannel(FrameDecoder.frontend(1024)), Unpooled.buffer().writeByte('z').writeInt(4),
        "invalid frontend message type");
  }

  @Test
  void bindKnowsItsResultFormats() {
    ByteBuf body = Unpooled.buffer();
    Buffers.writeCString(body, "p1");
    Buffers.writeCString(body, "s1");
    body.writeShort(0).writeShort(1).writeInt(1).writeByte('7').writeShort(2).writeShort(1).writeShort(0);
    ClientMessages.Bind bind = ClientMessages.Bind.decode(body);
    assertEquals("p1", bind.portal());
    assertEquals("s1", bind.statement());
    assertEquals(1, bind.formatOf(0));
    assertEquals(0, bind.formatOf(1));
    ByteBuf lying = Unpooled.buffer();
    Buffers.writeCString(lying, "");
    Buffers.writeCString(lying, "");
    lying.writeShort(0).writeShort(1).writeInt(1000);
    assertThrows(ProtocolViolation.class, () -> ClientMessages.Bind.decode(lying));
  }

  private static void violation(EmbeddedChannel ch, ByteBuf in, String message) {
    DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(in));
    assertInstanceOf(ProtocolViolation.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains(message), e.getCause().getMessage());
  }
}
