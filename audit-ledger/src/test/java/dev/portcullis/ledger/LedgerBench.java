package dev.portcullis.ledger;

import dev.portcullis.ledger.entry.EntryFormat;
import dev.portcullis.ledger.merkle.MerkleTree;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
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
 * baseline of this disk's raw fsync rate measured in the same run, then verification speed in entries per second.
 * Not a test: numbers depend on the machine and its load.
 */
public final class LedgerBench {
  private LedgerBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path work = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir")),
        "ledger-bench");
    try {
      double fsyncs = fsyncBaseline(work, seconds);
      System.out.printf("baseline: %,.0f fsyncs/s (4 KiB write + fdatasync, one thread)%n", fsyncs);
      for (int threads : new int[] {1, 8, 64}) {
        double rate = appends(work, work.resolve("ledger-" + threads), threads, seconds);
        System.out.printf("appends: %2d appenders: %,9.0f appends/s  (%.1f× the fsync baseline)%n", threads, rate,
            rate / fsyncs);
      }
      verify(work, work.resolve("ledger-verify"), 200_000);
    } finally {
      deleteTree(work);
    }
  }

  private static double fsyncBaseline(Path work, double seconds) throws IOException {
    Path file = work.resolve("fsync.bin");
    long n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer block = ByteBuffer.allocate(4096);
      while (System.nanoTime() < end) {
        block.clear();
        ch.write(block);
        ch.force(false);
        n++;
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static double appends(Path work, Path dir, int threads, double seconds) throws Exception {
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
            try {
              ledger.append("decision", LedgerFixture.decision("req_" + thread + "_" + i));
            } catch (LedgerException e) {
              throw new IllegalStateException(e);
            }
            if (measuring.get()) count.increment();
          }
        });
        w.start();
        workers.add(w);
      }
      Thread.sleep(1000); // warm-up
      measuring.set(true);
      long start = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      measuring.set(false);
      double elapsed = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      for (Thread w : workers) w.join();
      return count.sum() / elapsed;
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
    var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double best = 0;
    double bestCpu = 0;
    VerifyReport report = null;
    for (int round = 0; round < 5; round++) {
      try (SegmentStore store = SegmentStore.openForReading(dir)) {
        long start = System.nanoTime();
        long startCpu = cpu.getProcessCpuTime();
        report = new Verifier(key, null, n -> {}).verify(store, null);
        best = Math.max(best, report.entries() / ((System.nanoTime() - start) / 1e9));
        bestCpu = Math.max(bestCpu, report.entries() / ((cpu.getProcessCpuTime() - startCpu) / 1e9));
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
