package dev.portcullis.ledger.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed notes, keys and checkpoints against the published golang.org/x/mod/sumdb/note example. */
class SignedNoteTest {
  // From golang.org/x/mod/sumdb/note example_test.go.
  private static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  private static final String SIGNED = TEXT + "\n— PeterNeumann "
      + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  @Test
  void signingReproducesTheGoReferenceNoteByteForByte() {
    NoteKeys.Signer signer = NoteKeys.parseSigner(SKEY);
    assertEquals(VKEY, signer.verifier().vkey());
    assertEquals(SKEY, signer.skey());
    assertEquals(SIGNED, SignedNote.sign(TEXT, signer).format());
  }

  @Test
  void theReferenceNoteVerifiesWithItsVerifierKey() throws NoteException {
    SignedNote note = SignedNote.parse(SIGNED);
    note.verify(NoteKeys.parseVerifier(VKEY));
    assertEquals(TEXT, note.text());
  }

  @Test
  void aChangedTextFailsVerification() throws NoteException {
    SignedNote note = SignedNote.parse(SIGNED.replace("answer", "answeR"));
    NoteException e = assertThrows(NoteException.class, () -> note.verify(NoteKeys.parseVerifier(VKEY)));
    assertEquals("signature by PeterNeumann+c74f20a3 does not verify", e.getMessage());
  }

  @Test
  void aNoteSignedByAnotherKeyIsRejectedNamingTheSigner() throws NoteException {
    NoteKeys.Signer other = NoteKeys.generate("PeterNeumann");
    SignedNote note = SignedNote.parse(SignedNote.sign(TEXT, other).format());
    NoteException e = assertThrows(NoteException.class, () -> note.verify(NoteKeys.parseVerifier(VKEY)));
    assertTrue(e.getMessage().startsWith("not signed by the trusted key PeterNeumann+c74f20a3 (signed by PeterNeumann+"));
  }

  @Test
  void aNoteMaySignedByTwoKeysAndEachVerifies() throws NoteException {
    NoteKeys.Signer a = NoteKeys.generate("log.example/a");
    NoteKeys.Signer b = NoteKeys.generate("log.example/b");
    SignedNote note = SignedNote.parse(SignedNote.sign("rotate\n", a, b).format());
    assertTrue(note.isSignedBy(a.verifier()));
    assertTrue(note.isSignedBy(b.verifier()));
    assertFalse(note.isSignedBy(NoteKeys.generate("log.example/c").verifier()));
  }

  @Test
  void malformedNotesAndKeysAreRefusedWithAReason() {
    assertEquals("note has no blank line before its signatures",
        assertThrows(NoteException.class, () -> SignedNote.parse(TEXT)).getMessage());
    assertEquals("note contains a control character",
        assertThrows(NoteException.class, () -> SignedNote.parse("a\tb\n\n— x AAAAAAA=\n")).getMessage());
    assertEquals("verifier key ID c74f20a4 does not match its key (c74f20a3)", assertThrows(
        IllegalArgumentException.class, () -> NoteKeys.parseVerifier(VKEY.replace("c74f20a3", "c74f20a4"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> NoteKeys.generate("has space"));
    assertThrows(IllegalArgumentException.class, () -> NoteKeys.generate("has+plus"));
  }

  @Test
  void checkpointTextRoundTripsWithItsTimeLine() throws NoteException {
    byte[] root = new byte[32];
    root[0] = 7;
    Checkpoint cp = new Checkpoint("portcullis.example/ledger", 1234, root, Instant.parse("2026-11-22T02:00:00.123Z"));
    assertEquals("portcullis.example/ledger\n1234\nBwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        + "time 2026-11-22T02:00:00.123Z\n", cp.text());
    Checkpoint back = Checkpoint.parse(cp.text());
    assertEquals(1234, back.size());
    assertArrayEquals(root, back.root());
    assertEquals(cp.time(), back.time());
  }

  @Test
  void checkpointsWithBadSizesOrRootsAreRefused() {
    assertThrows(NoteException.class, () -> Checkpoint.parse("o\n012\nBwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
    assertThrows(NoteException.class, () -> Checkpoint.parse("o\n12\nBwAA\n"));
    assertThrows(NoteException.class, () -> Checkpoint.parse("o\n12\n"));
  }

  @Test
  void tlogProofRoundTrips() throws NoteException {
    TlogProof proof = new TlogProof(new byte[] {1, 2}, 5, List.of(new byte[32], new byte[32]), SIGNED);
    String text = proof.format();
    assertTrue(text.startsWith("c2sp.org/tlog-proof@v1\nextra AQI=\nindex 5\n"));
    TlogProof back = TlogProof.parse(text);
    assertEquals(5, back.index());
    assertEquals(2, back.hashes().size());
    assertEquals(SIGNED, back.checkpointNote());
    assertArrayEquals(new byte[] {1, 2}, back.extra());
  }
}
