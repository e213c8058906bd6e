package dev.portcullis.ledger;

import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import java.util.List;

/**
 * A key rotation as recorded in a {@code key_rotation} entry: a signed note naming the old and the new verifier
 * key, signed by both, so that whoever trusts either key can follow the chain to the other.
 */
public record KeyRotation(NoteKeys.Verifier oldKey, NoteKeys.Verifier newKey, String note) {
  private static final String HEADER = "portcullis ledger key rotation";

  static String text(String origin, NoteKeys.Verifier oldKey, NoteKeys.Verifier newKey) {
    return HEADER + "\n" + origin + "\nold " + oldKey.vkey() + "\nnew " + newKey.vkey() + "\n";
  }

  /** Reads and checks a rotation note: well formed, for this origin, and signed by both keys it names. */
  public static KeyRotation parse(String note, String origin) throws NoteException {
    if (note == null) throw new NoteException("key_rotation entry has no note");
    SignedNote signed = SignedNote.parse(note);
    List<String> lines = List.of(signed.text().split("\n"));
    if (lines.size() != 4 || !lines.get(0).equals(HEADER) || !lines.get(2).startsWith("old ")
        || !lines.get(3).startsWith("new ")) {
      throw new NoteException("key_rotation note is not a portcullis key rotation");
    }
    if (!lines.get(1).equals(origin)) {
      throw new NoteException("key_rotation note is for origin " + lines.get(1) + ", not " + origin);
    }
    NoteKeys.Verifier oldKey;
    NoteKeys.Verifier newKey;
    try {
      oldKey = NoteKeys.parseVerifier(lines.get(2).substring(4));
      newKey = NoteKeys.parseVerifier(lines.get(3).substring(4));
    } catch (IllegalArgumentException e) {
      throw new NoteException("key_rotation note names a bad key: " + e.getMessage());
    }
    signed.verify(oldKey);
    signed.verify(newKey);
    return new KeyRotation(oldKey, newKey, note);
  }
}
