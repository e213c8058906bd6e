package dev.portcullis.ledger.cli;

import static dev.portcullis.ledger.LedgerFixture.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.ledger.LedgerFixture;
import dev.portcullis.ledger.LedgerFixture.Run;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way of altering a ledger after the fact, run through `ledger verify`: a specific message and exit 1. */
class TamperTest {
  @TempDir
  Path tmp;

  private LedgerFixture f;
  private String vkey;

  @BeforeEach
  void fiftyEntriesCheckpointedEveryTen() throws Exception {
    f = new LedgerFixture(tmp);
    f.write(50, 10);
    vkey = f.signer.verifier().vkey();
  }

  private Run verify(String... extra) {
    List<String> args = new ArrayList<>(List.of("verify", f.dir.toString(), "--key", vkey));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  private static void assertFails(Run run, String... lines) {
    assertEquals(1, run.exit(), run.out() + run.err());
    for (String line : lines) {
      assertTrue(run.out().contains(line), "missing \"" + line + "\" in:\n" + run.out() + run.err());
    }
  }

  @Test
  void anUntouchedLedgerVerifies() {
    Run run = verify();
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().endsWith("entries: 50 valid of 50; checkpoints: 5 valid of 5; unanchored: 0\n"), run.out());
  }

  @Test
  void aChangedByteWithItsChecksumFixedBreaksTheNextLinkAndTheCheckpoints() throws Exception {
    List<byte[]> frames = LedgerFixture.readFrames(f.segment());
    byte[] e17 = frames.get(17);
    frames.set(17, flipOneByte(e17, new String(e17, StandardCharsets.UTF_8).indexOf("cursor-agent")));
    LedgerFixture.writeFrames(f.segment(), frames);
    assertFails(verify(),
        "seq 18: prev does not match the hash of the entry before it (that entry was changed, removed or moved)",
        "checkpoint 1 (size 20): its root does not match the root recomputed from entries 0 to 19",
        "entries: 49 valid of 50; checkpoints: 1 valid of 5; unanchored: 40");
  }

  @Test
  void aChangedByteOnDiskFailsItsChecksum() throws Exception {
    byte[] bytes = Files.readAllBytes(f.segment());
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("req_17");
    bytes[at + 4] = '9';
    Files.write(f.segment(), bytes);
    assertFails(verify(), "seq 17: stored bytes fail their checksum: the entry was changed after it was written",
        "seq 18: prev does not match the hash of the entry before it");
  }

  @Test
  void anEntryReplacedByGarbageIsNamed() throws Exception {
    List<byte[]> frames = new ArrayList<>(LedgerFixture.readFrames(f.segment()));
    frames.set(5, "not json at all".getBytes(StandardCharsets.UTF_8));
    LedgerFixture.writeFrames(f.segment(), frames);
    assertFails(verify(), "seq 5: unreadable entry: entry is not valid JSON",
        "seq 6: prev does not match the hash of the entry before it", "entries: 48 valid of 50");
  }

  @Test
  void aDeletedEntryIsNamed() throws Exception {
    List<byte[]> frames = new ArrayList<>(LedgerFixture.readFrames(f.segment()));
    frames.remove(20);
    LedgerFixture.writeFrames(f.segment(), frames);
    assertFails(verify(), "seq 21: found where seq 20 belongs: entries missing before it",
        "seq 21: prev does not match the hash of the entry before it",
        "checkpoint 4 (size 50): covers 50 entries but the ledger holds 49");
  }

  @Test
  void twoSwappedEntriesAreNamed() throws Exception {
    List<byte[]> frames = new ArrayList<>(LedgerFixture.readFrames(f.segment()));
    byte[] a = frames.get(30);
    frames.set(30, frames.get(31));
    frames.set(31, a);
    LedgerFixture.writeFrames(f.segment(), frames);
    assertFails(verify(), "seq 31: found where seq 30 belongs: entries missing before it",
        "seq 30: found where seq 32 belongs: entries reordered or duplicated",
        "checkpoint 3 (size 40): its root does not match");
  }

  @Test
  void aTruncatedTailWithItsCheckpointRemovedIsCaughtByTheTrustedCheckpoint() throws Exception {
    Path trusted = tmp.resolve("trusted.checkpoint");
    Run saved = cli("checkpoint", "--config", f.config.toString());
    assertEquals(0, saved.exit(), saved.err());
    Files.writeString(trusted, saved.out());
    LedgerFixture.writeFrames(f.segment(), LedgerFixture.readFrames(f.segment()).subList(0, 40));
    List<byte[]> checkpoints = LedgerFixture.readFrames(f.checkpoints());
    LedgerFixture.writeFrames(f.checkpoints(), checkpoints.subList(0, checkpoints.size() - 1));

    assertEquals(0, verify().exit(), "without the trusted checkpoint the shorter ledger looks whole");
    assertFails(verify("--trusted-checkpoint", trusted.toString()),
        "trusted checkpoint (size 50): covers 50 entries but the ledger holds 40: entries were removed from the end",
        "trusted checkpoint (size 50): rollback: the ledger's latest checkpoint has size 40");
  }

  @Test
  void aLedgerResignedByAnotherKeyFailsEveryCheckpoint() throws Exception {
    NoteKeys.Signer attacker = NoteKeys.generate(LedgerFixture.ORIGIN);
    List<byte[]> resigned = new ArrayList<>();
    for (String note : LedgerFixture.notes(f.checkpoints())) {
      resigned.add(SignedNote.sign(SignedNote.parse(note).text(), attacker).format().getBytes(StandardCharsets.UTF_8));
    }
    LedgerFixture.writeFrames(f.checkpoints(), resigned);
    assertFails(verify(), "checkpoint 0 (size 10): bad signature: not signed by the trusted key " + LedgerFixture.ORIGIN
        + "+" + f.signer.verifier().keyIdHex() + " (signed by " + LedgerFixture.ORIGIN + "+"
        + attacker.verifier().keyIdHex() + ")", "checkpoints: 0 valid of 5; unanchored: 50");
  }

  @Test
  void twoCheckpointsOfOneSizeWithDifferentRootsAreAFork() throws Exception {
    // Whoever holds the key signs a second history of size 30 (shown to another auditor).
    List<byte[]> checkpoints = new ArrayList<>(LedgerFixture.readFrames(f.checkpoints()));
    Checkpoint forked = new Checkpoint(LedgerFixture.ORIGIN, 30, Base64.getDecoder().decode(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), java.time.Instant.now());
    checkpoints.add(SignedNote.sign(forked.text(), f.signer).format().getBytes(StandardCharsets.UTF_8));
    LedgerFixture.writeFrames(f.checkpoints(), checkpoints);
    assertFails(verify(), "checkpoint 5 (size 30): fork: checkpoint 2 has the same size with a different root");
  }

  @Test
  void aForkAgainstTheAuditorsTrustedCheckpointIsNamed() throws Exception {
    Checkpoint other = new Checkpoint(LedgerFixture.ORIGIN, 20, new byte[32], java.time.Instant.now());
    Path trusted = tmp.resolve("other.checkpoint");
    Files.writeString(trusted, SignedNote.sign(other.text(), f.signer).format());
    assertFails(verify("--trusted-checkpoint", trusted.toString()),
        "trusted checkpoint (size 20): fork: the ledger's checkpoint 1 (size 20) has a different root");
  }

  @Test
  void jsonOutputCarriesTheSameFindings() throws Exception {
    List<byte[]> frames = new ArrayList<>(LedgerFixture.readFrames(f.segment()));
    frames.remove(49);
    LedgerFixture.writeFrames(f.segment(), frames);
    Run run = verify("--format", "json");
    assertEquals(1, run.exit());
    assertTrue(run.out().startsWith("{\"ok\":false,\"problems\":[\"checkpoint 4 (size 50): covers 50 entries but the"
        + " ledger holds 49"), run.out());
    assertTrue(run.out().contains("\"entries\":{\"valid\":49,\"total\":49}"), run.out());
  }

  private static byte[] flipOneByte(byte[] bytes, int at) {
    byte[] copy = bytes.clone();
    copy[at] ^= 0x01;
    return copy;
  }
}
