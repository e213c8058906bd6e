package dev.portcullis.rego.builtins;

import java.io.ByteArrayOutputStream;

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

  static byte[] decodeRawUrl(String s) throws BuiltinException { return decode(s, URL, false); }

  /** Decodes {@code s}; throws "illegal base64 data at input byte N" as Go does. */
  static byte[] decode(String s, String alphabet, boolean padded) throws BuiltinException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4);
    int[] quantum = new int[4];
    int n = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        i++;
        continue;
      }
      if (c == '=' && padded) {
        // Padding may only complete a quantum of two or three characters, and nothing may follow it.
        if (n < 2) throw corrupt(i);
        int need = 4 - n;
        int j = i;
        while (need > 0 && j < s.length()) {
          char p = s.charAt(j);
          if (p == '\r' || p == '\n') {
            j++;
            continue;
          }
          if (p != '=') throw corrupt(j);
          need--;
          j++;
        }
        if (need > 0) throw corrupt(s.length());
        while (j < s.length() && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) j++;
        if (j < s.length()) throw corrupt(j);
        flush(quantum, n, out);
        return out.toByteArray();
      }
      int v = c < 128 ? alphabet.indexOf(c) : -1;
      if (v < 0) throw corrupt(i);
      quantum[n++] = v;
      if (n == 4) {
        flush(quantum, 4, out);
        n = 0;
      }
      i++;
    }
    if (n == 1 || (n > 0 && padded)) throw corrupt(s.length() - n);
    flush(quantum, n, out);
    return out.toByteArray();
  }

  private static void flush(int[] q, int n, ByteArrayOutputStream out) {
    if (n < 2) return;
    int bits = (q[0] << 18) | (q[1] << 12) | (n > 2 ? q[2] << 6 : 0) | (n > 3 ? q[3] : 0);
    out.write(bits >> 16);
    if (n > 2) out.write((bits >> 8) & 0xff);
    if (n > 3) out.write(bits & 0xff);
  }

  private static BuiltinException corrupt(int offset) {
    return BuiltinException.error("illegal base64 data at input byte " + offset);
  }
}
