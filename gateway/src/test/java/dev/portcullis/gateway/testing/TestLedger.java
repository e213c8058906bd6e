package dev.portcullis.gateway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real audit ledger (folder store, fresh Ed25519 key) in a test's temp folder, and a reader for what it recorded.
 * To prove that nothing runs when recording fails, close {@link #ledger()}: every later append throws.
 */
public final class TestLedger implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "test.portcullis/ledger";

  private final LedgerConfig config;
  private final Ledger ledger;

  private TestLedger(LedgerConfig config, Ledger ledger) {
    this.config = config;
    this.ledger = ledger;
  }

  /** Creates a ledger under {@code dir} (its own {@code ledger} folder and key file). */
  public static TestLedger open(Path dir) throws IOException, LedgerException {
    LedgerConfig config = new LedgerConfig(dir.resolve("ledger"), null, dir.resolve("ledger.key"), ORIGIN,
        LedgerConfig.DEFAULT_CHECKPOINT_EVERY, LedgerConfig.DEFAULT_CHECKPOINT_INTERVAL);
    createKey(config);
    return new TestLedger(config, Ledger.open(config));
  }

  /** Writes the signing key a configuration names, unless it exists, so that a gateway can open its own ledger. */
  public static void createKey(LedgerConfig config) throws IOException {
    if (Files.exists(config.signingKey())) return;
    Files.createDirectories(config.signingKey().toAbsolutePath().getParent());
    Files.writeString(config.signingKey(), NoteKeys.generate(config.origin()).skey() + "\n");
  }

  public Ledger ledger() {
    return ledger;
  }

  /** The durable entries of one kind, in order, read back from the store. */
  public List<ObjectNode> entries(String kind) throws LedgerException {
    return entries(config, kind);
  }

  /** The durable entries of one kind in the ledger a configuration names, e.g. one a gateway wrote and closed. */
  public static List<ObjectNode> entries(LedgerConfig config, String kind) throws LedgerException {
    List<ObjectNode> found = new ArrayList<>();
    try (LedgerStore store = Stores.openForReading(config)) {
      store.readEntries(0, store.size(), stored -> {
        try {
          ObjectNode entry = (ObjectNode) JSON.readTree(stored.bytes());
          if (entry.path("kind").asText().equals(kind)) found.add(entry);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return found;
  }

  @Override
  public void close() throws LedgerException {
    ledger.close();
  }
}
