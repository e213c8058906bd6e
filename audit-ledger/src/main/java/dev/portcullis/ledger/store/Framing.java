package dev.portcullis.ledger.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Length + CRC32C framing: each record is [u32 length][u32 CRC32C of payload][payload], payloads never empty. A
 * header of eight zero bytes is no record but the end of the data: the writer keeps zero-filled space ahead of it
 * (see {@link SegmentStore}), and everything from there to the end of the file must be zeros.
 */
final class Framing {
  static final int HEADER = 8;
  static final int MAX_PAYLOAD = 16 << 20;
  private static final int BLOCK = 1 << 16;
  /** Zeros to compare what is read with, and to write ahead of the data. */
  static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BLOCK).asReadOnlyBuffer();

  private Framing() {}

  static ByteBuffer frames(List<byte[]> payloads) {
    return frames(payloads, ByteBuffer.allocate(framedSize(payloads)));
  }

  /** Frames the payloads into {@code buf} (from its position, which must leave room) and flips it. */
  static ByteBuffer frames(List<byte[]> payloads, ByteBuffer buf) {
    CRC32C crc = new CRC32C();
    for (byte[] p : payloads) buf.putInt(p.length).putInt(checksum(crc, p)).put(p);
    return buf.flip();
  }

  static int framedSize(List<byte[]> payloads) {
    int total = 0;
    for (byte[] p : payloads) total += HEADER + p.length;
    return total;
  }

  /** One frame read back. */
  record Frame(long offset, byte[] payload, boolean checksumOk) {}

  /**
   * Where the data ends ({@code offset}) and, when what follows is neither nothing nor zeros only, why.
   *
   * @param torn whether the rest starts like a frame that was being written (it may be a torn write); otherwise it
   *             is non-zero bytes after the end of the data, which no write leaves
   */
  record End(long offset, String problem, boolean torn) {
    boolean clean() {
      return problem == null;
    }
  }

  interface FrameVisitor {
    void visit(Frame frame) throws IOException;
  }

  /**
   * Reads the frames of {@code [0, limit)} in order. A frame that does not check out is read a second time before
   * it counts, and zeros followed by other bytes are looked at again: a writer may be copying a batch into the file
   * meanwhile (it copies in ascending order, so what it is done with does not change any more).
   */
  static End scan(FileChannel ch, long limit, FrameVisitor visitor) throws IOException {
    Reader in = new Reader(ch);
    CRC32C crc = new CRC32C();
    byte[] header = new byte[HEADER];
    long offset = 0;
    long rereadAt = -1;
    while (offset < limit) {
      long remaining = limit - offset;
      if (remaining < HEADER) return new End(offset, "incomplete frame header", true);
      in.read(offset, header, HEADER);
      ByteBuffer h = ByteBuffer.wrap(header);
      int length = h.getInt();
      int expected = h.getInt();
      if (length == 0 && expected == 0) return zeroTail(in, offset, limit);
      boolean plausible = length > 0 && length <= MAX_PAYLOAD;
      boolean fits = plausible && length <= remaining - HEADER;
      byte[] payload = fits ? new byte[length] : null;
      if (fits) in.read(offset + HEADER, payload, length);
      boolean ok = fits && checksum(crc, payload) == expected;
      if (!ok && rereadAt != offset) {
        rereadAt = offset;
        in.forget();
        continue;
      }
      if (!fits) {
        return new End(offset, plausible ? "frame extends past the end of the file" : "implausible frame length "
            + length, true);
      }
      visitor.visit(new Frame(offset, payload, ok));
      offset += HEADER + length;
    }
    return new End(offset, null, false);
  }

  /** The data ends at {@code offset} with a zero header: the rest up to {@code limit} must be zeros. */
  private static End zeroTail(Reader in, long offset, long limit) throws IOException {
    long nonZero = in.firstNonZero(offset + HEADER, limit);
    if (nonZero < 0) return new End(offset, null, false);
    // A writer appending at the end writes the header first: if it is there now, the bytes seen are its next batch.
    byte[] header = new byte[HEADER];
    in.forget();
    in.read(offset, header, HEADER);
    if (ByteBuffer.wrap(header).getLong() != 0) return new End(offset, null, false);
    return new End(offset, "non-zero bytes at offset " + nonZero + " after the end of the data", false);
  }

  /** Where the non-zero bytes of {@code [from, to)} end: how much of a damaged tail is worth keeping. */
  static long nonZeroEnd(FileChannel ch, long from, long to) throws IOException {
    return new Reader(ch).nonZeroEnd(from, to);
  }

  private static int checksum(CRC32C crc, byte[] payload) {
    crc.reset();
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** Positional reads through a buffer of one block. */
  private static final class Reader {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
    private long bufStart = -1;

    Reader(FileChannel ch) {
      this.ch = ch;
    }

    void read(long position, byte[] into, int length) throws IOException {
      int done = 0;
      while (done < length) {
        long at = position + done;
        if (bufStart < 0 || at < bufStart || at >= bufStart + buf.limit()) fill(at);
        int n = Math.min(length - done, (int) (bufStart + buf.limit() - at));
        buf.get((int) (at - bufStart), into, done, n);
        done += n;
      }
    }

    /** Drops what was read, so that the next read sees the file as it is now. */
    void forget() {
      bufStart = -1;
    }

    /** The offset of the first non-zero byte in [from, to), or -1. */
    long firstNonZero(long from, long to) throws IOException {
      for (long at = from; at < to; ) {
        fill(at);
        int n = (int) Math.min(buf.limit(), to - at);
        int mismatch = buf.slice(0, n).mismatch(ZEROS.slice(0, n));
        if (mismatch >= 0) return at + mismatch;
        at += n;
      }
      return -1;
    }

    long nonZeroEnd(long from, long to) throws IOException {
      long end = from;
      for (long at = from; at < to; ) {
        fill(at);
        int n = (int) Math.min(buf.limit(), to - at);
        if (buf.slice(0, n).mismatch(ZEROS.slice(0, n)) >= 0) {
          int last = n - 1;
          while (buf.get(last) == 0) last--;
          end = at + last + 1;
        }
        at += n;
      }
      return end;
    }

    private void fill(long position) throws IOException {
      buf.clear();
      while (buf.hasRemaining()) {
        int n = ch.read(buf, position + buf.position());
        if (n < 0) break;
      }
      buf.flip();
      if (buf.limit() == 0) throw new EOFException("file shrank while being read");
      bufStart = position;
    }
  }
}
