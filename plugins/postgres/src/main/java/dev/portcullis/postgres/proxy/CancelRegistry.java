package dev.portcullis.postgres.proxy;

import dev.portcullis.gateway.protocol.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Maps the backend keys the gateway gives its clients to the upstream backends' keys, so a CancelRequest reaches
 * the right upstream backend without the client ever learning the upstream's key.
 */
final class CancelRegistry {
  /**
   * Where a key leads, and the session's own handling of a cancel: it is given the forward to the upstream backend
   * and runs it unless the cancel was for a statement the gateway itself holds (waiting for approval), which never
   * reached the upstream: forwarding that cancel could stop the client's next statement instead.
   */
  private record Target(String host, int port, int processId, int secretKey, Consumer<Runnable> onCancel) {}

  /** The key a client got: what it must present to cancel. */
  record Key(int processId, int secretKey) {
    long packed() {
      return ((long) processId << 32) | (secretKey & 0xffffffffL);
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<Long, Target> targets = new ConcurrentHashMap<>();

  Key register(String host, int port, int upstreamProcessId, int upstreamSecretKey, Consumer<Runnable> onCancel) {
    while (true) {
      Key key = new Key(random.nextInt() & 0x7fffffff, random.nextInt());
      Target target = new Target(host, port, upstreamProcessId, upstreamSecretKey, onCancel);
      if (targets.putIfAbsent(key.packed(), target) == null) {
        return key;
      }
    }
  }

  void unregister(Key key) {
    targets.remove(key.packed());
  }

  /**
   * Cancels what the session with this key is doing: the session withdraws a held statement, or has the cancel
   * forwarded to its upstream backend. Unknown keys are ignored, as PostgreSQL does.
   */
  void cancel(EventLoop loop, int processId, int secretKey) {
    Target target = targets.get(new Key(processId, secretKey).packed());
    if (target == null) return;
    target.onCancel().accept(() -> forward(loop, target));
  }

  private static void forward(EventLoop loop, Target target) {
    new Bootstrap().group(loop).channel(Transport.socketChannel(loop))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {}
        })
        .connect(target.host(), target.port())
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) return;
          f.channel().writeAndFlush(f.channel().alloc().buffer(16).writeInt(16).writeInt(80877102)
              .writeInt(target.processId()).writeInt(target.secretKey())).addListener(ChannelFutureListener.CLOSE);
        });
  }
}
