package dev.portcullis.ledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.store.LedgerStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", description = "Prints entries: json = the stored JSON, one per line; text = one summary line each.")
final class ShowCommand extends LedgerSubcommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin
  Source source;

  @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0", description = "First seq (default 0)")
  long from;

  @Option(names = "--to", paramLabel = "SEQ", description = "Last seq, inclusive (default: the last entry)")
  Long to;

  @Mixin
  OutputFormat output;

  @Override
  int run() throws LedgerException {
    boolean json = output.json();
    if (from < 0 || (to != null && to < from)) throw new LedgerException("--from and --to must satisfy 0 <= from <= to");
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    try (LedgerStore store = source.open()) {
      store.readEntries(from, to == null ? Long.MAX_VALUE : to + 1, e -> {
        if (json) {
          out.println(new String(e.bytes(), StandardCharsets.UTF_8));
        } else {
          out.println(summary(e.position(), e.bytes()));
        }
      });
    }
    out.flush();
    return 0;
  }

  private static String summary(long position, byte[] bytes) {
    try {
      JsonNode e = JSON.readTree(bytes);
      StringBuilder line = new StringBuilder();
      line.append(e.path("seq").asText("?")).append(' ').append(e.path("time").asText("-")).append(' ')
          .append(e.path("kind").asText("-"));
      // Members as the gateway writes them (docs/architecture.md), top level or inside the normalized request.
      JsonNode request = e.path("request");
      append(line, "request", e.path("request_id"));
      append(line, "subject", first(e.path("identity"), request.path("identity"), e.path("requester")).path("subject"));
      append(line, "action", first(e.path("action"), request.path("action")));
      append(line, "outcome", e.path("decision").path("outcome"));
      append(line, "status", e.path("status"));
      append(line, "rows", e.path("rows"));
      append(line, "error", e.path("error"));
      append(line, "statement", e.path("statement"));
      return line.toString();
    } catch (java.io.IOException ex) {
      return position + " <unreadable entry: " + ex.getMessage() + ">";
    }
  }

  private static JsonNode first(JsonNode... candidates) {
    for (JsonNode c : candidates) {
      if (!c.isMissingNode() && !c.isNull()) return c;
    }
    return candidates[candidates.length - 1];
  }

  private static void append(StringBuilder line, String label, JsonNode value) {
    if (value.isMissingNode() || value.isNull()) return;
    String text = value.asText().replaceAll("\\s+", " ");
    if (text.length() > 80) text = text.substring(0, 77) + "...";
    line.append(' ').append(label).append('=').append(value.isTextual() && text.contains(" ") ? "\"" + text + "\"" : text);
  }
}
