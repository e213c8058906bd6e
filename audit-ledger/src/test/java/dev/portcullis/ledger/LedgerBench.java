package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.ledger.entry.EntryFormat;
import dev.portcullis.ledger.merkle.MerkleTree;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * {@code bench/ledger-bench.sh}: appends per second with fsync for 1, 8 and 64 concurrent appenders, against the
 * baseline of this disk's raw fsync rate measured in the same run, then the same appenders each also queueing a
 * deferred result entry per decision (as the gateway does per statement), then verification speed in entries per
 * second. Two baselines: appending to a growing file (each fdatasync also commits the file size to the journal) and
 * overwriting zeros written and fsynced beforehand, which is what the ledger's folder store does. Not a test:
 * numbers depend on the machine and its load.
 */
public final class LedgerBench {
  private static final com.sun.management.OperatingSystemMXBean CPU =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private LedgerBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path work = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")),
        "ledger-bench");
    try {
      double growing = fsyncBaseline(work.resolve("fsync-growing.bin"), seconds, 0);
      System.out.printf("baseline: %,.0f fsyncs/s growing file (4 KiB append + fdatasync, one thread)%n", growing);
      double overwriting = fsyncBaseline(work.resolve("fsync-zeros.bin"), seconds, 64 << 20);
      System.out.printf("baseline: %,.0f fsyncs/s preallocated (4 KiB overwrite of fsynced zeros + fdatasync, one"
          + " thread)%n", overwriting);
      Rate store = storeCommits(work.resolve("store"), seconds);
      System.out.printf("store: %,.0f commits/s of one decision entry each, straight to the folder store (%.1f×"
          + " growing, %.1f× preallocated baseline), %,.0f µs CPU each%n", store.perSecond(), store.perSecond() / growing,
          store.perSecond() / overwriting, store.cpuMicros());
      for (boolean results : new boolean[] {false, true}) {
        for (int threads : new int[] {1, 8, 64}) {
          Rate rate = appends(work, work.resolve("ledger-" + threads + (results ? "-results" : "")), threads, seconds,
              results);
          System.out.printf("%s %2d appenders: %,9.0f %s/s  (%.1f× growing, %.1f× preallocated baseline),"
                  + " %,.0f µs CPU each%n", results ? "decision + deferred result:" : "appends:", threads,
              rate.perSecond(), results ? "pairs" : "appends", rate.perSecond() / growing,
              rate.perSecond() / overwriting, rate.cpuMicros());
        }
      }
      verify(work, work.resolve("ledger-verify"), 200_000);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * One thread writing 4 KiB and calling fdatasync in a loop: appending to a new file, or with {@code zeroed} > 0
   * overwriting (round and round) that many bytes of zeros written and fsynced first.
   */
  private static double fsyncBaseline(Path file, double seconds, long zeroed) throws IOException {
    long n = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(4096);
      for (long at = 0; at < zeroed; at += block.capacity()) ch.write(block.clear(), at);
      ch.force(true);
      block.put(0, (byte) 1);
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      for (long at = 0; System.nanoTime() < end; at += block.capacity()) {
        if (zeroed > 0 && at >= zeroed) at = 0;
        ch.write(block.clear(), at);
        ch.force(false);
        n++;
      }
      return n / ((System.nanoTime() - start) / 1e9);
    }
  }

  private record Rate(double perSecond, double cpuMicros) {}

  /** One thread committing one entry at a time through the folder store's writer: its fsync path alone. */
  private static Rate storeCommits(Path dir, double seconds) throws Exception {
    byte[] entry = EntryFormat.encode(EntryFormat.prepare("decision", LedgerFixture.decision("req_0")), 0,
        Instant.now(), null);
    try (SegmentStore store = SegmentStore.openForWriting(dir, SegmentStore.DEFAULT_SEGMENT_BYTES)) {
      LedgerStore.Writer writer = store.writer();
      long n = 0;
      long start = System.nanoTime();
      long startCpu = CPU.getProcessCpuTime();
      for (long end = start + (long) (seconds * 1e9); System.nanoTime() < end; n++) {
        writer.commit(n, List.of(entry));
        writer.prepareNext();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      return new Rate(n / elapsed, (CPU.getProcessCpuTime() - startCpu) / 1e3 / n);
    }
  }

  /**
   * {@code threads} appenders each appending a decision and waiting for it, and with {@code results} then also
   * queueing a deferred execution result for it; per second, and process CPU time per decision.
   */
  private static Rate appends(Path work, Path dir, int threads, double seconds, boolean results) throws Exception {
    Path key = work.resolve("bench.key");
    if (!Files.exists(key)) Files.writeString(key, NoteKeys.generate(LedgerFixture.ORIGIN).skey());
    LedgerConfig config = new LedgerConfig(dir, null, key, LedgerFixture.ORIGIN, 1000, Duration.ofSeconds(1));
    LongAdder count = new LongAdder();
    AtomicBoolean measuring = new AtomicBoolean(false);
    AtomicBoolean stop = new AtomicBoolean(false);
    try (Ledger ledger = Ledger.open(config)) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread w = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String id = "req_" + thread + "_" + i;
            try {
              ledger.append("decision", LedgerFixture.decision(id));
            } catch (LedgerException e) {
              throw new IllegalStateException(e);
            }
            if (results) ledger.appendDeferred("execution_result", JsonNodeFactory.instance.objectNode()
                .put("request_id", id).put("rows", 1).putNull("error"));
            if (measuring.get()) count.increment();
          }
        });
        w.start();
        workers.add(w);
      }
      Thread.sleep(1000); // warm-up
      measuring.set(true);
      long start = System.nanoTime();
      long startCpu = CPU.getProcessCpuTime();
      Thread.sleep((long) (seconds * 1000));
      measuring.set(false);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpu = (CPU.getProcessCpuTime() - startCpu) / 1e3;
      stop.set(true);
      for (Thread w : workers) w.join();
      return new Rate(count.sum() / elapsed, cpu / count.sum());
    }
  }

  /**
   * Verification speed over a ledger of {@code entries} typical decision entries with a checkpoint every 2000. The
   * ledger is written straight through the store, in the ledger's exact format, to build it in seconds.
   */
  private static void verify(Path work, Path dir, int entries) throws Exception {
    NoteKeys.Signer signer = NoteKeys.readSigner(work.resolve("bench.key"));
    NoteKeys.Verifier key = signer.verifier();
    try (SegmentStore store = SegmentStore.openForWriting(dir, SegmentStore.DEFAULT_SEGMENT_BYTES)) {
      MerkleTree tree = new MerkleTree();
      byte[] prev = null;
      List<byte[]> batch = new ArrayList<>();
      for (long seq = 0; seq < entries; seq++) {
        byte[] entry = EntryFormat.encode(EntryFormat.prepare("decision", LedgerFixture.decision("req_" + seq)), seq,
            Instant.now(), prev);
        prev = Rfc6962.leafHash(entry);
        tree.append(prev);
        batch.add(entry);
        if (batch.size() == 2000 || seq == entries - 1) {
          store.writer().commit(seq + 1 - batch.size(), batch);
          batch.clear();
          Checkpoint cp = new Checkpoint(LedgerFixture.ORIGIN, seq + 1, tree.root(seq + 1), Instant.now());
          store.writer().storeCheckpoint(seq + 1, SignedNote.sign(cp.text(), signer).format());
        }
      }
    }
    double best = 0;
    double bestCpu = 0;
    VerifyReport report = null;
    for (int round = 0; round < 5; round++) {
      try (SegmentStore store = SegmentStore.openForReading(dir)) {
        long start = System.nanoTime();
        long startCpu = CPU.getProcessCpuTime();
        report = new Verifier(key, null, n -> {}).verify(store, null);
        best = Math.max(best, report.entries() / ((System.nanoTime() - start) / 1e9));
        bestCpu = Math.max(bestCpu, report.entries() / ((CPU.getProcessCpuTime() - startCpu) / 1e9));
      }
    }
    // On a shared machine the wall-clock rate mostly measures the wait for a core; CPU time shows the work.
    System.out.printf("verify: %,d entries, %,.0f entries/s wall clock, %,.0f entries per CPU-second"
        + " (all threads of the process, best of 5, files in page cache); %s%n", report.entries(), best, bestCpu, report.summary());
    if (!report.ok()) throw new IllegalStateException("the benchmark ledger does not verify:\n" + report.text());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
