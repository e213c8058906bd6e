package dev.portcullis.postgres.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the untyped packets a client opens with ({@link StartupPacket}) and, after the StartupMessage, hands the
 * rest of the stream to a frontend {@link FrameDecoder}.
 */
public final class StartupDecoder extends ByteToMessageDecoder {
  /** PostgreSQL refuses startup packets above this size too. */
  static final int MAX_STARTUP_PACKET = 10_000;
  static final int PROTOCOL_3_0 = 196608;
  static final int SSL_REQUEST = 80877103;
  static final int GSSENC_REQUEST = 80877104;
  static final int CANCEL_REQUEST = 80877102;

  private final int maxMessageSize;

  public StartupDecoder(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 8) return;
    int length = in.getInt(in.readerIndex());
    if (length < 8 || length > MAX_STARTUP_PACKET) throw new ProtocolViolation("invalid startup packet length " + length);
    if (in.readableBytes() < length) return;
    in.skipBytes(4);
    int code = in.readInt();
    ByteBuf body = in.readSlice(length - 8);
    if (code >>> 16 == 3) {
      Map<String, String> parameters = readParameters(body);
      List<String> options = new ArrayList<>();
      parameters.keySet().removeIf(name -> name.startsWith("_pq_.") && options.add(name));
      out.add(new StartupPacket.Startup(code & 0xffff, parameters, options));
      ctx.pipeline().replace(this, "frames", FrameDecoder.frontend(maxMessageSize));
      return;
    }
    switch (code) {
      case SSL_REQUEST, GSSENC_REQUEST -> {
        Buffers.requireEmpty(body, "encryption request");
        // Bytes sent before the answer could be injected past the TLS handshake (CVE-2021-23214): refuse them.
        if (in.isReadable()) throw new ProtocolViolation("data received after an encryption request");
        out.add(code == SSL_REQUEST ? new StartupPacket.SslRequest() : new StartupPacket.GssEncRequest());
      }
      case CANCEL_REQUEST -> {
        if (body.readableBytes() != 8) throw new ProtocolViolation("invalid cancel request");
        out.add(new StartupPacket.CancelRequest(body.readInt(), body.readInt()));
      }
      default -> throw new ProtocolViolation(
          "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xffff) + ": the gateway speaks 3.0");
    }
  }

  private static Map<String, String> readParameters(ByteBuf body) {
    Map<String, String> parameters = new LinkedHashMap<>();
    while (true) {
      String name = Buffers.readCString(body);
      if (name.isEmpty()) break;
      parameters.put(name, Buffers.readCString(body));
    }
    Buffers.requireEmpty(body, "startup packet");
    if (parameters.get("user") == null || parameters.get("user").isEmpty()) {
      throw new ProtocolViolation("no PostgreSQL user name specified in startup packet");
    }
    return parameters;
  }
}
