package dev.portcullis.gateway.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerException;
import java.util.ArrayList;
import java.util.List;

/** A ledger that keeps entries in memory and can be told to fail, to prove nothing runs when recording fails. */
public final class MemoryLedger implements Ledger {
  public record Entry(String kind, ObjectNode fields) {}

  private final List<Entry> entries = new ArrayList<>();
  private volatile String failure;

  public void failWith(String message) { failure = message; }

  public synchronized List<Entry> entries() { return List.copyOf(entries); }

  public synchronized List<Entry> entries(String kind) {
    return entries.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  @Override
  public synchronized Appended append(String kind, ObjectNode fields) throws LedgerException {
    if (failure != null) throw new LedgerException(failure);
    entries.add(new Entry(kind, fields.deepCopy()));
    return new Appended(entries.size() - 1, new byte[32]);
  }

  @Override
  public synchronized long size() { return entries.size(); }

  @Override
  public String latestCheckpoint() { return null; }

  @Override
  public String checkpoint() { throw new UnsupportedOperationException("no checkpoints in memory"); }

  @Override
  public Appended rotateKey(java.nio.file.Path newSigningKey) { throw new UnsupportedOperationException("no keys in memory"); }

  @Override
  public void close() {}
}
