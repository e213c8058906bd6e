package dev.portcullis.ledger.note;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A c2sp.org/tlog-proof: an entry's index, its inclusion proof and the signed checkpoint it is proven against.
 * The ledger puts the entry's stored bytes in {@code extra} so the proof stands on its own.
 */
public record TlogProof(byte[] extra, long index, List<byte[]> hashes, String checkpointNote) {
  private static final String HEADER = "c2sp.org/tlog-proof@v1";
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  public TlogProof {
    hashes = List.copyOf(hashes);
  }

  public String format() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    if (extra != null) out.append("extra ").append(Base64.getEncoder().encodeToString(extra)).append('\n');
    out.append("index ").append(index).append('\n');
    for (byte[] h : hashes) out.append(Base64.getEncoder().encodeToString(h)).append('\n');
    return out.append('\n').append(checkpointNote).toString();
  }

  public static TlogProof parse(String text) throws NoteException {
    int blank = text.indexOf("\n\n");
    if (blank < 0) throw new NoteException("proof has no blank line before its checkpoint");
    String[] lines = text.substring(0, blank).split("\n", -1);
    int i = 0;
    if (!lines[i++].equals(HEADER)) throw new NoteException("proof does not start with " + HEADER);
    byte[] extra = null;
    try {
      if (i < lines.length && lines[i].startsWith("extra ")) extra = Base64.getDecoder().decode(lines[i++].substring(6));
      if (i >= lines.length || !lines[i].startsWith("index ") || !DECIMAL.matcher(lines[i].substring(6)).matches()) {
        throw new NoteException("proof has no valid index line");
      }
      long index = Long.parseLong(lines[i++].substring(6));
      List<byte[]> hashes = new ArrayList<>();
      for (; i < lines.length; i++) hashes.add(Base64.getDecoder().decode(lines[i]));
      return new TlogProof(extra, index, hashes, text.substring(blank + 2));
    } catch (IllegalArgumentException e) {
      throw new NoteException("proof line is not base64");
    }
  }
}
