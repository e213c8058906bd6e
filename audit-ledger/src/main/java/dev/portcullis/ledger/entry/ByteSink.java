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

  void writeBytes(byte[] b) {
    if (buf.length - count < b.length) grow(b.length);
    System.arraycopy(b, 0, buf, count, b.length);
    count += b.length;
  }

  /** Writes chars {@code from..to} of {@code s}, each of which the caller knows to be below 0x80. */
  void writeAscii(String s, int from, int to) {
    int n = to - from;
    if (buf.length - count < n) grow(n);
    for (int i = from; i < to; i++) buf[count++] = (byte) s.charAt(i);
  }

  int size() {
    return count;
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
