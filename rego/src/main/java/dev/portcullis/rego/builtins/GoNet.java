package dev.portcullis.rego.builtins;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * IP addresses and CIDR blocks as Go's {@code net} package parses and prints them. Parsing is purely textual (no
 * name lookups). An IPv4 address is 4 bytes, an IPv6 address 16; an IPv4-mapped IPv6 address is treated as IPv4
 * where Go does.
 */
final class GoNet {
  private GoNet() {}

  /** A parsed CIDR: the network address (masked) and the prefix length; {@code ip} keeps the address as written. */
  record Cidr(byte[] ip, byte[] network, int prefix) {
    int bits() { return network.length * 8; }

    /** Go's {@code IPNet.Contains}: IPv4-mapped addresses and networks compare as IPv4. */
    boolean contains(byte[] addr) {
      byte[] net = toV4(network) != null ? toV4(network) : network;
      // A 128-bit mask over an IPv4 network keeps only its last 32 bits.
      int bits = net.length == 4 && network.length == 16 ? Math.max(0, prefix - 96) : prefix;
      byte[] a = toV4(addr) != null ? toV4(addr) : addr;
      if (a.length != net.length) return false;
      return Arrays.equals(mask(a, bits), mask(net, bits));
    }

    BigInteger first() { return new BigInteger(1, network); }

    BigInteger last() { return first().or(BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE)); }

    @Override public String toString() { return format(ip) + "/" + prefix; }
  }

  /** Go's {@code net.ParseIP}; null when {@code s} is not an address. IPv4 results are 4 bytes. */
  static byte[] parseIp(String s) {
    if (s.indexOf(':') >= 0) return parseV6(s);
    return parseV4(s);
  }

  /** Go's {@code net.ParseCIDR}; throws "invalid CIDR address: s". */
  static Cidr parseCidr(String s) throws BuiltinException {
    int slash = s.indexOf('/');
    if (slash < 0) throw invalidCidr(s);
    byte[] ip = parseIp(s.substring(0, slash));
    String bits = s.substring(slash + 1);
    // Go reads the prefix length with dtoi, which takes leading zeros ("/08").
    if (ip == null || bits.isEmpty() || bits.length() > 9 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalidCidr(s);
    }
    int prefix = Integer.parseInt(bits);
    if (prefix > ip.length * 8) throw invalidCidr(s);
    return new Cidr(ip, mask(ip, prefix), prefix);
  }

  static BuiltinException invalidCidr(String s) { return BuiltinException.error("invalid CIDR address: " + s); }

  static byte[] mask(byte[] ip, int prefix) {
    byte[] out = ip.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  /** The IPv4 form of an IPv4-mapped IPv6 address, or null. */
  static byte[] toV4(byte[] ip) {
    if (ip.length == 4) return ip;
    for (int i = 0; i < 10; i++) if (ip[i] != 0) return null;
    if (ip[10] != (byte) 0xff || ip[11] != (byte) 0xff) return null;
    return Arrays.copyOfRange(ip, 12, 16);
  }

  private static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      // Go refuses leading zeros, which other parsers read as octal.
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
      if (!p.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
      int v = Integer.parseInt(p);
      if (v > 255) return null;
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String s) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int n = 0;
    int i = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      i = 2;
      if (i == s.length()) return out;
    }
    while (i < s.length()) {
      int j = i;
      int v = 0;
      while (j < s.length() && j - i < 5 && Character.digit(s.charAt(j), 16) >= 0 && s.charAt(j) < 128) {
        v = v * 16 + Character.digit(s.charAt(j), 16);
        j++;
      }
      if (j == i || j - i > 4) return null;
      if (j < s.length() && s.charAt(j) == '.') {
        // An embedded IPv4 address ends the text.
        if (ellipsis < 0 && n != 12) return null;
        if (n + 4 > 16) return null;
        byte[] v4 = parseV4(s.substring(i));
        if (v4 == null) return null;
        System.arraycopy(v4, 0, out, n, 4);
        n += 4;
        i = s.length();
        break;
      }
      if (n + 2 > 16) return null;
      out[n++] = (byte) (v >> 8);
      out[n++] = (byte) v;
      i = j;
      if (i == s.length()) break;
      if (s.charAt(i) != ':' || i + 1 == s.length()) return null;
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis >= 0) return null;
        ellipsis = n;
        i++;
        if (i == s.length()) break;
      }
    }
    if (i != s.length()) return null;
    if (n < 16) {
      if (ellipsis < 0) return null;
      int tail = n - ellipsis;
      System.arraycopy(out, ellipsis, out, 16 - tail, tail);
      Arrays.fill(out, ellipsis, 16 - tail, (byte) 0);
    } else if (ellipsis >= 0) {
      return null;
    }
    return out;
  }

  /** Go's {@code net.IP.String}: dotted quad for IPv4 (and IPv4-mapped), RFC 5952 text for IPv6. */
  static String format(byte[] ip) {
    byte[] v4 = toV4(ip);
    if (v4 != null) return (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff);
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 16; i += 2) {
      int j = i;
      while (j < 16 && ip[j] == 0 && ip[j + 1] == 0) j += 2;
      if (j - i > bestLen && j - i >= 4) {
        bestStart = i;
        bestLen = j - i;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 2;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff)));
    }
    return sb.toString();
  }

  /** {@code value} as an address of {@code bytes} bytes. */
  static byte[] toBytes(BigInteger value, int bytes) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bytes];
    int copy = Math.min(raw.length, bytes);
    System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
    return out;
  }
}
