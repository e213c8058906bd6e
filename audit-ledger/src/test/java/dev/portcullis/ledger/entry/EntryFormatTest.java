package dev.portcullis.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.merkle.Rfc6962;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String canonical(String json) throws Exception {
    return new String(CanonicalJson.serialize(JSON.readTree(json)), StandardCharsets.UTF_8);
  }

  @Test
  void membersAreSortedByUtf16CodeUnitsWithoutWhitespace() throws Exception {
    // RFC 8785 section 3.2.3's sorting example: code-unit order puts U+1F600 (a surrogate pair) before U+FB33.
    assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}",
        canonical("{\"\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\uFB33\": \"Hebrew Letter Dalet With Dagesh\","
            + " \"1\": \"One\", \"\uD83D\uDE00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
            + " \"\u00f6\": \"Latin Small Letter O With Diaeresis\"}"));
  }

  @Test
  void stringsEscapeOnlyQuotesBackslashesAndControlCharacters() throws Exception {
    assertEquals("[\"\\u000f\\n\\\"\\\\/\u2028é\"]", canonical("[\"\\u000f\\n\\\"\\\\\\/\\u2028\\u00e9\"]"));
  }

  @Test
  void asciiRunsBetweenEscapesAndNonAsciiCharactersKeepTheirBytes() throws Exception {
    String s = "SELECT \"é\" FROM t\twhere x = '€' -- \uD83D\uDE00 ok" + "a".repeat(600) + "\u0001end";
    byte[] expected = ("\"SELECT \\\"é\\\" FROM t\\twhere x = '€' -- \uD83D\uDE00 ok" + "a".repeat(600) + "\\u0001end\"")
        .getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, CanonicalJson.serialize(JSON.getNodeFactory().textNode(s)));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.serialize(JSON.getNodeFactory().textNode("abc\uDE00def")));
  }

  @Test
  void everyCharacterThatIsNotEscapedIsWrittenAsItsUtf8Bytes() {
    for (int cp = 0x20; cp <= Character.MAX_CODE_POINT; cp += cp < 0x10000 ? 1 : 97) {
      if (cp == '"' || cp == '\\' || Character.isSurrogate((char) cp) && cp < 0x10000) continue;
      String s = "a" + Character.toString(cp) + "b";
      assertArrayEquals(("\"" + s + "\"").getBytes(StandardCharsets.UTF_8),
          CanonicalJson.serialize(JSON.getNodeFactory().textNode(s)), "U+" + Integer.toHexString(cp));
    }
  }

  @Test
  void numbersFollowEcmaScript() {
    // Values from RFC 8785 appendix B.
    assertEquals("0", CanonicalJson.ecmaScriptNumber(-0.0));
    assertEquals("5e-324", CanonicalJson.ecmaScriptNumber(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", CanonicalJson.ecmaScriptNumber(Double.MAX_VALUE));
    assertEquals("9007199254740992", CanonicalJson.ecmaScriptNumber(9007199254740992d));
    assertEquals("1e+21", CanonicalJson.ecmaScriptNumber(1e21));
    assertEquals("999999999999999900000", CanonicalJson.ecmaScriptNumber(999999999999999900000d));
    assertEquals("0.000001", CanonicalJson.ecmaScriptNumber(0.000001));
    assertEquals("1e-7", CanonicalJson.ecmaScriptNumber(1e-7));
    assertEquals("333333333.3333333", CanonicalJson.ecmaScriptNumber(333333333.33333329));
    assertEquals("-1.5", CanonicalJson.ecmaScriptNumber(-1.5));
  }

  @Test
  void integersUpTo2To53AreWrittenExactlyAndLargerOnesRefused() throws Exception {
    assertEquals("[9007199254740992,-9007199254740992,0,-1,123,4500000000000000,0]",
        canonical("[9007199254740992,-9007199254740992,0,-1,123.0,4.5e15,-0.0]"));
    JsonNodeFactory f = JSON.getNodeFactory();
    assertEquals("[42,-7,1000000]", new String(CanonicalJson.serialize(f.arrayNode().add(f.numberNode(
        java.math.BigInteger.valueOf(42))).add(f.numberNode((short) -7)).add(1e6)), StandardCharsets.UTF_8));
    assertThrows(IllegalArgumentException.class, () -> canonical("[9007199254740993]"));
    assertThrows(IllegalArgumentException.class, () -> canonical("[-9007199254740993]"));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.serialize(f.arrayNode().add(Long.MIN_VALUE)));
  }

  @Test
  void unrepresentableValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> canonical("[18446744073709551616]"));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.ecmaScriptNumber(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.serialize(JSON.createObjectNode().put("x", "\uD800")));
  }

  @Test
  void anEntryCarriesItsOrderingFieldsAndStatementDigest() {
    ObjectNode fields = JSON.createObjectNode().put("request_id", "req_1").put("statement", "SELECT 1");
    fields.putObject("identity").put("subject", "agent").putArray("groups").add("b").add("a");
    byte[] prev = Rfc6962.leafHash(new byte[] {1});
    byte[] bytes = EntryFormat.encode(EntryFormat.prepare("decision", fields), 41, Instant.parse("2026-11-22T02:00:00Z"),
        prev);
    String expected = "{\"identity\":{\"groups\":[\"b\",\"a\"],\"subject\":\"agent\"},\"kind\":\"decision\","
        + "\"prev\":\"" + java.util.HexFormat.of().formatHex(prev) + "\",\"request_id\":\"req_1\",\"seq\":41,"
        + "\"statement\":\"SELECT 1\","
        + "\"statement_sha256\":\"e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5\","
        + "\"time\":\"2026-11-22T02:00:00.000Z\"}";
    assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
    StoredEntry stored = StoredEntry.parse(bytes);
    assertEquals(41, stored.seq());
    assertEquals("req_1", stored.requestId());
    assertEquals("decision", stored.kind());
  }

  @Test
  void encodingEqualsCanonicalizingTheWholeEntry() throws Exception {
    ObjectNode fields = JSON.createObjectNode().put("zeta", 1).put("action", "query").put("s", "é\u0001");
    byte[] bytes = EntryFormat.encode(EntryFormat.prepare("approval", fields), 0, Instant.EPOCH, null);
    assertArrayEquals(CanonicalJson.serialize(JSON.readTree(bytes)), bytes);
  }

  @Test
  void timesAreWrittenAsTheFormatterWritesThem() {
    java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter
        .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    Random random = new Random(3);
    List<Instant> times = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("-0001-12-31T23:59:59.5Z"), Instant.parse("1969-12-31T23:59:59.9995Z")));
    for (int i = 0; i < 100_000; i++) {
      times.add(Instant.ofEpochSecond(random.nextLong() % 253402300800L, random.nextInt(1_000_000_000)));
    }
    for (Instant t : times) assertEquals(formatter.format(t), EntryFormat.formatTime(t), t.toString());
  }

  @Test
  void badEntriesAreRefusedWithTheReason() {
    assertEquals("unknown entry kind 'nope' (expected one of approval, checkpoint_note, decision, execution_result, grant,"
        + " key_rotation, policy_loaded)", assertThrows(IllegalArgumentException.class,
        () -> EntryFormat.prepare("nope", JSON.createObjectNode())).getMessage());
    assertEquals("field 'seq' is set by the ledger, not the caller", assertThrows(IllegalArgumentException.class,
        () -> EntryFormat.prepare("decision", JSON.createObjectNode().put("seq", 3))).getMessage());
    assertEquals("field 'statement' must be a string", assertThrows(IllegalArgumentException.class,
        () -> EntryFormat.prepare("decision", JSON.createObjectNode().put("statement", 3))).getMessage());
  }

  /**
   * The bytes of many entries of every shape (members sorting around the ordering fields, numbers of each kind,
   * escapes, non-ASCII keys), hashed: the digest was taken from the encoder as it was before it spliced the ordering
   * fields into pre-sorted members. Auditors verify these bytes offline, so they must never change.
   */
  @Test
  void encodingKeepsTheBytesOfEarlierVersions() {
    Random random = new Random(20261122);
    MessageDigest all = sha256();
    byte[] prev = null;
    Instant time = Instant.parse("2026-11-22T07:00:00.123456789Z");
    for (int seq = 0; seq < 3000; seq++) {
      if (random.nextInt(4) == 0) time = time.plusNanos(random.nextInt(Integer.MAX_VALUE));
      ObjectNode fields = seq % 50 == 0 ? null : randomObject(random, 0);
      byte[] bytes = EntryFormat.encode(EntryFormat.prepare(KIND_LIST.get(seq % KIND_LIST.size()), fields), seq, time,
          prev);
      all.update(bytes);
      prev = Rfc6962.leafHash(bytes);
    }
    assertEquals("b757cf755008ea7a0a561a1a9821024b2b12d188a713964bdc546611c809792f", java.util.HexFormat.of().formatHex(all.digest()));
  }

  private static final List<String> KIND_LIST = List.copyOf(new java.util.TreeSet<>(EntryFormat.KINDS));
  private static final String[] KEYS = {"a", "action", "error", "identity", "kind_of", "p", "pre", "prev_hash", "prevx",
      "q", "request_id", "rows", "s", "se", "seq_no", "sequence", "statement", "t", "ti", "time_ms", "timex", "u", "z",
      "", "A", "_", "\u00e9", "\uD83D\uDE00", "\uFB33", "\u0001", "\"quoted\"", "~"};

  private static ObjectNode randomObject(Random random, int depth) {
    ObjectNode o = JSON.createObjectNode();
    for (int n = random.nextInt(depth == 0 ? 10 : 5); n > 0; n--) {
      String key = KEYS[random.nextInt(KEYS.length)];
      if (key.equals("statement")) o.put(key, randomString(random));
      else o.set(key, randomValue(random, depth + 1));
    }
    return o;
  }

  private static JsonNode randomValue(Random random, int depth) {
    JsonNodeFactory f = JSON.getNodeFactory();
    switch (random.nextInt(depth < 3 ? 12 : 10)) {
      case 0: return f.numberNode(random.nextInt());
      case 1: return f.numberNode((random.nextLong() >> random.nextInt(64)) % (1L << 53));
      case 2: return f.numberNode(random.nextBoolean() ? (double) random.nextInt(100000) : random.nextGaussian() * 1e6);
      case 3: return f.numberNode(Math.scalb(random.nextDouble(), random.nextInt(200) - 100));
      case 4: return f.numberNode(java.math.BigInteger.valueOf(random.nextLong() % (1L << 53)));
      case 5: return f.numberNode(new java.math.BigDecimal(random.nextInt(1000000)).movePointLeft(random.nextInt(8)));
      case 6: return f.numberNode((float) random.nextGaussian());
      case 7: return f.booleanNode(random.nextBoolean());
      case 8: return f.nullNode();
      case 9: return f.textNode(randomString(random));
      case 10: {
        ArrayNode a = f.arrayNode();
        for (int n = random.nextInt(4); n > 0; n--) a.add(randomValue(random, depth + 1));
        return a;
      }
      default: return randomObject(random, depth);
    }
  }

  private static String randomString(Random random) {
    String alphabet = "abc XYZ 019 ' \" \\ / \n\t\u0001\u001f\u007f é € \u2028 \uD83D\uDE00";
    StringBuilder sb = new StringBuilder();
    for (int n = random.nextInt(40); n > 0; n--) {
      int i = random.nextInt(alphabet.length());
      char c = alphabet.charAt(i);
      if (Character.isHighSurrogate(c)) sb.append(c).append(alphabet.charAt(i + 1));
      else if (!Character.isLowSurrogate(c)) sb.append(c);
    }
    return sb.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
