package dev.portcullis.ledger.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** How the folder store puts a batch of frames at the end of the active segment and makes it durable. */
interface SegmentAppender extends Closeable {
  /** Batches up to this size are framed in one reused buffer; larger ones in their own. */
  int REUSED_BUFFER = 1 << 20;

  /**
   * Writes the payloads, framed ({@code framedLength} bytes), at {@code dataEnd}, where the data ends, and returns only
   * once they are on stable storage. Returns where the bytes it wrote end, zeros written after the data included.
   */
  long append(long dataEnd, List<byte[]> payloads, int framedLength) throws IOException;
}
