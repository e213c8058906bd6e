package dev.portcullis.conftest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.ledger.LedgerConfig;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.ledger.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the {@code decision} entries of a ledger; other kinds (approvals, execution results, reloads) are skipped.
 * Sources: a ledger folder or an export of one ({@code ledger export}), the ledger a gateway config names (folder
 * or PostgreSQL store), or files of one JSON entry per line ({@code ledger show --format json}).
 */
public final class DecisionLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DecisionLog() {}

  /** A ledger folder, an export folder, or a folder or file of JSON lines. */
  public static List<RecordedDecision> read(Path dirOrFile) throws IOException {
    if (Files.isDirectory(dirOrFile) && hasSegments(dirOrFile)) {
      try (LedgerStore store = SegmentStore.openForReading(dirOrFile)) {
        return read(store, dirOrFile.toString());
      } catch (LedgerException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return readJsonLines(dirOrFile);
  }

  /** The ledger configured in a gateway config's {@code ledger:} section. */
  public static List<RecordedDecision> fromConfig(Path config) throws IOException {
    try (LedgerStore store = Stores.openForReading(LedgerConfig.fromYaml(config))) {
      return read(store, "the ledger of " + config);
    } catch (LedgerException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static List<RecordedDecision> read(LedgerStore store, String name) throws LedgerException {
    if (!store.damage().isEmpty()) {
      // A replay over a damaged ledger would report on traffic that is not what was recorded.
      throw new LedgerException(name + " is damaged: " + store.damage().get(0).message()
          + " (run 'ledger verify' for the full report)");
    }
    List<RecordedDecision> out = new ArrayList<>();
    store.readEntries(0, Long.MAX_VALUE, e -> {
      if (!e.checksumOk()) throw new LedgerException(name + ": entry at position " + e.position() + " fails its checksum");
      JsonNode entry;
      try {
        entry = JSON.readTree(e.bytes());
      } catch (IOException ex) {
        throw new LedgerException(name + ": entry at position " + e.position() + " is not JSON: " + ex.getMessage(), ex);
      }
      if ("decision".equals(entry.path("kind").asText())) out.add(RecordedDecision.of(entry));
    });
    return out;
  }

  private static boolean hasSegments(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.anyMatch(p -> p.getFileName().toString().matches("entries-\\d{20}\\.log"));
    }
  }

  private static List<RecordedDecision> readJsonLines(Path dirOrFile) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dirOrFile)) {
      try (Stream<Path> walk = Files.walk(dirOrFile)) {
        walk.filter(DecisionLog::entryFile).sorted().forEach(files::add);
      }
    } else if (Files.isRegularFile(dirOrFile)) {
      files.add(dirOrFile);
    } else {
      throw new IOException("no such ledger: " + dirOrFile);
    }
    if (files.isEmpty()) {
      throw new IOException("no ledger entries in " + dirOrFile + " (expected a ledger folder, an export of one, or"
          + " .jsonl files of entries as 'ledger show --format json' prints them)");
    }
    List<RecordedDecision> out = new ArrayList<>();
    for (Path file : files) {
      try (BufferedReader in = Files.newBufferedReader(file)) {
        String line;
        int lineNo = 0;
        while ((line = in.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) continue;
          JsonNode entry;
          try {
            entry = JSON.readTree(line);
          } catch (IOException e) {
            throw new IOException(file + ":" + lineNo + ": not a JSON ledger entry: " + e.getMessage(), e);
          }
          if ("decision".equals(entry.path("kind").asText())) out.add(RecordedDecision.of(entry));
        }
      }
    }
    return out;
  }

  private static boolean entryFile(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json"));
  }
}
