package dev.portcullis.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.merkle.Rfc6962;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stored form of an entry: RFC 8785 canonical JSON with the caller's fields plus {@code seq}, {@code time},
 * {@code kind}, {@code prev} (hex leaf hash of the previous entry; 64 zeros for seq 0) and, when a {@code statement}
 * is present, {@code statement_sha256}. Callers' fields are canonicalized once, before the ledger's critical
 * section, which then only splices in the four ordering fields.
 */
public final class EntryFormat {
  public static final Set<String> KINDS =
      Set.of("decision", "approval", "execution_result", "grant", "policy_loaded", "key_rotation", "checkpoint_note");
  public static final Set<String> RESERVED = Set.of("seq", "time", "kind", "prev", "statement_sha256");
  public static final String GENESIS_PREV = "0".repeat(64);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EntryFormat() {}

  /** An entry's members, each already in canonical form, waiting for its place in the log. */
  public static final class Prepared {
    private final TreeMap<String, byte[]> members;
    private final String kind;

    private Prepared(TreeMap<String, byte[]> members, String kind) {
      this.members = members;
      this.kind = kind;
    }

    public String kind() {
      return kind;
    }
  }

  /** Validates and canonicalizes the caller's part of an entry; throws IllegalArgumentException saying what is wrong. */
  public static Prepared prepare(String kind, ObjectNode fields) {
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown entry kind '" + kind + "' (expected one of "
          + String.join(", ", new TreeSet<>(KINDS)) + ")");
    }
    TreeMap<String, byte[]> members = new TreeMap<>();
    if (fields != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (RESERVED.contains(f.getKey())) {
          throw new IllegalArgumentException("field '" + f.getKey() + "' is set by the ledger, not the caller");
        }
        members.put(f.getKey(), CanonicalJson.serialize(f.getValue()));
      }
      JsonNode statement = fields.get("statement");
      if (statement != null && !statement.isNull()) {
        if (!statement.isTextual()) throw new IllegalArgumentException("field 'statement' must be a string");
        String digest = HexFormat.of().formatHex(Rfc6962.sha256(statement.textValue().getBytes(StandardCharsets.UTF_8)));
        members.put("statement_sha256", quoted(digest));
      }
    }
    members.put("kind", quoted(kind));
    return new Prepared(members, kind);
  }

  /** The stored bytes of an entry. */
  public static byte[] encode(Prepared entry, long seq, Instant time, byte[] prevLeafHash) {
    TreeMap<String, byte[]> members = new TreeMap<>(entry.members);
    members.put("seq", Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
    members.put("time", quoted(formatTime(time)));
    members.put("prev", quoted(prevLeafHash == null ? GENESIS_PREV : HexFormat.of().formatHex(prevLeafHash)));
    ByteSink out = new ByteSink(512);
    out.write('{');
    boolean first = true;
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      if (!first) out.write(',');
      first = false;
      CanonicalJson.writeString(m.getKey(), out);
      out.write(':');
      out.writeBytes(m.getValue());
    }
    out.write('}');
    return out.toByteArray();
  }

  public static String formatTime(Instant time) {
    return TIME.format(time);
  }

  private static byte[] quoted(String s) {
    ByteSink out = new ByteSink(s.length() + 2);
    CanonicalJson.writeString(s, out);
    return out.toByteArray();
  }
}
