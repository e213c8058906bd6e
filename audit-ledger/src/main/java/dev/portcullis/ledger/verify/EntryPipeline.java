package dev.portcullis.ledger.verify;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.entry.StoredEntry;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.store.LedgerStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads entries on one thread and hashes and parses them on a pool, handing them to the caller in order: the
 * per-entry work of verification (SHA-256, JSON) spread over the cores, the chain and tree checks kept sequential.
 */
final class EntryPipeline {
  private static final int BATCH = 512;

  private EntryPipeline() {}

  /** An entry with its leaf hash and parsed members (or why it could not be parsed). */
  record Prepared(long position, byte[] bytes, boolean checksumOk, byte[] leaf, StoredEntry entry, String parseError) {}

  interface Visitor {
    void visit(Prepared entry) throws LedgerException;
  }

  private static final Future<List<Prepared>> END = CompletableFuture.completedFuture(List.of());

  static void forEach(LedgerStore store, long from, Visitor visitor) throws LedgerException {
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "ledger-verify");
      t.setDaemon(true);
      return t;
    });
    BlockingQueue<Future<List<Prepared>>> handover = new ArrayBlockingQueue<>(4 * workers);
    AtomicReference<Exception> readFailure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      List<LedgerStore.StoredBytes> batch = new ArrayList<>(BATCH);
      try {
        store.readEntries(from, Long.MAX_VALUE, e -> {
          batch.add(e);
          if (batch.size() == BATCH) {
            handOver(pool, handover, List.copyOf(batch));
            batch.clear();
          }
        });
        if (!batch.isEmpty()) handOver(pool, handover, List.copyOf(batch));
      } catch (LedgerException | RuntimeException e) {
        readFailure.set(e);
      } finally {
        try {
          handover.put(END);
        } catch (InterruptedException ignored) {
          // the consumer gave up and no longer reads
        }
      }
    }, "ledger-read");
    reader.setDaemon(true);
    reader.start();
    try {
      for (Future<List<Prepared>> next; (next = handover.take()) != END; ) {
        for (Prepared p : next.get()) visitor.visit(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while verifying");
    } catch (ExecutionException e) {
      throw new IllegalStateException("preparing entries failed", e.getCause());
    } finally {
      reader.interrupt();
      pool.shutdownNow();
    }
    Exception failure = readFailure.get();
    if (failure instanceof LedgerException le) throw le;
    if (failure instanceof RuntimeException re) throw re;
  }

  private static void handOver(ExecutorService pool, BlockingQueue<Future<List<Prepared>>> handover,
                               List<LedgerStore.StoredBytes> batch) throws LedgerException {
    try {
      handover.put(pool.submit(() -> prepare(batch)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("verification stopped");
    }
  }

  private static List<Prepared> prepare(List<LedgerStore.StoredBytes> batch) {
    List<Prepared> out = new ArrayList<>(batch.size());
    for (LedgerStore.StoredBytes e : batch) {
      StoredEntry entry = null;
      String error = null;
      try {
        entry = StoredEntry.parse(e.bytes());
      } catch (IllegalArgumentException ex) {
        error = ex.getMessage();
      }
      out.add(new Prepared(e.position(), e.bytes(), e.checksumOk(), Rfc6962.leafHash(e.bytes()), entry, error));
    }
    return out;
  }
}
