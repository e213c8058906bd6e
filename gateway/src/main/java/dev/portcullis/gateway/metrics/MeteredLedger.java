package dev.portcullis.gateway.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.Ledger;
import dev.portcullis.ledger.LedgerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A ledger that times each durable append (queue to fsync) into the metrics; everything else goes straight to the ledger it wraps. */
public final class MeteredLedger implements Ledger {
  private final Ledger ledger;
  private final GatewayMetrics metrics;

  public MeteredLedger(Ledger ledger, GatewayMetrics metrics) {
    this.ledger = ledger;
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<Appended> appendAsync(String kind, ObjectNode fields) {
    long start = System.nanoTime();
    return ledger.appendAsync(kind, fields)
        .whenComplete((appended, failure) -> metrics.ledgerAppended(Duration.ofNanos(System.nanoTime() - start)));
  }

  @Override
  public CompletableFuture<Appended> appendDeferred(String kind, ObjectNode fields) {
    return ledger.appendDeferred(kind, fields);
  }

  @Override public long size() { return ledger.size(); }

  @Override public String latestCheckpoint() { return ledger.latestCheckpoint(); }

  @Override public String checkpoint() throws LedgerException { return ledger.checkpoint(); }

  @Override public Appended rotateKey(Path newSigningKey) throws LedgerException { return ledger.rotateKey(newSigningKey); }

  /** The wrapped ledger belongs to whoever opened it. */
  @Override public void close() {}
}
