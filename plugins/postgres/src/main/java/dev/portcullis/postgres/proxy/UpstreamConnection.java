package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.Transport;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import dev.portcullis.postgres.auth.AuthenticationFailed;
import dev.portcullis.postgres.auth.Md5Password;
import dev.portcullis.postgres.auth.ScramSha256Client;
import dev.portcullis.postgres.wire.BackendType;
import dev.portcullis.postgres.wire.Buffers;
import dev.portcullis.postgres.wire.Frame;
import dev.portcullis.postgres.wire.FrameDecoder;
import dev.portcullis.postgres.wire.FrameEncoder;
import dev.portcullis.postgres.wire.FrontendType;
import dev.portcullis.postgres.wire.Notice;
import dev.portcullis.postgres.wire.ServerMessages;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own connection to the upstream server, on the client's event loop: TLS negotiation, StartupMessage
 * and login (SCRAM-SHA-256, MD5, cleartext or trust), then a relay of every server message to the {@link Listener}.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  /** Receives the connection's events, always on its event loop. */
  interface Listener {
    /** Logged in: the server's parameters and backend key; the connection now relays. */
    void upstreamReady(UpstreamConnection upstream, Map<String, String> parameters, int processId, int secretKey);

    /** The login failed: a server error to pass on, or null with a reason of our own. */
    void upstreamFailed(Notice serverError, String reason);

    /** A server message after login. */
    void upstreamMessage(Frame frame);

    void upstreamClosed();

    /** The end of one read from the upstream: time to flush to the client. */
    void upstreamReadComplete();

    /** The upstream connection's writability changed (backpressure on client reads). */
    void upstreamWritabilityChanged();
  }

  private enum State { TLS, LOGIN, RELAY, CLOSED }

  private final UpstreamSettings settings;
  private final Map<String, String> startupParameters;
  private final Listener listener;
  private final Map<String, String> serverParameters = new LinkedHashMap<>();
  private State state = State.LOGIN;
  private Channel channel;
  private ScramSha256Client scram;
  private int processId;
  private int secretKey;

  private UpstreamConnection(UpstreamSettings settings, Map<String, String> startupParameters,
      Listener listener) {
    this.settings = settings;
    this.startupParameters = startupParameters;
    this.listener = listener;
  }

  /** Connects and logs in; every outcome reaches {@code listener}. */
  static void open(EventLoop loop, UpstreamSettings settings, Map<String, String> startupParameters,
      int maxMessageSize, Listener listener) {
    UpstreamConnection connection = new UpstreamConnection(settings, startupParameters, listener);
    new Bootstrap().group(loop).channel(Transport.socketChannel(loop))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("frames", FrameDecoder.backend(maxMessageSize));
            ch.pipeline().addLast("encoder", new FrameEncoder());
            ch.pipeline().addLast("upstream", connection);
          }
        })
        .connect(settings.host(), settings.port())
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            listener.upstreamFailed(null, "cannot reach the upstream server " + settings.host() + ":"
                + settings.port() + ": " + f.cause().getMessage());
          }
        });
  }

  Channel channel() {
    return channel;
  }

  void write(Frame frame) {
    channel.write(frame, channel.voidPromise());
  }

  void flush() {
    channel.flush();
  }

  void close() {
    if (state == State.CLOSED) return;
    if (state == State.RELAY && channel.isActive()) {
      channel.writeAndFlush(new Frame(FrontendType.TERMINATE, channel.alloc().buffer(0)))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
    state = State.CLOSED;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    if (settings.tls().mode() != UpstreamSettings.Tls.Mode.DISABLE) {
      state = State.TLS;
      ctx.pipeline().addFirst("tls-answer", new TlsAnswer());
      ctx.writeAndFlush(ctx.alloc().buffer(8).writeInt(8).writeInt(80877103));
    } else {
      sendStartup();
    }
  }

  private void sendStartup() {
    state = State.LOGIN;
    ByteBuf body = channel.alloc().buffer();
    body.writeInt(196608);
    Map<String, String> parameters = new LinkedHashMap<>(startupParameters);
    parameters.put("user", settings.user());
    parameters.forEach((name, value) -> {
      Buffers.writeCString(body, name);
      Buffers.writeCString(body, value);
    });
    body.writeByte(0);
    ByteBuf packet = channel.alloc().buffer(body.readableBytes() + 4).writeInt(body.readableBytes() + 4);
    packet.writeBytes(body);
    body.release();
    channel.writeAndFlush(packet);
  }

  /** Reads the one-byte answer to SSLRequest, then steps aside. */
  private final class TlsAnswer extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      if (!in.isReadable()) return;
      byte answer = in.readByte();
      if (in.isReadable()) {
        fail(null, "upstream sent data after its TLS answer");
        return;
      }
      ctx.pipeline().remove(this);
      if (answer == 'S') {
        SslContext tls = settings.tls().context()
            .orElseThrow(() -> new IllegalStateException("upstream TLS without a TLS context"));
        ctx.pipeline().addFirst("tls", tls.newHandler(ctx.alloc(), settings.host(), settings.port()));
        sendStartup();
      } else if (answer == 'N' && settings.tls().mode() == UpstreamSettings.Tls.Mode.PREFER) {
        sendStartup();
      } else {
        fail(null, "the upstream server does not accept TLS, which the configuration requires");
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    if (state == State.RELAY) {
      listener.upstreamMessage(frame);
      return;
    }
    try {
      if (state == State.LOGIN) login(frame);
    } catch (AuthenticationFailed e) {
      fail(null, "upstream login failed: " + e.getMessage());
    } finally {
      frame.release();
    }
  }

  private void login(Frame frame) throws AuthenticationFailed {
    ByteBuf body = frame.content();
    switch (frame.type()) {
      case BackendType.AUTHENTICATION -> authenticate(body);
      case BackendType.PARAMETER_STATUS -> serverParameters.put(Buffers.readCString(body), Buffers.readCString(body));
      case BackendType.BACKEND_KEY_DATA -> {
        processId = body.readInt();
        secretKey = body.readInt();
      }
      case BackendType.ERROR_RESPONSE -> fail(Notice.decode(body), null);
      case BackendType.NOTICE_RESPONSE, BackendType.NEGOTIATE_PROTOCOL_VERSION -> { }
      case BackendType.READY_FOR_QUERY -> {
        state = State.RELAY;
        listener.upstreamReady(this, serverParameters, processId, secretKey);
      }
      default -> fail(null, "unexpected upstream message '" + (char) frame.type() + "' during login");
    }
  }

  private void authenticate(ByteBuf body) throws AuthenticationFailed {
    int code = body.readInt();
    switch (code) {
      case ServerMessages.AUTH_OK -> { }
      case ServerMessages.AUTH_CLEARTEXT -> sendPassword(FrontendType.PASSWORD, cstring(password()));
      case ServerMessages.AUTH_MD5 -> {
        byte[] salt = new byte[4];
        body.readBytes(salt);
        sendPassword(FrontendType.PASSWORD, cstring(Md5Password.response(settings.user(), password(), salt)));
      }
      case ServerMessages.AUTH_SASL -> {
        boolean offered = false;
        while (body.isReadable()) {
          String mechanism = Buffers.readCString(body);
          if (mechanism.isEmpty()) break;
          offered |= mechanism.equals(ScramSha256Client.MECHANISM);
        }
        if (!offered) throw new AuthenticationFailed("the server offers no SCRAM-SHA-256 (channel binding is not supported)");
        scram = new ScramSha256Client(password());
        byte[] first = scram.clientFirst().getBytes(StandardCharsets.UTF_8);
        ByteBuf out = channel.alloc().buffer();
        Buffers.writeCString(out, ScramSha256Client.MECHANISM).writeInt(first.length).writeBytes(first);
        write(new Frame(FrontendType.PASSWORD, out));
        flush();
      }
      case ServerMessages.AUTH_SASL_CONTINUE -> {
        if (scram == null) throw new AuthenticationFailed("SASL continue without SASL start");
        String reply = scram.clientFinal(body.toString(StandardCharsets.UTF_8));
        sendPassword(FrontendType.PASSWORD, reply.getBytes(StandardCharsets.UTF_8));
      }
      case ServerMessages.AUTH_SASL_FINAL -> {
        if (scram == null) throw new AuthenticationFailed("SASL final without SASL start");
        scram.verifyServerFinal(body.toString(StandardCharsets.UTF_8));
      }
      default -> throw new AuthenticationFailed("unsupported authentication method " + code);
    }
  }

  private String password() throws AuthenticationFailed {
    try {
      return settings.credential().get()
          .orElseThrow(() -> new AuthenticationFailed("the server asks for a password; none is configured"));
    } catch (IllegalStateException e) {
      throw new AuthenticationFailed(e.getMessage());
    }
  }

  private static byte[] cstring(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  private void sendPassword(byte type, byte[] payload) {
    write(new Frame(type, channel.alloc().buffer(payload.length).writeBytes(payload)));
    flush();
  }

  private void fail(Notice serverError, String reason) {
    if (state == State.CLOSED) return;
    state = State.CLOSED;
    channel.close();
    listener.upstreamFailed(serverError, reason);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.RELAY) listener.upstreamReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (state == State.RELAY) listener.upstreamWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    State before = state;
    state = State.CLOSED;
    if (before == State.RELAY) {
      listener.upstreamClosed();
    } else if (before != State.CLOSED) {
      listener.upstreamFailed(null, "the upstream server closed the connection during login");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.RELAY) {
      state = State.CLOSED;
      ctx.close();
      listener.upstreamClosed();
    } else {
      fail(null, "upstream connection error: " + cause.getMessage());
    }
  }
}
