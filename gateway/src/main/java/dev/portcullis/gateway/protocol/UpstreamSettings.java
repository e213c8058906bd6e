package dev.portcullis.gateway.protocol;

import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server a connection fronts. The credential comes from the gateway's environment or a file, never from the
 * client.
 *
 * @param host       upstream host
 * @param port       upstream port
 * @param user       the user the gateway logs in as
 * @param databases  the databases clients may ask for; empty means any
 * @param tls        how to protect the upstream connection
 * @param credential reads the password now (a rotated file is picked up on the next call); empty when none is
 *                   configured (e.g. trust authentication); throws {@link IllegalStateException} naming the
 *                   variable or file when it is configured but unavailable
 */
public record UpstreamSettings(String host, int port, String user, List<String> databases, Tls tls,
                               Supplier<Optional<String>> credential) {
  public UpstreamSettings {
    databases = List.copyOf(databases);
  }

  /** True when clients may ask for this database. */
  public boolean allowsDatabase(String database) {
    return databases.isEmpty() || databases.contains(database);
  }

  /**
   * Upstream TLS.
   *
   * @param mode    {@link Mode#DISABLE}: plain; {@link Mode#PREFER}: TLS when the server offers it, unverified;
   *                {@link Mode#REQUIRE}: TLS, unverified; {@link Mode#VERIFY_FULL}: TLS, certificate chain against
   *                the CA file (or the JDK's trust store) and host name checked
   * @param context the client TLS context for the modes that use TLS, else empty
   */
  public record Tls(Mode mode, Optional<SslContext> context) {
    public enum Mode { DISABLE, PREFER, REQUIRE, VERIFY_FULL }

    public static final Tls DISABLED = new Tls(Mode.DISABLE, Optional.empty());
  }
}
