package dev.portcullis.gateway.testing;

import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.ProtocolModule;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A protocol module without a wire: it hands each connection's services to the test. */
public final class CapturingModule implements ProtocolModule {
  public final Map<String, GatewayServices> services = new ConcurrentHashMap<>();
  public final Map<String, ConnectionSettings> settings = new ConcurrentHashMap<>();
  public volatile boolean closed;

  @Override
  public String protocol() { return "postgres"; }

  @Override
  public Listener start(ConnectionSettings connection, GatewayServices services) {
    this.services.put(connection.name(), services);
    this.settings.put(connection.name(), connection);
    return new Listener() {
      @Override public InetSocketAddress address() { return connection.bind(); }

      @Override public void close() { closed = true; }
    };
  }
}
