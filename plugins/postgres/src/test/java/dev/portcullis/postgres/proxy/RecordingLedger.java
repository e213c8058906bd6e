package dev.portcullis.postgres.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import java.util.ArrayList;
import java.util.List;

/** Keeps ledger entries in memory so that tests can see what the gateway recorded. */
final class RecordingLedger implements Ledger {
  record Entry(String kind, ObjectNode fields) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized List<Entry> entries(String kind) {
    return entries.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  @Override
  public synchronized Appended append(String kind, ObjectNode fields) {
    entries.add(new Entry(kind, fields.deepCopy()));
    return new Appended(entries.size() - 1, new byte[32]);
  }

  @Override
  public void close() {}
}
