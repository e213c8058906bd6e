package dev.portcullis.gateway.server;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.gateway.protocol.UpstreamSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Builds the Netty TLS contexts the configuration describes. */
final class TlsContexts {
  private TlsContexts() {}

  static Optional<SslContext> server(GatewayConfig.ClientTls tls) throws SSLException {
    if (tls == null) return Optional.empty();
    try {
      return Optional.of(SslContextBuilder.forServer(tls.certificateFile().toFile(), tls.keyFile().toFile()).build());
    } catch (IllegalArgumentException e) {
      throw new SSLException(e.getMessage(), e);
    }
  }

  static UpstreamSettings.Tls upstream(GatewayConfig.UpstreamTls tls) throws SSLException {
    UpstreamSettings.Tls.Mode mode = UpstreamSettings.Tls.Mode.valueOf(tls.mode().name());
    if (mode == UpstreamSettings.Tls.Mode.DISABLE) return UpstreamSettings.Tls.DISABLED;
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (mode == UpstreamSettings.Tls.Mode.VERIFY_FULL) {
      if (tls.caFile() != null) builder.trustManager(tls.caFile().toFile());
      builder.endpointIdentificationAlgorithm("HTTPS");
    } else {
      // prefer/require: encrypted but unverified, as libpq's sslmode of the same names.
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
    }
    return new UpstreamSettings.Tls(mode, Optional.of(builder.build()));
  }
}
