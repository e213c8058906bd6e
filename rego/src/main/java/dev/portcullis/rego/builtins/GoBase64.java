package dev.portcullis.rego.builtins;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Base64 decoding with Go's {@code encoding/base64} rules, which OPA's built-ins inherit: padding is required when
 * the encoding has it, CR and LF are skipped, and errors name the offending input byte.
 */
final class GoBase64 {
  private GoBase64() {}

  private static final String STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  static byte[] decodeStd(String s) throws BuiltinException { return decode(s, STD, true); }

  static byte[] decodeUrl(String s) throws BuiltinException { return decode(s, URL, true); }

  /** Decodes {@code s} quantum by quantum as Go does; throws "illegal base64 data at input byte N". */
  static byte[] decode(String s, String alphabet, boolean padded) throws BuiltinException {
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4);
    int si = 0;
    while (true) {
      int[] q = new int[4];
      int len = 4;
      boolean end = false;
      for (int j = 0; j < 4; j++) {
        if (si == src.length) {
          if (j == 0) return out.toByteArray();
          if (j == 1 || padded) throw corrupt(si - j);
          len = j;
          end = true;
          break;
        }
        int in = src[si++] & 0xff;
        int v = in < 128 ? alphabet.indexOf(in) : -1;
        if (v >= 0) {
          q[j] = v;
          continue;
        }
        if (in == '\n' || in == '\r') {
          j--;
          continue;
        }
        if (!padded || in != '=') throw corrupt(si - 1);
        // Padding: it may only follow two or three characters, and only newlines may follow it.
        if (j < 2) throw corrupt(si - 1);
        if (j == 2) {
          while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
          if (si == src.length) throw corrupt(src.length);
          if (src[si] != '=') throw corrupt(si - 1);
          si++;
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
        if (si < src.length) throw corrupt(si);
        len = j;
        end = true;
        break;
      }
      int bits = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
      if (len >= 2) out.write(bits >> 16);
      if (len >= 3) out.write((bits >> 8) & 0xff);
      if (len == 4) out.write(bits & 0xff);
      if (end) return out.toByteArray();
    }
  }

  private static BuiltinException corrupt(int offset) {
    return BuiltinException.error("illegal base64 data at input byte " + offset);
  }
}
