package dev.portcullis.ledger.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/** Length + CRC32C framing: each record is [u32 length][u32 CRC32C of payload][payload]. */
final class Framing {
  static final int HEADER = 8;
  static final int MAX_PAYLOAD = 16 << 20;

  private Framing() {}

  static ByteBuffer frames(List<byte[]> payloads) {
    int total = 0;
    for (byte[] p : payloads) total += HEADER + p.length;
    ByteBuffer buf = ByteBuffer.allocate(total);
    CRC32C crc = new CRC32C();
    for (byte[] p : payloads) {
      crc.reset();
      crc.update(p);
      buf.putInt(p.length).putInt((int) crc.getValue()).put(p);
    }
    return buf.flip();
  }

  /** One frame read back. */
  record Frame(long offset, byte[] payload, boolean checksumOk) {}

  /** Why reading stopped before the end of the file, or null when it reached the end cleanly. */
  record Tail(long offset, long bytes, String reason) {}

  interface FrameVisitor {
    void visit(Frame frame) throws IOException;
  }

  /** Reads frames until the end or until the rest cannot be framed; returns where and why it stopped, or null. */
  static Tail scan(InputStream in, long fileSize, FrameVisitor visitor) throws IOException {
    long offset = 0;
    byte[] header = new byte[HEADER];
    CRC32C crc = new CRC32C();
    while (offset < fileSize) {
      long remaining = fileSize - offset;
      if (remaining < HEADER) return new Tail(offset, remaining, "incomplete frame header");
      readFully(in, header, HEADER);
      ByteBuffer h = ByteBuffer.wrap(header);
      int length = h.getInt();
      int expected = h.getInt();
      if (length < 0 || length > MAX_PAYLOAD) return new Tail(offset, remaining, "implausible frame length " + length);
      if (length > remaining - HEADER) return new Tail(offset, remaining, "frame extends past the end of the file");
      byte[] payload = new byte[length];
      readFully(in, payload, length);
      crc.reset();
      crc.update(payload);
      visitor.visit(new Frame(offset, payload, (int) crc.getValue() == expected));
      offset += HEADER + length;
    }
    return null;
  }

  private static void readFully(InputStream in, byte[] b, int n) throws IOException {
    int read = in.readNBytes(b, 0, n);
    if (read != n) throw new EOFException("file shrank while being read");
  }
}
