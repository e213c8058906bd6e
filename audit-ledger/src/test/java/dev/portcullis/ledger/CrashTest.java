package dev.portcullis.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.ledger.entry.StoredEntry;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments: a child JVM appends from 16 threads and is SIGKILLed after a random number of
 * acknowledged appends, 20 times over the same ledger. After each kill the ledger reopens (dropping only a torn
 * tail), verifies, and holds every entry whose append had returned, at the seq it was given.
 */
class CrashTest {
  private static final int KILLS = 20;

  @TempDir
  Path tmp;

  @Test
  void everyAcknowledgedAppendSurvivesSigkill() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Map<Long, String> acknowledged = new HashMap<>();
    Process next = startChild(f, 0);
    try {
      for (int round = 0; round < KILLS; round++) {
        int killAfter = random.nextInt(250);
        Process child = next;
        child.getOutputStream().write('\n');
        child.getOutputStream().flush();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line = out.readLine();
          assertEquals("ready", line, "round " + round + ": the child did not open the ledger (seed " + seed + ")");
          for (int acks = 0; acks < killAfter && (line = out.readLine()) != null; acks++) {
            String[] parts = line.split(" ");
            acknowledged.put(Long.parseLong(parts[1]), parts[2]);
          }
          // SIGKILL (destroyForcibly also closes our end of the pipe: acks still in it go unchecked).
          child.destroyForcibly();
          assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child outlived SIGKILL");
        }
        // The next child starts its JVM while this round is checked; it touches the ledger only when told to.
        next = round + 1 < KILLS ? startChild(f, round + 1) : null;
        try (Ledger reopened = f.open(50)) {
          assertTrue(reopened.size() >= acknowledged.size(), "round " + round + " lost entries (seed " + seed + ")");
        }
        checkEveryAcknowledgedEntry(f, acknowledged, "round " + round + " (seed " + seed + ")");
      }
    } finally {
      if (next != null) next.destroyForcibly();
    }
    try (SegmentStore store = SegmentStore.openForReading(f.dir)) {
      long tornTails;
      try (var files = Files.list(f.dir)) {
        tornTails = files.filter(p -> p.getFileName().toString().startsWith("dropped-")).count();
      }
      System.out.println("crash test: " + KILLS + " kills, " + acknowledged.size() + " acknowledged appends, "
          + store.size() + " entries, " + tornTails + " torn tails dropped on reopening");
    }
  }

  private static Process startChild(LedgerFixture f, int round) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), CrashAppender.class.getName(),
        f.dir.toString(), f.key.toString(), "16", "r" + round)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** The reopened (and closed, so fully checkpointed) ledger verifies and holds every acknowledged entry. */
  private static void checkEveryAcknowledgedEntry(LedgerFixture f, Map<Long, String> acknowledged, String when)
      throws Exception {
    try (SegmentStore store = SegmentStore.openForReading(f.dir)) {
      VerifyReport report = new Verifier(f.signer.verifier(), null, n -> {}).verify(store, null);
      assertTrue(report.ok(), when + ": " + report.text());
      assertEquals(0, report.unanchored(), when);
      Map<Long, String> stored = new HashMap<>();
      store.readEntries(0, store.size(), e -> stored.put(e.position(), StoredEntry.parse(e.bytes()).requestId()));
      for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
        assertEquals(ack.getValue(), stored.get(ack.getKey()), when + ": acknowledged seq " + ack.getKey());
      }
    }
  }
}
