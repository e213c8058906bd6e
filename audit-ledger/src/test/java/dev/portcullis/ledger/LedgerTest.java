package dev.portcullis.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.store.SegmentStore;
import dev.portcullis.ledger.verify.Verifier;
import dev.portcullis.ledger.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir
  Path tmp;

  private VerifyReport verify(LedgerFixture f, NoteKeys.Verifier key) throws Exception {
    try (SegmentStore store = SegmentStore.openForReading(f.dir)) {
      return new Verifier(key, null, n -> {}).verify(store, null);
    }
  }

  @Test
  void concurrentAppendsGetContiguousSeqsAndTheLedgerVerifies() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    Set<Long> seqs = new HashSet<>();
    try (Ledger ledger = f.open(100)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Ledger.Appended>> results = new ArrayList<>();
      for (int i = 0; i < 800; i++) {
        String id = "req_" + i;
        results.add(pool.submit(() -> ledger.append("decision", LedgerFixture.decision(id))));
      }
      for (Future<Ledger.Appended> r : results) seqs.add(r.get().seq());
      pool.shutdown();
      assertEquals(800, ledger.size());
    }
    assertEquals(800, seqs.size());
    assertTrue(seqs.stream().allMatch(s -> s >= 0 && s < 800));
    VerifyReport report = verify(f, f.signer.verifier());
    assertTrue(report.ok(), report.text());
    assertEquals(0, report.unanchored(), "close signs a final checkpoint");
  }

  @Test
  void entriesSpanSeveralSegmentFilesAcrossReopenings() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    for (int round = 0; round < 2; round++) {
      LedgerConfig config = f.config(7, Duration.ofHours(1), Duration.ofHours(1));
      try (Ledger ledger = new DurableLedger(config, SegmentStore.openForWriting(f.dir, 4096), f.signer)) {
        for (int i = 0; i < 30; i++) ledger.append("decision", LedgerFixture.decision("r" + round + "_" + i));
      }
    }
    try (var files = Files.list(f.dir)) {
      assertTrue(files.filter(p -> p.getFileName().toString().startsWith("entries-")).count() >= 5);
    }
    VerifyReport report = verify(f, f.signer.verifier());
    assertTrue(report.ok(), report.text());
    assertEquals(60, report.entries());
  }

  @Test
  void aLedgerBeingWrittenVerifiesWithoutFalseAlarms() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(5)) {
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread writer = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          try {
            ledger.append("decision", LedgerFixture.decision("live" + i));
          } catch (LedgerException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      writer.start();
      try {
        LedgerFixture.await("a first checkpoint", () -> ledger.latestCheckpoint() != null);
        for (int round = 0; round < 5; round++) {
          VerifyReport report = verify(f, f.signer.verifier());
          assertTrue(report.problems().isEmpty(), report.text());
          assertTrue(report.validCheckpoints() > 0);
        }
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }

  @Test
  void reopeningContinuesTheChainAndTheTree() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(12, 5);
    try (Ledger ledger = f.open(5)) {
      assertEquals(12, ledger.size());
      assertEquals(12, ledger.append("approval", LedgerFixture.decision("req_x")).seq());
    }
    VerifyReport report = verify(f, f.signer.verifier());
    assertTrue(report.ok(), report.text());
    assertEquals("entries: 13 valid of 13; checkpoints: " + report.checkpoints() + " valid of " + report.checkpoints()
        + "; unanchored: 0", report.summary());
  }

  @Test
  void aCheckpointIsSignedEveryNEntries() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(10)) {
      for (int i = 0; i < 25; i++) ledger.append("decision", LedgerFixture.decision("r" + i));
      LedgerFixture.await("a checkpoint of at least 20 entries",
          () -> ledger.latestCheckpoint() != null && size(ledger.latestCheckpoint()) >= 20);
    }
  }

  @Test
  void anIdleLedgerSignsHeartbeatCheckpoints() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = Ledger.open(f.config(1000, Duration.ofHours(1), Duration.ofMillis(20)))) {
      ledger.append("policy_loaded", LedgerFixture.decision("boot"));
      LedgerFixture.await("three heartbeats", () -> notes(f).size() >= 3);
    }
    List<String> notes = LedgerFixture.notes(f.checkpoints());
    assertTrue(notes.stream().allMatch(n -> size(n) == 1));
    assertNotEquals(notes.get(0), notes.get(1), "each heartbeat carries its signing time");
  }

  @Test
  void entriesArriveAtLeastEveryIntervalInACheckpoint() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = Ledger.open(f.config(1000, Duration.ofMillis(30), Duration.ofHours(1)))) {
      ledger.append("decision", LedgerFixture.decision("a"));
      ledger.append("decision", LedgerFixture.decision("b"));
      LedgerFixture.await("a checkpoint within the interval",
          () -> ledger.latestCheckpoint() != null && size(ledger.latestCheckpoint()) == 2);
    }
  }

  @Test
  void badEntriesAreRefusedWithTheReason() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(10)) {
      assertEquals("entry refused: unknown entry kind 'query' (expected one of approval, checkpoint_note, decision,"
              + " execution_result, grant, key_rotation, policy_loaded)",
          assertThrows(LedgerException.class, () -> ledger.append("query", LedgerFixture.decision("a"))).getMessage());
      assertEquals("entry refused: field 'prev' is set by the ledger, not the caller", assertThrows(LedgerException.class,
          () -> ledger.append("decision", LedgerFixture.decision("a").put("prev", "x"))).getMessage());
      assertEquals("key_rotation entries are written by rotateKey only", assertThrows(LedgerException.class,
          () -> ledger.append("key_rotation", LedgerFixture.decision("a"))).getMessage());
      assertEquals(0, ledger.size());
    }
  }

  @Test
  void aClosedLedgerRefusesAppends() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    Ledger ledger = f.open(10);
    ledger.close();
    assertEquals("ledger is closed",
        assertThrows(LedgerException.class, () -> ledger.append("decision", LedgerFixture.decision("a"))).getMessage());
  }

  @Test
  void aDeferredEntryKeepsItsPlaceAndIsDurableOnceTheNextWaitingAppendReturns() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(100)) {
      CompletableFuture<Ledger.Appended> result = ledger.appendDeferred("execution_result", result("req_1"));
      Ledger.Appended decision = ledger.append("decision", LedgerFixture.decision("req_2"));
      assertTrue(result.isDone(), "queued first, so committed no later than the decision behind it");
      assertEquals(0, result.get().seq());
      assertEquals(1, decision.seq());
    }
    assertTrue(verify(f, f.signer.verifier()).ok());
  }

  @Test
  void aDeferredEntryAloneStillBecomesDurable() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(100)) {
      assertEquals(0, ledger.appendDeferred("execution_result", result("req_1")).get(10, TimeUnit.SECONDS).seq());
      assertEquals(1, ledger.size());
    }
    try (Ledger reopened = f.open(100)) {
      assertEquals(1, reopened.size());
    }
  }

  @Test
  void aDeferredEntryQueuedWhileTheCommitterLingersIsDurableWithoutAnotherAppend() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(100)) {
      ledger.append("decision", LedgerFixture.decision("req_1"));
      assertEquals(1, ledger.appendDeferred("execution_result", result("req_1")).get(10, TimeUnit.SECONDS).seq());
      assertEquals(2, ledger.size());
    }
  }

  @Test
  void appendsFarApartAreMadeDurableOnTheAppendersOwnThread() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(100)) {
      for (int i = 0; i < 3; i++) {
        Thread.sleep(200); // the committer is parked and a batch would hold just this append
        CompletableFuture<Ledger.Appended> decision = ledger.appendAsync("decision", LedgerFixture.decision("req_" + i));
        assertTrue(decision.isDone(), "durable when appendAsync returns, no hand-off to the committer");
        assertEquals(i, decision.get().seq());
      }
    }
    try (Ledger reopened = f.open(100)) {
      assertEquals(3, reopened.size());
    }
    assertTrue(verify(f, f.signer.verifier()).ok());
  }

  @Test
  void aDeferredEntryThatCannotBeRecordedFailsItsFutureWithTheReason() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    Ledger ledger = f.open(10);
    ExecutionException bad = assertThrows(ExecutionException.class,
        () -> ledger.appendDeferred("query", result("a")).get(10, TimeUnit.SECONDS));
    assertTrue(bad.getCause().getMessage().startsWith("entry refused: unknown entry kind 'query'"), bad.getMessage());
    ledger.close();
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> ledger.appendDeferred("execution_result", result("a")).get(10, TimeUnit.SECONDS));
    assertEquals("ledger is closed", closed.getCause().getMessage());
  }

  private static ObjectNode result(String requestId) {
    return JsonNodeFactory.instance.objectNode().put("request_id", requestId).put("rows", 1).putNull("error");
  }

  @Test
  void aSecondWriterOnTheSameFolderIsRefused() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    try (Ledger ledger = f.open(10)) {
      LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
      assertTrue(e.getMessage().endsWith("is already open for writing by another process"), e.getMessage());
    }
  }

  @Test
  void theWriterKeepsZerosAheadAndAReopenedLedgerContinuesAfterTheData() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 5);
    long dataEnd = LedgerFixture.dataEnd(f.segment());
    assertTrue(Files.size(f.segment()) >= dataEnd + (1 << 20), "zero-filled space ahead of the data");
    reopenAndAppend(f, 5);
    assertEquals(6, LedgerFixture.readFrames(f.segment()).size());
    assertVerifies(f, 6);
  }

  @Test
  void aLedgerWrittenWithoutZerosAheadOpensAndGetsThem() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 5);
    writtenBeforeZerosAhead(f);
    assertEquals(LedgerFixture.dataEnd(f.segment()), Files.size(f.segment()), "no zeros after the data");
    assertVerifies(f, 5);
    reopenAndAppend(f, 5);
    assertTrue(Files.size(f.segment()) > LedgerFixture.dataEnd(f.segment()) + (1 << 20));
    assertVerifies(f, 6);
  }

  @Test
  void aTornTailIsDroppedOnReopenAndReported() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 100);
    writtenBeforeZerosAhead(f);
    byte[] partialFrame = {0, 0, 1, 0, 1, 2, 3, 4, '{', '"'};
    Files.write(f.segment(), partialFrame, StandardOpenOption.APPEND);
    reopenAndAppend(f, 5);
    assertEquals(partialFrame.length, Files.size(dropped(f)));
    assertTrue(verify(f, f.signer.verifier()).ok());
  }

  @Test
  void aTornFrameInTheZerosAheadIsDroppedOnReopen() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 100);
    // A frame whose header made it to the file but only the start of its payload: zeros follow.
    byte[] tornFrame = {0, 0, 0, (byte) 200, 9, 8, 7, 6, '{', '"', 'k', 'i', 'n', 'd'};
    overwrite(f.segment(), LedgerFixture.dataEnd(f.segment()), tornFrame);
    VerifyReport live = verify(f, f.signer.verifier());
    assertTrue(live.ok(), "a reader takes it for a write in progress: " + live.text());
    assertEquals(5, live.entries());
    reopenAndAppend(f, 5);
    assertEquals(tornFrame.length, Files.size(dropped(f)), "the torn bytes are kept, not the zeros after them");
    assertVerifies(f, 6);
  }

  @Test
  void nonZeroBytesAfterTheEndOfTheDataAreDamageNotATornWrite() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 5);
    long dataEnd = LedgerFixture.dataEnd(f.segment());
    overwrite(f.segment(), dataEnd + 1000, new byte[] {'x'});
    byte[] before = Files.readAllBytes(f.segment());
    LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
    assertEquals("ledger folder " + f.dir + " is damaged, refusing to write: entries-00000000000000000000.log: non-zero"
        + " bytes at offset " + (dataEnd + 1000) + " after the end of the data (the data ends at offset " + dataEnd
        + ", after seq 4) (run `portcullis ledger verify` to see every problem)", e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(f.segment())), "nothing was cut");
    VerifyReport report = verify(f, f.signer.verifier());
    assertTrue(report.problems().contains("storage: entries-00000000000000000000.log: non-zero bytes at offset "
        + (dataEnd + 1000) + " after the end of the data (the data ends at offset " + dataEnd + ", after seq 4)"),
        report.text());
  }

  /** Rewrites the segment as ledgers were written before the writer kept zeros ahead: ending with the data. */
  private static void writtenBeforeZerosAhead(LedgerFixture f) throws java.io.IOException {
    LedgerFixture.writeFrames(f.segment(), LedgerFixture.readFrames(f.segment()));
  }

  @Test
  void zerosAfterTheCheckpointsAreCutBeforeTheNextCheckpointIsAppended() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(5, 5);
    Files.write(f.checkpoints(), new byte[4096], StandardOpenOption.APPEND);
    try (Ledger ledger = f.open(100)) {
      ledger.append("decision", LedgerFixture.decision("after"));
      ledger.checkpoint();
    }
    assertEquals(2, LedgerFixture.notes(f.checkpoints()).size());
    assertVerifies(f, 6);
  }

  /** Reopens a ledger of {@code size} entries and appends one, which must take the next seq. */
  private static void reopenAndAppend(LedgerFixture f, long size) throws LedgerException {
    try (Ledger ledger = f.open(100)) {
      assertEquals(size, ledger.size());
      assertEquals(size, ledger.append("decision", LedgerFixture.decision("after")).seq());
    }
  }

  private void assertVerifies(LedgerFixture f, long entries) throws Exception {
    VerifyReport report = verify(f, f.signer.verifier());
    assertTrue(report.ok(), report.text());
    assertEquals(entries, report.entries());
  }

  private static void overwrite(Path file, long at, byte[] bytes) throws java.io.IOException {
    try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes), at);
    }
  }

  private static Path dropped(LedgerFixture f) throws java.io.IOException {
    try (var files = Files.list(f.dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("dropped-")).findFirst().orElseThrow();
    }
  }

  @Test
  void itRefusesToWriteWhenSignedEntriesAreMissing() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(20, 10);
    List<byte[]> frames = LedgerFixture.readFrames(f.segment());
    LedgerFixture.writeFrames(f.segment(), frames.subList(0, 15));
    LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
    assertEquals("the ledger holds 15 entries but its last checkpoint covers 20: signed entries are missing;"
        + " refusing to write (run ledger verify)", e.getMessage());
  }

  @Test
  void itRefusesToWriteWhenSignedEntriesWereRewritten() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(20, 10);
    List<byte[]> frames = new java.util.ArrayList<>(LedgerFixture.readFrames(f.segment()));
    frames.set(3, new String(frames.get(3), java.nio.charset.StandardCharsets.UTF_8)
        .replace("\"outcome\":\"mask\"", "\"outcome\":\"deny\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    LedgerFixture.writeFrames(f.segment(), frames);
    LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
    assertEquals("the first 20 entries no longer match the last signed checkpoint: the ledger was altered;"
        + " refusing to write (run ledger verify)", e.getMessage());
  }

  @Test
  void damageInTheMiddleIsNotMistakenForATornTail() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(20, 10);
    byte[] bytes = Files.readAllBytes(f.segment());
    int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("req_7");
    bytes[at + 4] = 'x';
    Files.write(f.segment(), bytes);
    LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
    assertTrue(e.getMessage().matches("ledger folder .* is damaged, refusing to write: entries-00000000000000000000.log:"
        + " checksum mismatch at offset \\d+ after seq 6 with intact frames after it: not a torn write"
        + " \\(run `portcullis ledger verify` to see every problem\\)"), e.getMessage());
    assertEquals(bytes.length, Files.size(f.segment()), "nothing was cut");
  }

  @Test
  void itRefusesToWriteWithAnotherSigningKey() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    f.write(3, 10);
    Files.writeString(f.key, NoteKeys.generate(LedgerFixture.ORIGIN).skey());
    LedgerException e = assertThrows(LedgerException.class, () -> f.open(10));
    assertTrue(e.getMessage().startsWith("the last stored checkpoint does not check out with the configured signing key"),
        e.getMessage());
  }

  @Test
  void aKeyRotationIsSignedByBothKeysAndTheChainVerifiesWithEither() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    NoteKeys.Signer next = NoteKeys.generate(LedgerFixture.ORIGIN);
    Path nextFile = tmp.resolve("next.key");
    Files.writeString(nextFile, next.skey());
    try (Ledger ledger = f.open(10)) {
      ledger.append("decision", LedgerFixture.decision("before"));
      assertEquals(1, ledger.rotateKey(nextFile).seq());
      ledger.append("decision", LedgerFixture.decision("after"));
    }
    List<String> notes = LedgerFixture.notes(f.checkpoints());
    assertTrue(SignedNote.parse(notes.get(notes.size() - 1)).isSignedBy(next.verifier()));
    assertTrue(verify(f, f.signer.verifier()).ok(), verify(f, f.signer.verifier()).text());
    assertTrue(verify(f, next.verifier()).ok());
    assertTrue(assertThrows(LedgerException.class, () -> f.open(10)).getMessage()
        .startsWith("the ledger rotated to key " + next.verifier().vkey()));
    Files.writeString(f.key, next.skey());
    try (Ledger ledger = f.open(10)) {
      assertEquals(3, ledger.size());
    }
  }

  @Test
  void configurationIsReadFromTheLedgerSectionOfTheGatewayYaml() throws Exception {
    LedgerFixture f = new LedgerFixture(tmp);
    LedgerConfig c = LedgerConfig.fromYaml(f.config);
    assertEquals(f.dir, c.dir());
    assertEquals(f.key, c.signingKey());
    assertEquals(10, c.checkpointEvery());
    assertEquals(Duration.ofHours(1), c.checkpointInterval());
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "ledger:\n  dir: a\n  jdbc_url: jdbc:postgresql://x/y\n  signing_key: k\n  origin: o\n");
    assertEquals(bad + ": ledger: set exactly one of dir and jdbc_url",
        assertThrows(LedgerException.class, () -> LedgerConfig.fromYaml(bad)).getMessage());
    Files.writeString(bad, "gateway: {}\n");
    assertEquals(bad + " has no 'ledger:' section",
        assertThrows(LedgerException.class, () -> LedgerConfig.fromYaml(bad)).getMessage());
    Files.writeString(bad, "ledger:\n  dir: a\n  signing_key: k\n  origin: o\n  checkpoint_interval: soon\n");
    assertEquals(bad + ": ledger: 'soon' is not a duration (e.g. 500ms, 1s, 5m, 1h)",
        assertThrows(LedgerException.class, () -> LedgerConfig.fromYaml(bad)).getMessage());
  }

  private static List<String> notes(LedgerFixture f) {
    try {
      return LedgerFixture.notes(f.checkpoints());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long size(String note) {
    try {
      return Checkpoint.parse(SignedNote.parse(note).text()).size();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
