package dev.portcullis.postgres;

import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.GatewayServices;
import dev.portcullis.gateway.protocol.ProtocolModule;
import dev.portcullis.postgres.proxy.PostgresProxy;
import dev.portcullis.postgres.proxy.ProxySettings;
import java.net.InetSocketAddress;
import org.pf4j.Extension;

/** The PostgreSQL wire protocol (3.0): serves the connections whose {@code protocol} is {@code postgres}. */
@Extension
public final class PostgresModule implements ProtocolModule {
  @Override
  public String protocol() {
    return "postgres";
  }

  @Override
  public Listener start(ConnectionSettings connection, GatewayServices services) {
    PostgresProxy proxy = PostgresProxy.start(ProxySettings.of(connection), services,
        Runtime.getRuntime().availableProcessors());
    return new Listener() {
      @Override
      public InetSocketAddress address() {
        return proxy.address();
      }

      @Override
      public void close() {
        proxy.close();
      }
    };
  }
}
