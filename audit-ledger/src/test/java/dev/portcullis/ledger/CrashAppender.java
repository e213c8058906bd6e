package dev.portcullis.ledger;

import dev.portcullis.ledger.entry.EntryFormat;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The child process of {@link CrashTest}: loads its classes, waits for a line on stdin (so that the test can start
 * the next child while it checks the previous one), then appends from many threads until killed, printing
 * {@code ack <seq> <id>} for every append that returned, i.e. that the ledger promised was durable.
 */
public final class CrashAppender {
  private CrashAppender() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path key = Path.of(args[1]);
    int threads = Integer.parseInt(args[2]);
    String run = args[3];
    // Warm up outside the ledger folder: key, canonical JSON, signing.
    NoteKeys.Signer signer = NoteKeys.readSigner(key);
    EntryFormat.encode(EntryFormat.prepare("decision", LedgerFixture.decision("warm-up")), 0, Instant.now(), null);
    SignedNote.sign("warm-up\n", signer);
    if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() == null) return;
    Ledger ledger = Ledger.open(new LedgerConfig(dir, null, key, LedgerFixture.ORIGIN, 50, Duration.ofMillis(20),
        Duration.ofMillis(50)));
    System.out.println("ready");
    System.out.flush();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      new Thread(() -> {
        for (int i = 0; ; i++) {
          String id = run + "-" + thread + "-" + i;
          try {
            Ledger.Appended a = ledger.append("decision", LedgerFixture.decision(id));
            synchronized (System.out) {
              System.out.println("ack " + a.seq() + " " + id);
              System.out.flush();
            }
          } catch (LedgerException e) {
            System.err.println(e.getMessage());
            return;
          }
        }
      }).start();
    }
    Thread.currentThread().join();
  }
}
