package dev.portcullis.postgres.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The real ledger, with a copy of what was appended so that tests can look at what the gateway recorded. */
final class RecordingLedger implements Ledger {
  record Entry(String kind, ObjectNode fields) {}

  private final Ledger ledger;
  private final List<Entry> entries = new ArrayList<>();

  RecordingLedger(Ledger ledger) {
    this.ledger = ledger;
  }

  synchronized List<Entry> entries(String kind) {
    return entries.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  @Override
  public CompletableFuture<Appended> appendAsync(String kind, ObjectNode fields) {
    return record(kind, fields, ledger.appendAsync(kind, fields));
  }

  @Override
  public CompletableFuture<Appended> appendDeferred(String kind, ObjectNode fields) {
    return record(kind, fields, ledger.appendDeferred(kind, fields));
  }

  /** Keeps a copy of an entry once it is durable, as the gateway recorded it. */
  private CompletableFuture<Appended> record(String kind, ObjectNode fields, CompletableFuture<Appended> append) {
    ObjectNode copy = fields.deepCopy();
    return append.thenApply(appended -> {
      synchronized (this) {
        entries.add(new Entry(kind, copy));
      }
      return appended;
    });
  }

  @Override
  public long size() {
    return ledger.size();
  }

  @Override
  public String latestCheckpoint() {
    return ledger.latestCheckpoint();
  }

  @Override
  public String checkpoint() throws LedgerException {
    return ledger.checkpoint();
  }

  @Override
  public Appended rotateKey(java.nio.file.Path newSigningKey) throws LedgerException {
    return ledger.rotateKey(newSigningKey);
  }

  @Override
  public void close() throws LedgerException {
    ledger.close();
  }
}
