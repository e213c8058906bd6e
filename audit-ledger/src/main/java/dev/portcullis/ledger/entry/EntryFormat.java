package dev.portcullis.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portcullis.ledger.merkle.Rfc6962;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stored form of an entry: RFC 8785 canonical JSON with the caller's fields plus {@code seq}, {@code time},
 * {@code kind}, {@code prev} (hex leaf hash of the previous entry; 64 zeros for seq 0) and, when a {@code statement}
 * is present, {@code statement_sha256}. Callers' fields are canonicalized once, before the ledger's critical
 * section, which then only splices in the three ordering fields at their sorted places.
 */
public final class EntryFormat {
  public static final Set<String> KINDS =
      Set.of("decision", "approval", "execution_result", "grant", "policy_loaded", "key_rotation", "checkpoint_note");
  public static final Set<String> RESERVED = Set.of("seq", "time", "kind", "prev", "statement_sha256");
  public static final String GENESIS_PREV = "0".repeat(64);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EntryFormat() {}

  /**
   * An entry's members in canonical form, in order, cut where the ordering fields go: {@code parts[i]} holds the
   * members (comma-separated, possibly none) that sort between {@code ORDERING[i - 1]} and {@code ORDERING[i]}.
   */
  public static final class Prepared {
    private final byte[][] parts;
    private final String kind;

    private Prepared(byte[][] parts, String kind) {
      this.parts = parts;
      this.kind = kind;
    }

    public String kind() {
      return kind;
    }
  }

  /** The members the ledger adds when it encodes an entry, in their sorted order. */
  private static final String[] ORDERING = {"prev", "seq", "time"};
  private static final byte[] PREV_NAME = nameBytes("prev");
  private static final byte[] SEQ_NAME = nameBytes("seq");

  /** The time member last encoded: the committer gives a whole batch the same time. */
  private record TimeMember(Instant time, byte[] member) {}

  private static volatile TimeMember lastTime = timeMember(Instant.EPOCH);

  /** Validates and canonicalizes the caller's part of an entry; throws IllegalArgumentException saying what is wrong. */
  public static Prepared prepare(String kind, ObjectNode fields) {
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown entry kind '" + kind + "' (expected one of "
          + String.join(", ", new TreeSet<>(KINDS)) + ")");
    }
    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(fields == null ? 1 : fields.size() + 2);
    if (fields != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (RESERVED.contains(f.getKey())) {
          throw new IllegalArgumentException("field '" + f.getKey() + "' is set by the ledger, not the caller");
        }
        members.add(f);
      }
      JsonNode statement = fields.get("statement");
      if (statement != null && !statement.isNull()) {
        if (!statement.isTextual()) throw new IllegalArgumentException("field 'statement' must be a string");
        String digest = HexFormat.of().formatHex(Rfc6962.sha256(statement.textValue().getBytes(StandardCharsets.UTF_8)));
        members.add(Map.entry("statement_sha256", TextNode.valueOf(digest)));
      }
    }
    members.add(Map.entry("kind", TextNode.valueOf(kind)));
    members.sort(Map.Entry.comparingByKey());
    byte[][] parts = new byte[ORDERING.length + 1][];
    int part = 0;
    ByteSink out = new ByteSink(1024);
    for (Map.Entry<String, JsonNode> m : members) {
      while (part < ORDERING.length && m.getKey().compareTo(ORDERING[part]) > 0) parts[part++] = out.takeBytes();
      if (out.size() > 0) out.write(',');
      CanonicalJson.writeString(m.getKey(), out);
      out.write(':');
      CanonicalJson.write(m.getValue(), out);
    }
    while (part < parts.length) parts[part++] = out.takeBytes();
    return new Prepared(parts, kind);
  }

  /** The stored bytes of an entry: the prepared members with {@code prev}, {@code seq} and {@code time} in place. */
  public static byte[] encode(Prepared entry, long seq, Instant time, byte[] prevLeafHash) {
    byte[] prev = prevMember(prevLeafHash);
    byte[] seqMember = seqMember(seq);
    TimeMember t = lastTime;
    if (!t.time().equals(time)) lastTime = t = timeMember(time);
    byte[][] p = entry.parts;
    byte[][] members = {p[0], prev, p[1], seqMember, p[2], t.member(), p[3]};
    int length = 1;
    for (byte[] m : members) length += m.length == 0 ? 0 : m.length + 1;
    byte[] out = new byte[length];
    out[0] = '{';
    int at = 1;
    for (byte[] m : members) {
      if (m.length == 0) continue;
      if (at > 1) out[at++] = ',';
      System.arraycopy(m, 0, out, at, m.length);
      at += m.length;
    }
    out[at] = '}';
    return out;
  }

  private static byte[] prevMember(byte[] leafHash) {
    byte[] m = Arrays.copyOf(PREV_NAME, PREV_NAME.length + 66);
    int at = PREV_NAME.length;
    m[at++] = '"';
    if (leafHash == null) {
      Arrays.fill(m, at, at + 64, (byte) '0');
    } else {
      for (byte b : leafHash) {
        m[at++] = CanonicalJson.HEX[(b >> 4) & 0xf];
        m[at++] = CanonicalJson.HEX[b & 0xf];
      }
    }
    m[m.length - 1] = '"';
    return m;
  }

  private static byte[] seqMember(long seq) {
    String digits = Long.toString(seq);
    byte[] m = Arrays.copyOf(SEQ_NAME, SEQ_NAME.length + digits.length());
    for (int i = 0; i < digits.length(); i++) m[SEQ_NAME.length + i] = (byte) digits.charAt(i);
    return m;
  }

  private static TimeMember timeMember(Instant time) {
    ByteSink out = new ByteSink(40);
    CanonicalJson.writeString("time", out);
    out.write(':');
    CanonicalJson.writeString(formatTime(time), out);
    return new TimeMember(time, out.takeBytes());
  }

  private static byte[] nameBytes(String name) {
    ByteSink out = new ByteSink(name.length() + 3);
    CanonicalJson.writeString(name, out);
    out.write(':');
    return out.takeBytes();
  }

  /**
   * The time as {@link #TIME} writes it, laid out by hand for years 0 to 9999: the formatter costs more than all the
   * rest of an entry, and when appends come one at a time each has a time of its own.
   */
  public static String formatTime(Instant time) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) return TIME.format(time);
    char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
    putDigits(c, 0, 4, t.getYear());
    putDigits(c, 5, 2, t.getMonthValue());
    putDigits(c, 8, 2, t.getDayOfMonth());
    putDigits(c, 11, 2, t.getHour());
    putDigits(c, 14, 2, t.getMinute());
    putDigits(c, 17, 2, t.getSecond());
    putDigits(c, 20, 3, t.getNano() / 1_000_000);
    return new String(c);
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, into {@code c} from {@code at}. */
  private static void putDigits(char[] c, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--, value /= 10) c[i] = (char) ('0' + value % 10);
  }
}
