package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.ledger.store.Stores;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which ledger a command reads: {@code --config FILE} (the gateway's YAML) or a folder (a ledger or an export). */
final class Source {
  @Option(names = "--config", paramLabel = "FILE", description = "Gateway configuration with a 'ledger:' section")
  Path config;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Ledger folder or export folder")
  Path dir;

  LedgerStore open() throws LedgerException {
    if ((config == null) == (dir == null)) throw new LedgerException("give either --config FILE or a ledger folder DIR");
    return config != null ? Stores.openForReading(LedgerConfig.fromYaml(config)) : SegmentStore.openForReading(dir);
  }

  LedgerConfig config() throws LedgerException {
    if (config == null) throw new LedgerException("this command needs --config FILE");
    return LedgerConfig.fromYaml(config);
  }

  /** The export folder, if the source is one (it has export.json). */
  Path folder() throws LedgerException {
    if (dir != null) return dir;
    LedgerConfig c = config();
    return c.dir();
  }

  /** The ledger's public key as the configured signing key implies it. */
  NoteKeys.Verifier configuredKey() throws LedgerException {
    LedgerConfig c = config();
    if (c.signingKey() == null) throw new LedgerException("the configuration has no ledger.signing_key");
    try {
      return NoteKeys.readSigner(c.signingKey()).verifier();
    } catch (IOException e) {
      throw new LedgerException("cannot read " + c.signingKey() + ": " + e.getMessage(), e);
    }
  }
}
