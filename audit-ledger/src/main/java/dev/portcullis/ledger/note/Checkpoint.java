package dev.portcullis.ledger.note;

import dev.portcullis.ledger.merkle.Rfc6962;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A c2sp.org/tlog-checkpoint body: origin, tree size and base64 root, one per line, then one extension line
 * {@code time <RFC 3339>} with the signing time. The time is what makes an idle heartbeat checkpoint say something
 * ("still this size at that moment"); tlog-checkpoint permits extension lines and readers ignore unknown ones.
 *
 * @param time signing time, null when the text has no time line (a checkpoint from another producer)
 */
public record Checkpoint(String origin, long size, byte[] root, Instant time) {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final String TIME = "time ";

  public Checkpoint {
    NoteKeys.checkName(origin);
    if (size < 0) throw new IllegalArgumentException("negative tree size");
    if (root.length != Rfc6962.HASH_SIZE) throw new IllegalArgumentException("root must be 32 bytes");
    root = root.clone();
  }

  public String text() {
    String body = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    return time == null ? body : body + TIME + time + "\n";
  }

  public static Checkpoint parse(String text) throws NoteException {
    if (!text.endsWith("\n")) throw new NoteException("checkpoint text does not end with a newline");
    List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) throw new NoteException("checkpoint needs origin, size and root lines");
    if (!DECIMAL.matcher(lines.get(1)).matches()) throw new NoteException("checkpoint size is not a decimal: " + lines.get(1));
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines.get(2));
    } catch (IllegalArgumentException e) {
      throw new NoteException("checkpoint root is not base64");
    }
    if (root.length != Rfc6962.HASH_SIZE) throw new NoteException("checkpoint root is not 32 bytes");
    Instant time = null;
    for (String extension : lines.subList(3, lines.size())) {
      if (extension.isEmpty()) throw new NoteException("checkpoint has an empty extension line");
      if (extension.startsWith(TIME)) {
        try {
          time = Instant.parse(extension.substring(TIME.length()));
        } catch (DateTimeParseException e) {
          throw new NoteException("checkpoint time is not RFC 3339: " + extension);
        }
      }
    }
    try {
      return new Checkpoint(lines.get(0), Long.parseLong(lines.get(1)), root, time);
    } catch (IllegalArgumentException e) {
      throw new NoteException("bad checkpoint: " + e.getMessage());
    }
  }
}
