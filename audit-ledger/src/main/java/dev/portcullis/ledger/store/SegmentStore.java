package dev.portcullis.ledger.store;

import dev.portcullis.ledger.LedgerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded store: a folder of append-only segment files {@code entries-<first seq, 20 digits>.log} and one
 * {@code checkpoints.log}, every record framed with its length and CRC32C. One process writes (it holds
 * {@code LOCK}); any number may read.
 *
 * <p>The writer keeps durable zero-filled space ahead of its position in the active segment, so that a commit
 * overwrites blocks that are already allocated and written: making it durable then flushes data but journals no
 * metadata. Readers take the zeros as the end of the data ({@link Framing}); which segment to write next is
 * decided on where the data ends, not on the file size. Commits are O_DIRECT + O_DSYNC writes ({@link DirectAppender})
 * where the file system allows it, else writes through the page cache and fdatasync ({@link SyncingAppender}).
 *
 * <p>Opening for writing repairs a torn tail, the frames a killed process was writing when it died. Such frames were
 * never acknowledged, because an append returns only once its frames are on stable storage. Their bytes are saved
 * beside the segment ({@code dropped-*.bin}) and reported; damage anywhere else, non-zero bytes after the end of
 * the data included, refuses to open.
 */
public final class SegmentStore implements LedgerStore {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  /** Zeros written ahead at a time; writing them, with their fsync, takes about 10 ms on a virtio disk. */
  static final long ZERO_CHUNK = 4L << 20;
  static final String CHECKPOINTS = "checkpoints.log";
  private static final Pattern SEGMENT = Pattern.compile("entries-(\\d{20})\\.log");
  private static final System.Logger LOG = System.getLogger(SegmentStore.class.getName());

  private record Segment(Path path, long firstSeq, long count, long end) {}

  private final Path dir;
  private final boolean writable;
  private final long segmentBytes;
  /** Whether to try direct I/O at all: tests turn it off to cover the other way on any file system. */
  private final boolean tryDirect;
  private boolean direct;
  private final List<Segment> segments = new ArrayList<>();
  private final List<Damage> damage = new ArrayList<>();
  private FileChannel lockChannel;
  private FileLock lock;
  // The active segment: read and zero-filled through the page cache, appended to by the appender.
  private FileChannel active;
  private SegmentAppender appender;
  // Where the next frame goes in the active segment, and the end of the zeros ahead of it (the file size).
  private long activeEnd;
  private long zeroedEnd;
  private FileChannel checkpointChannel;
  private volatile long size;
  private List<String> checkpointSnapshot;

  private SegmentStore(Path dir, boolean writable, long segmentBytes, boolean tryDirect) {
    this.dir = dir;
    this.writable = writable;
    this.segmentBytes = segmentBytes;
    this.tryDirect = tryDirect;
  }

  /** Opens the folder for the one writer, creating it if needed and repairing a torn tail. */
  public static SegmentStore openForWriting(Path dir, long segmentBytes) throws LedgerException {
    return openForWriting(dir, segmentBytes, true);
  }

  static SegmentStore openForWriting(Path dir, long segmentBytes, boolean tryDirect) throws LedgerException {
    SegmentStore store = new SegmentStore(dir, true, segmentBytes, tryDirect);
    try {
      Files.createDirectories(dir);
      store.lock();
      store.load();
      store.openForAppend();
    } catch (IOException | UncheckedIOException e) {
      store.closeQuietly();
      throw new LedgerException("cannot open ledger folder " + dir + ": " + e.getMessage(), e);
    } catch (LedgerException | RuntimeException e) {
      store.closeQuietly();
      throw e;
    }
    return store;
  }

  /** Opens the folder to read it as it is, repairing nothing: damage is reported by {@link #damage()}. */
  public static SegmentStore openForReading(Path dir) throws LedgerException {
    if (!Files.isDirectory(dir)) throw new LedgerException("no ledger folder at " + dir);
    SegmentStore store = new SegmentStore(dir, false, DEFAULT_SEGMENT_BYTES, false);
    try {
      store.load();
    } catch (IOException | UncheckedIOException e) {
      throw new LedgerException("cannot read ledger folder " + dir + ": " + e.getMessage(), e);
    }
    return store;
  }

  /** The position after the last entry: the entry count for a ledger, the end of the range for an export. */
  @Override
  public long size() {
    List<Segment> all = segmentsSnapshot();
    return all.isEmpty() ? 0 : all.get(0).firstSeq() + size;
  }

  @Override
  public List<Damage> damage() {
    return List.copyOf(damage);
  }

  private void lock() throws IOException, LedgerException {
    lockChannel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) throw new LedgerException("ledger folder " + dir + " is already open for writing by another process");
  }

  private void load() throws IOException, LedgerException {
    // A reader takes the checkpoints before the entries: while a writer goes on, every checkpoint read then covers
    // entries that are already in the files when they are scanned next.
    if (!writable) checkpointSnapshot = readCheckpoints();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    long expectedFirst = writable ? 0 : -1;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      Matcher m = SEGMENT.matcher(file.getFileName().toString());
      if (!m.matches()) throw new IllegalStateException();
      long firstSeq = Long.parseLong(m.group(1));
      if (expectedFirst >= 0 && firstSeq != expectedFirst) {
        damage.add(new Damage("segment " + file.getFileName() + " should start at seq " + expectedFirst
            + " (a segment is missing or was added)", false));
      }
      boolean last = i == files.size() - 1;
      Segment s = scanSegment(file, firstSeq, last);
      segments.add(s);
      expectedFirst = firstSeq + s.count();
      size += s.count();
    }
    if (writable && damage.stream().anyMatch(d -> !d.tornTail())) {
      throw new LedgerException("ledger folder " + dir + " is damaged, refusing to write: "
          + String.join("; ", damage.stream().filter(d -> !d.tornTail()).map(Damage::message).toList())
          + " (run `portcullis ledger verify` to see every problem)");
    }
  }

  private Segment scanSegment(Path file, long firstSeq, boolean last) throws IOException {
    long[] frames = {0};
    long[] beforeBad = {0};
    long[] firstBad = {-1};
    long[] lastGoodEnd = {0};
    Framing.End end;
    long fileSize;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      fileSize = ch.size();
      end = Framing.scan(ch, fileSize, frame -> {
        frames[0]++;
        if (frame.checksumOk()) {
          if (firstBad[0] < 0) beforeBad[0]++;
          lastGoodEnd[0] = frame.offset() + Framing.HEADER + frame.payload().length;
        } else if (firstBad[0] < 0) {
          firstBad[0] = frame.offset();
        }
      });
    }
    String name = file.getFileName().toString();
    if (firstBad[0] < 0 && end.clean()) return new Segment(file, firstSeq, frames[0], end.offset());
    long cut = firstBad[0] >= 0 ? firstBad[0] : end.offset();
    String what = firstBad[0] >= 0 ? "checksum mismatch" : end.problem();
    boolean torn = last && lastGoodEnd[0] <= cut && (end.clean() || end.torn());
    if (torn && writable) {
      dropTornTail(file, cut, what, firstSeq + beforeBad[0]);
    } else if (torn) {
      long bytes = tornBytes(file, cut, fileSize);
      damage.add(new Damage(name + ": " + what + " at offset " + cut + " (" + bytes + " bytes after seq "
          + (firstSeq + beforeBad[0] - 1) + ")", true));
    }
    if (torn) return new Segment(file, firstSeq, beforeBad[0], cut);
    if (!end.clean() && !end.torn()) {
      damage.add(new Damage(name + ": " + end.problem() + " (the data ends at offset " + end.offset() + ", after seq "
          + (firstSeq + frames[0] - 1) + ")", false));
    } else if (writable) {
      damage.add(new Damage(name + ": " + what + " at offset " + cut + " after seq " + (firstSeq + beforeBad[0] - 1)
          + (last ? " with intact frames after it: not a torn write" : " in a segment that is not the last"), false));
    } else if (!end.clean()) {
      damage.add(new Damage(name + ": " + end.problem() + " at offset " + end.offset() + " after seq "
          + (firstSeq + frames[0] - 1), last));
    }
    // Readers see every complete frame; a bad checksum is reported per entry by readEntries.
    return writable ? new Segment(file, firstSeq, beforeBad[0], cut) : new Segment(file, firstSeq, frames[0], end.offset());
  }

  /** How many bytes a torn tail from {@code cut} holds, the zeros after it left out. */
  private static long tornBytes(Path file, long cut, long fileSize) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return Framing.nonZeroEnd(ch, cut, fileSize) - cut;
    }
  }

  private void dropTornTail(Path file, long cut, String why, long firstLostSeq) throws IOException {
    Path saved = dir.resolve("dropped-" + file.getFileName() + "-at-" + cut + ".bin");
    long bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
         FileChannel out = FileChannel.open(saved, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.TRUNCATE_EXISTING)) {
      bytes = Framing.nonZeroEnd(ch, cut, ch.size()) - cut;
      ch.transferTo(cut, bytes, out);
      out.force(true);
      // The zeros after the cut go too; the writer puts fresh ones back before it writes.
      ch.truncate(cut);
      ch.force(true);
    }
    String message = "dropped a torn tail of " + bytes + " bytes from " + file.getFileName() + " at offset "
        + cut + " (" + why + ")" + (firstLostSeq >= 0 ? ": entries from seq " + firstLostSeq + " on were never"
        + " acknowledged" : "") + "; bytes kept in " + saved.getFileName();
    damage.add(new Damage(message, true));
    LOG.log(System.Logger.Level.WARNING, message);
  }

  private void openForAppend() throws IOException, LedgerException {
    Path checkpoints = dir.resolve(CHECKPOINTS);
    if (Files.exists(checkpoints)) repairCheckpoints(checkpoints);
    checkpointChannel = FileChannel.open(checkpoints, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (segments.isEmpty()) {
      newSegment(0);
    } else {
      Segment lastSegment = segments.get(segments.size() - 1);
      active = FileChannel.open(lastSegment.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
      activeEnd = lastSegment.end();
      zeroedEnd = active.size();
      keepZerosAhead();
      appender = firstAppender(lastSegment.path());
    }
    fsyncDir();
  }

  /** Decides, once, whether commits write directly: the file system may refuse it (tmpfs before Linux 6.6 does). */
  private SegmentAppender firstAppender(Path file) throws IOException {
    if (tryDirect) {
      try {
        DirectAppender first = DirectAppender.open(file, activeEnd, active);
        direct = true;
        LOG.log(System.Logger.Level.DEBUG, "ledger folder {0}: commits are O_DIRECT + O_DSYNC writes of {1}-byte"
            + " blocks", dir, first.blockSize());
        return first;
      } catch (IOException | UnsupportedOperationException e) {
        LOG.log(System.Logger.Level.DEBUG, "ledger folder {0}: direct I/O refused ({1}): commits are writes and"
            + " fdatasync", dir, e.toString());
      }
    }
    return new SyncingAppender(file);
  }

  /** Whether commits are direct writes, as decided at opening. */
  boolean writesDirect() {
    return direct;
  }

  private void repairCheckpoints(Path file) throws IOException, LedgerException {
    long[] firstBad = {-1};
    long[] goodEnd = {0};
    Framing.End end;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      end = Framing.scan(ch, ch.size(), f -> {
        if (!f.checksumOk() && firstBad[0] < 0) firstBad[0] = f.offset();
        if (f.checksumOk()) goodEnd[0] = f.offset() + Framing.HEADER + f.payload().length;
      });
      // This file is appended to: zeros after its data (none are written there) would end up before the next note.
      if (firstBad[0] < 0 && end.clean() && end.offset() < ch.size()) {
        ch.truncate(end.offset());
        ch.force(true);
      }
    }
    if (!end.clean() && !end.torn()) throw new LedgerException(file + " is damaged: " + end.problem() + ": refusing to"
        + " write (run `portcullis ledger verify`)");
    long cut = firstBad[0] >= 0 ? firstBad[0] : end.offset();
    if (goodEnd[0] > cut) {
      throw new LedgerException(file + " is damaged at offset " + cut + " with intact checkpoints after it: refusing"
          + " to write (run `portcullis ledger verify`)");
    }
    if (firstBad[0] >= 0 || !end.clean()) dropTornTail(file, cut, "incomplete or corrupt checkpoint record", -1);
  }

  private void newSegment(long firstSeq) throws IOException {
    Path path = dir.resolve(String.format("entries-%020d.log", firstSeq));
    active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    activeEnd = 0;
    zeroedEnd = 0;
    synchronized (segments) {
      segments.add(new Segment(path, firstSeq, 0, 0));
    }
    keepZerosAhead();
    if (appender == null) appender = firstAppender(path);
    else appender = direct ? DirectAppender.open(path, 0, active) : new SyncingAppender(path);
  }

  /**
   * Keeps at least half a chunk of durable zeros ahead of the write position (up to the segment size): a commit then
   * overwrites allocated, written blocks and its fdatasync journals nothing. Batches that do not fit grow the file.
   */
  private void keepZerosAhead() throws IOException {
    if (zeroedEnd - activeEnd >= ZERO_CHUNK / 2 || zeroedEnd >= segmentBytes) return;
    long target = Math.min(activeEnd + ZERO_CHUNK, segmentBytes);
    for (long at = zeroedEnd; at < target; ) {
      ByteBuffer zeros = Framing.ZEROS.duplicate().limit((int) Math.min(Framing.ZEROS.capacity(), target - at));
      while (zeros.hasRemaining()) at += active.write(zeros, at);
    }
    active.force(false);
    zeroedEnd = target;
  }

  /** Starts the next segment once the active one holds {@code segmentBytes} of data. */
  private void rollOverIfFull(long nextSeq) throws IOException {
    if (activeEnd < segmentBytes) return;
    appender.close();
    active.close();
    newSegment(nextSeq);
    fsyncDir();
  }

  private List<Segment> segmentsSnapshot() {
    synchronized (segments) {
      return List.copyOf(segments);
    }
  }

  private void fsyncDir() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Positions count from the first segment's seq: 0 for a ledger, the first exported seq for an export. */
  @Override
  public void readEntries(long from, long to, EntryVisitor visitor) throws LedgerException {
    List<Segment> all = segmentsSnapshot();
    long position = all.isEmpty() ? 0 : all.get(0).firstSeq();
    for (Segment s : all) {
      long segmentEnd = position + s.count();
      if (segmentEnd <= from) {
        position = segmentEnd;
        continue;
      }
      if (position >= to) break;
      long start = position;
      long[] pos = {position};
      try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ)) {
        Framing.scan(ch, s.end(), frame -> {
          long p = pos[0]++;
          if (p >= from && p < to) {
            try {
              visitor.visit(new StoredBytes(p, frame.payload(), frame.checksumOk()));
            } catch (LedgerException e) {
              throw new IOException(e);
            }
          }
        });
      } catch (IOException e) {
        if (e.getCause() instanceof LedgerException le) throw le;
        throw new LedgerException("cannot read " + s.path() + ": " + e.getMessage(), e);
      }
      position = start + s.count();
    }
  }

  @Override
  public List<String> checkpoints() throws LedgerException {
    return checkpointSnapshot != null ? checkpointSnapshot : readCheckpoints();
  }

  private List<String> readCheckpoints() throws LedgerException {
    Path file = dir.resolve(CHECKPOINTS);
    List<String> notes = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      // Kept even when the checksum fails: the verifier then reports exactly which checkpoint no longer verifies.
      Framing.End end = Framing.scan(ch, ch.size(), f -> notes.add(new String(f.payload(), StandardCharsets.UTF_8)));
      if (!end.clean() && !writable) {
        damage.add(new Damage(CHECKPOINTS + ": " + end.problem() + (end.torn() ? " at offset " + end.offset() : ""),
            end.torn()));
      }
    } catch (NoSuchFileException e) {
      return notes;
    } catch (IOException e) {
      throw new LedgerException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return notes;
  }

  @Override
  public Writer writer() {
    if (!writable) throw new IllegalStateException("store opened for reading");
    return new Writer() {
      @Override
      public List<byte[]> begin(long knownSize) {
        return List.of();
      }

      @Override
      public void commit(long firstSeq, List<byte[]> entries) throws LedgerException {
        try {
          rollOverIfFull(firstSeq);
          int length = Framing.framedSize(entries);
          long written = appender.append(activeEnd, entries, length);
          activeEnd += length;
          zeroedEnd = Math.max(zeroedEnd, written);
          synchronized (segments) {
            Segment last = segments.remove(segments.size() - 1);
            segments.add(new Segment(last.path(), last.firstSeq(), last.count() + entries.size(), activeEnd));
          }
          size += entries.size();
        } catch (IOException e) {
          throw new LedgerException("ledger write failed in " + dir + ": " + e.getMessage(), e);
        }
      }

      @Override
      public boolean wantsPreparation() {
        return activeEnd >= segmentBytes || (zeroedEnd - activeEnd < ZERO_CHUNK / 2 && zeroedEnd < segmentBytes);
      }

      @Override
      public void prepareNext() throws LedgerException {
        try {
          List<Segment> all = segmentsSnapshot();
          Segment last = all.get(all.size() - 1);
          rollOverIfFull(last.firstSeq() + last.count());
          keepZerosAhead();
        } catch (IOException e) {
          throw new LedgerException("cannot prepare the ledger file in " + dir + ": " + e.getMessage(), e);
        }
      }

      @Override
      public boolean failureIsFatal() {
        return true;
      }

      @Override
      public void storeCheckpoint(long treeSize, String note) throws LedgerException {
        try {
          ByteBuffer frame = Framing.frames(List.of(note.getBytes(StandardCharsets.UTF_8)));
          while (frame.hasRemaining()) checkpointChannel.write(frame);
          checkpointChannel.force(false);
        } catch (IOException e) {
          throw new LedgerException("cannot store checkpoint in " + dir + ": " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public void close() throws LedgerException {
    try {
      if (appender != null) appender.close();
      if (active != null) active.close();
      if (checkpointChannel != null) checkpointChannel.close();
      if (lock != null) lock.release();
      if (lockChannel != null) lockChannel.close();
    } catch (IOException e) {
      throw new LedgerException("cannot close ledger folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (LedgerException ignored) {
      // already failing with a better message
    }
  }
}
