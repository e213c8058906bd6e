package dev.portcullis.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Appends with a positional write through the page cache and an fdatasync: where direct I/O is refused. */
final class SyncingAppender implements SegmentAppender {
  private final FileChannel channel;
  private ByteBuffer frameBuffer = ByteBuffer.allocateDirect(64 << 10);

  SyncingAppender(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
  }

  @Override
  public long append(long dataEnd, List<byte[]> payloads, int framedLength) throws IOException {
    ByteBuffer frames = Framing.frames(payloads, framedLength <= REUSED_BUFFER ? frameBuffer(framedLength)
        : ByteBuffer.allocate(framedLength));
    for (long at = dataEnd; frames.hasRemaining(); ) at += channel.write(frames, at);
    channel.force(false);
    return dataEnd + framedLength;
  }

  private ByteBuffer frameBuffer(int length) {
    if (frameBuffer.capacity() < length) frameBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1);
    return frameBuffer.clear();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
