package dev.portcullis.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Writes a folder in the segment store's format, for {@code ledger export}: one segment and the checkpoints. */
public final class SegmentExport implements AutoCloseable {
  private final FileChannel entries;
  private final FileChannel checkpoints;
  private final List<byte[]> buffered = new ArrayList<>();
  private int bufferedBytes;

  private SegmentExport(FileChannel entries, FileChannel checkpoints) {
    this.entries = entries;
    this.checkpoints = checkpoints;
  }

  /** Creates the folder's files; refuses a folder that already holds a ledger. */
  public static SegmentExport create(Path dir, long firstSeq) throws IOException {
    Files.createDirectories(dir);
    FileChannel e = FileChannel.open(dir.resolve(String.format("entries-%020d.log", firstSeq)),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileChannel c = FileChannel.open(dir.resolve(SegmentStore.CHECKPOINTS), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    return new SegmentExport(e, c);
  }

  public void addEntry(byte[] bytes) throws IOException {
    buffered.add(bytes);
    bufferedBytes += bytes.length;
    if (bufferedBytes > (1 << 20)) flushEntries();
  }

  public void addCheckpoint(String note) throws IOException {
    write(checkpoints, Framing.frames(List.of(note.getBytes(StandardCharsets.UTF_8))));
  }

  private void flushEntries() throws IOException {
    write(entries, Framing.frames(buffered));
    buffered.clear();
    bufferedBytes = 0;
  }

  private static void write(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }

  @Override
  public void close() throws IOException {
    flushEntries();
    entries.force(true);
    checkpoints.force(true);
    entries.close();
    checkpoints.close();
  }
}
