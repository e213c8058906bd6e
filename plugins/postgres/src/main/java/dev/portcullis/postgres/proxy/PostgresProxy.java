package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.Transport;
import dev.portcullis.postgres.wire.FrameEncoder;
import dev.portcullis.postgres.wire.StartupDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/**
 * A PostgreSQL listener: accepts clients, and for each one opens the gateway's own connection to the upstream on
 * the same event loop, so a session's two channels never need locking.
 */
public final class PostgresProxy implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel server;

  private PostgresProxy(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  /** Binds the listener (port 0 picks a free one) and serves until {@link #close()}. */
  public static PostgresProxy start(ProxySettings settings, GatewayServices services, int threads) {
    EventLoopGroup group = Transport.eventLoops(threads, "portcullis-pg");
    CancelRegistry cancels = new CancelRegistry();
    TableNames tables = new TableNames(settings.upstream(), settings.maxMessageSize());
    try {
      Channel server = new ServerBootstrap().group(group).channel(Transport.serverChannel(group))
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast("startup", new StartupDecoder(settings.maxMessageSize()));
              ch.pipeline().addLast("encoder", new FrameEncoder());
              ch.pipeline().addLast("session", new ClientSession(settings, services, cancels, tables));
            }
          })
          .bind(settings.bind()).syncUninterruptibly().channel();
      return new PostgresProxy(group, server);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
