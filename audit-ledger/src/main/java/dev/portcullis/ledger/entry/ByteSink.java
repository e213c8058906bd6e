package dev.portcullis.ledger.entry;

import java.util.Arrays;

/**
 * A growable byte buffer for building entries. ByteArrayOutputStream would do, but it locks on every byte, and an
 * entry (a whole normalized request) is written byte by byte on every statement.
 */
final class ByteSink {
  private byte[] buf;
  private int count;

  ByteSink(int capacity) {
    buf = new byte[Math.max(capacity, 16)];
  }

  void write(int b) {
    if (count == buf.length) grow(1);
    buf[count++] = (byte) b;
  }

  /** Writes {@code s}, each char of which the caller knows to be below 0x80. */
  void writeAscii(String s) {
    int n = s.length();
    if (buf.length - count < n) grow(n);
    for (int i = 0; i < n; i++) buf[count++] = (byte) s.charAt(i);
  }

  int size() {
    return count;
  }

  /**
   * Copies chars of {@code s} from {@code from} on as long as JSON leaves them as they are (printable ASCII other
   * than quote and backslash); returns the index of the first other char, or the length of {@code s}.
   */
  int writePlainAscii(String s, int from) {
    int n = s.length();
    if (buf.length - count < n - from) grow(n - from);
    byte[] b = buf;
    int at = count;
    int i = from;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') break;
      b[at++] = (byte) c;
    }
    count = at;
    return i;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  /** What was written, and starts afresh. */
  byte[] takeBytes() {
    byte[] b = toByteArray();
    count = 0;
    return b;
  }

  private void grow(int needed) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + needed));
  }
}
