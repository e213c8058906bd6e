package dev.portcullis.cli;

import dev.portcullis.gateway.config.GatewayConfig;
import dev.portcullis.ledger.note.NoteKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Keys the demo creates on first run so that a fresh checkout works without setup. */
final class DemoKeys {
  private DemoKeys() {}

  /**
   * Writes the ledger signing key the configuration names (and its public key beside it, as {@code ledger keygen}
   * does) unless it exists. True when it was created.
   */
  static boolean ensureLedgerKey(GatewayConfig config) throws IOException {
    Path key = config.ledger().signingKey();
    if (key == null || Files.exists(key)) return false;
    NoteKeys.Signer signer = NoteKeys.generate(config.ledger().origin());
    Files.createDirectories(key.toAbsolutePath().getParent());
    Files.writeString(key, signer.skey() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.writeString(key.resolveSibling(key.getFileName() + ".pub"), signer.verifier().vkey() + "\n", StandardCharsets.UTF_8);
    return true;
  }
}
