package dev.portcullis.gateway.protocol;

import org.pf4j.ExtensionPoint;

/**
 * A wire protocol the gateway speaks (PostgreSQL, MySQL, HTTP...). A module is a PF4J plugin: it decodes what
 * clients send, asks the gateway's {@link GatewayServices} for an identity and a decision per request, and enforces
 * that decision on the wire. It never decides or records anything itself.
 */
public interface ProtocolModule extends ExtensionPoint {

  /** The {@code protocol} value of the connections this module serves, e.g. {@code postgres}. */
  String protocol();

  /**
   * Starts accepting clients for one configured connection. Returns once the listener is bound; the gateway closes
   * the returned listener on shutdown.
   */
  Listener start(ConnectionSettings connection, GatewayServices services) throws Exception;

  /** One bound listener. */
  interface Listener extends AutoCloseable {
    /** The bound address (the real port when the configuration asked for port 0). */
    java.net.InetSocketAddress address();

    /** Stops accepting, closes every client and upstream connection, and returns when they are closed. */
    @Override
    void close();
  }
}
