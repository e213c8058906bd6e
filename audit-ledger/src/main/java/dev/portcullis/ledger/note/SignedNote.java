package dev.portcullis.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A c2sp.org/signed-note: text ending in a newline, a blank line, then one line per signature,
 * {@code — <key name> base64(key ID || signature)}.
 */
public record SignedNote(String text, List<Signature> signatures) {
  private static final String DASH = "\u2014 ";

  /** One signature line: who claims to have signed (name and key ID) and the signature bytes. */
  public record Signature(String name, int keyId, byte[] signature) {}

  public SignedNote {
    signatures = List.copyOf(signatures);
  }

  public static SignedNote sign(String text, NoteKeys.Signer... signers) {
    checkText(text);
    List<Signature> sigs = new ArrayList<>();
    for (NoteKeys.Signer s : signers) {
      sigs.add(new Signature(s.name(), s.verifier().keyId(), s.sign(text.getBytes(StandardCharsets.UTF_8))));
    }
    return new SignedNote(text, sigs);
  }

  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    for (Signature s : signatures) {
      byte[] blob = ByteBuffer.allocate(4 + s.signature().length).putInt(s.keyId()).put(s.signature()).array();
      out.append(DASH).append(s.name()).append(' ').append(Base64.getEncoder().encodeToString(blob)).append('\n');
    }
    return out.toString();
  }

  public static SignedNote parse(String note) throws NoteException {
    if (note.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new NoteException("note contains a control character");
    }
    if (!note.endsWith("\n")) throw new NoteException("note does not end with a newline");
    int split = note.lastIndexOf("\n\n");
    if (split < 0) throw new NoteException("note has no blank line before its signatures");
    String text = note.substring(0, split + 1);
    List<Signature> sigs = new ArrayList<>();
    for (String line : note.substring(split + 2).split("\n")) {
      if (!line.startsWith(DASH)) throw new NoteException("malformed signature line: " + line);
      String rest = line.substring(DASH.length());
      int space = rest.lastIndexOf(' ');
      if (space <= 0) throw new NoteException("malformed signature line: " + line);
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(rest.substring(space + 1));
      } catch (IllegalArgumentException e) {
        throw new NoteException("signature is not base64: " + line);
      }
      if (blob.length < 5) throw new NoteException("signature too short: " + line);
      ByteBuffer b = ByteBuffer.wrap(blob);
      int id = b.getInt();
      byte[] sig = new byte[blob.length - 4];
      b.get(sig);
      sigs.add(new Signature(rest.substring(0, space), id, sig));
    }
    if (sigs.isEmpty()) throw new NoteException("note has no signature");
    return new SignedNote(text, sigs);
  }

  /**
   * Checks the note against one trusted key: a signature by that key (same name and key ID) must be present and
   * must verify. Signatures by other keys are ignored, as the spec requires.
   */
  public void verify(NoteKeys.Verifier key) throws NoteException {
    boolean found = false;
    for (Signature s : signatures) {
      if (s.name().equals(key.name()) && s.keyId() == key.keyId()) {
        if (!key.verify(text.getBytes(StandardCharsets.UTF_8), s.signature())) {
          throw new NoteException("signature by " + key.name() + "+" + key.keyIdHex() + " does not verify");
        }
        found = true;
      }
    }
    if (!found) {
      throw new NoteException("not signed by the trusted key " + key.name() + "+" + key.keyIdHex()
          + " (signed by " + signers() + ")");
    }
  }

  /** Whether a signature by {@code key} is present and valid. */
  public boolean isSignedBy(NoteKeys.Verifier key) {
    try {
      verify(key);
      return true;
    } catch (NoteException e) {
      return false;
    }
  }

  private String signers() {
    List<String> names = new ArrayList<>();
    for (Signature s : signatures) names.add(s.name() + "+" + String.format("%08x", s.keyId()));
    return String.join(", ", names);
  }

  private static void checkText(String text) {
    if (text.isEmpty() || !text.endsWith("\n")) throw new IllegalArgumentException("note text must end with a newline");
    if (text.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw new IllegalArgumentException("note text must not contain control characters");
    }
  }
}
