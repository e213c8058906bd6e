package dev.portcullis.rego.builtins;

import dev.portcullis.rego.value.NumberValue;
import dev.portcullis.rego.value.ObjectValue;
import dev.portcullis.rego.value.StringValue;
import dev.portcullis.rego.value.Value;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code uuid.rfc4122} (random, stable per key within an evaluation) and {@code uuid.parse}. */
final class Uuid {
  private Uuid() {}

  /** Offset between the UUID epoch (1582-10-15) and the Unix epoch, in 100 ns ticks. */
  private static final long GREGORIAN_OFFSET = 122_192_928_000_000_000L;

  private record CacheKey(Value key) {}

  static void register(BuiltinTable t) {
    t.register("uuid.rfc4122", 1, (ctx, a) -> {
      CacheKey key = new CacheKey(a[0]);
      Object cached = ctx.cache().get(key);
      if (cached instanceof StringValue s) return s;
      StringValue fresh = StringValue.of(randomV4(ctx));
      ctx.cache().put(key, fresh);
      return fresh;
    });
    t.register("uuid.parse", 1, (ctx, a) -> {
      byte[] u = parse(Args.string(a, 0));
      return u == null ? null : describe(u);
    });
  }

  private static String randomV4(BuiltinContext ctx) {
    byte[] b = new byte[16];
    ctx.random().nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    String h = HexFormat.of().formatHex(b);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
        + "-" + h.substring(20);
  }

  /** The 16 bytes of a UUID in any of the forms Go's google/uuid accepts, or null. */
  static byte[] parse(String s) {
    String hex;
    switch (s.length()) {
      case 36 -> hex = dashed(s);
      case 38 -> hex = s.charAt(0) == '{' && s.charAt(37) == '}' ? dashed(s.substring(1, 37)) : null;
      case 45 -> hex = s.substring(0, 9).toLowerCase(Locale.ROOT).equals("urn:uuid:") ? dashed(s.substring(9)) : null;
      case 32 -> hex = s;
      default -> hex = null;
    }
    if (hex == null) return null;
    byte[] out = new byte[16];
    for (int i = 0; i < 16; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16), lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') return null;
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  private static String dashed(String s) {
    if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') return null;
    return s.replace("-", "").length() == 32 ? s.replace("-", "") : null;
  }

  private static ObjectValue describe(byte[] u) {
    Map<Value, Value> m = new LinkedHashMap<>();
    int version = (u[6] & 0xff) >> 4;
    m.put(StringValue.of("version"), NumberValue.of(version));
    m.put(StringValue.of("variant"), StringValue.of(variant(u[8] & 0xff)));
    if (version == 1 || version == 2) {
      long ticks = be(u, 0, 4) | (be(u, 4, 2) << 32) | ((be(u, 6, 2) & 0xfff) << 48);
      long sinceUnix = ticks - GREGORIAN_OFFSET;
      m.put(StringValue.of("time"), NumberValue.of((sinceUnix / 10_000_000L) * 1_000_000_000L
          + (sinceUnix % 10_000_000L) * 100));
      StringBuilder node = new StringBuilder();
      for (int i = 10; i < 16; i++) {
        if (i > 10) node.append('-');
        node.append(String.format("%02x", u[i] & 0xff));
      }
      m.put(StringValue.of("nodeid"), StringValue.of(node.toString()));
      m.put(StringValue.of("macvariables"), StringValue.of(macVariables(u[10] & 0xff)));
      m.put(StringValue.of("clocksequence"), NumberValue.of(be(u, 8, 2) & 0x3fff));
      if (version == 2) {
        m.put(StringValue.of("id"), NumberValue.of(be(u, 0, 4)));
        int domain = u[9] & 0xff;
        m.put(StringValue.of("domain"), StringValue.of(switch (domain) {
          case 0 -> "Person";
          case 1 -> "Group";
          case 2 -> "Org";
          default -> "Domain" + domain;
        }));
      }
    }
    return ObjectValue.wrap(m);
  }

  private static String variant(int b) {
    if ((b & 0xc0) == 0x80) return "RFC4122";
    if ((b & 0xe0) == 0xc0) return "Microsoft";
    if ((b & 0xe0) == 0xe0) return "Future";
    return "Reserved";
  }

  /** Whether the MAC address is locally administered and whether it is multicast. */
  private static String macVariables(int b) {
    if ((b & 3) == 3) return "local:multicast";
    if ((b & 1) == 1) return "global:multicast";
    if ((b & 2) == 2) return "local:unicast";
    return "global:unicast";
  }

  private static long be(byte[] b, int off, int len) {
    long v = 0;
    for (int i = off; i < off + len; i++) v = (v << 8) | (b[i] & 0xff);
    return v;
  }
}
