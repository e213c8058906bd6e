package dev.portcullis.gateway.protocol;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport protocol modules run on: Linux's native epoll where Netty's library loads (fewer system calls
 * and wake-ups per message than the JDK selector), else NIO. A channel must use the transport of its event loop.
 */
public final class Transport {
  private Transport() {}

  /** Daemon event loops named {@code name-N}. */
  public static EventLoopGroup eventLoops(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return Epoll.isAvailable() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
  }

  public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client channel for connections made from {@code loop} (upstream servers, cancel requests). */
  public static Class<? extends SocketChannel> socketChannel(EventLoop loop) {
    return loop.parent() instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
