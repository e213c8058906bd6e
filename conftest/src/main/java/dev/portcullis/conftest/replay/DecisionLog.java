package dev.portcullis.conftest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the decision entries of a ledger from its JSON form: files of one entry per line ({@code .jsonl},
 * {@code .ndjson}, {@code .json}), which is what {@code ledger show --format json} prints and
 * {@code ledger export} writes. Other entry kinds (approvals, execution results, reloads) are skipped.
 */
public final class DecisionLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DecisionLog() {}

  public static List<RecordedDecision> read(Path dirOrFile) throws IOException {
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
      throw new IOException("no ledger entries in " + dirOrFile + " (expected .jsonl files of entries, as written by"
          + " 'ledger show --format json' or 'ledger export')");
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
