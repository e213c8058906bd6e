package dev.portcullis.postgres.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.protocol.ConnectionSettings;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One PostgreSQL listener and the upstream server behind it.
 *
 * @param clientTls the certificate offered to clients; null answers SSLRequest with 'N'
 * @param maxMessageSize the largest message a client may send; larger ones close its connection (08P01)
 */
public record ProxySettings(InetSocketAddress bind, SslContext clientTls, int maxMessageSize,
    UpstreamSettings upstream) {
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
  /** The connection option ({@code connections[i].options.max_message_size}) that overrides the default. */
  public static final String MAX_MESSAGE_SIZE_OPTION = "max_message_size";

  public ProxySettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(upstream, "upstream");
    if (maxMessageSize < 1024) throw new IllegalArgumentException("max_message_size below 1024 bytes");
  }

  public static ProxySettings of(ConnectionSettings connection) {
    JsonNode size = connection.options() == null ? null : connection.options().get(MAX_MESSAGE_SIZE_OPTION);
    int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    if (size != null) {
      if (!size.canConvertToInt()) {
        throw new IllegalArgumentException("options." + MAX_MESSAGE_SIZE_OPTION + " must be a number of bytes");
      }
      maxMessageSize = size.intValue();
    }
    return new ProxySettings(connection.bind(), connection.clientTls().orElse(null), maxMessageSize,
        connection.upstream());
  }
}
