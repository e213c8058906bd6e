package dev.portcullis.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One configured connection ({@code connections[i]} in the YAML): where to listen and what it fronts.
 *
 * @param name      the connection's name, e.g. {@code local-postgres} ({@code input.connection.name})
 * @param protocol  the module that serves it, e.g. {@code postgres}
 * @param tags      e.g. {@code production}, {@code staging} ({@code input.connection.tags})
 * @param bind      where to listen; port 0 picks a free port (see {@link ProtocolModule.Listener#address()})
 * @param clientTls the server TLS context offered to clients (PostgreSQL SSLRequest), or empty for none
 * @param upstream  the server behind the gateway
 * @param options   protocol-specific settings ({@code connections[i].options}), an empty object when none
 */
public record ConnectionSettings(String name, String protocol, List<String> tags, InetSocketAddress bind,
                                 Optional<SslContext> clientTls, UpstreamSettings upstream, JsonNode options) {
  public ConnectionSettings {
    tags = List.copyOf(tags);
  }
}
