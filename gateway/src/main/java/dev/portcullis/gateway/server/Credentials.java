package dev.portcullis.gateway.server;

import dev.portcullis.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads upstream credentials from the gateway's environment or a file, at each use (so rotation needs no restart). */
final class Credentials {
  private Credentials() {}

  static Supplier<Optional<String>> of(GatewayConfig.Upstream upstream, String where) {
    if (upstream.credentialEnv() != null) {
      String name = upstream.credentialEnv();
      return () -> {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
          throw new IllegalStateException(where + ".credential_env: environment variable " + name + " is not set");
        }
        return Optional.of(value);
      };
    }
    if (upstream.credentialFile() != null) {
      return () -> {
        try {
          return Optional.of(Files.readString(upstream.credentialFile()).strip());
        } catch (IOException e) {
          throw new IllegalStateException(where + ".credential_file: cannot read " + upstream.credentialFile() + ": " + e.getMessage());
        }
      };
    }
    return Optional::empty;
  }
}
