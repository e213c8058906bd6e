package dev.portcullis.ledger.store;

import dev.portcullis.ledger.LedgerException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * <p>Opening for writing repairs a torn tail, the frames a killed process was writing when it died. Such frames were
 * never acknowledged, because an append returns only after the fsync that follows them. Their bytes are saved
 * beside the segment ({@code dropped-*.bin}) and reported; damage anywhere else refuses to open.
 */
public final class SegmentStore implements LedgerStore {
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  static final String CHECKPOINTS = "checkpoints.log";
  private static final Pattern SEGMENT = Pattern.compile("entries-(\\d{20})\\.log");
  private static final System.Logger LOG = System.getLogger(SegmentStore.class.getName());

  private record Segment(Path path, long firstSeq, long count, long end) {}

  private final Path dir;
  private final boolean writable;
  private final long segmentBytes;
  private final List<Segment> segments = new ArrayList<>();
  private final List<Damage> damage = new ArrayList<>();
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel active;
  private long activeBytes;
  private FileChannel checkpointChannel;
  private volatile long size;
  private List<String> checkpointSnapshot;

  private SegmentStore(Path dir, boolean writable, long segmentBytes) {
    this.dir = dir;
    this.writable = writable;
    this.segmentBytes = segmentBytes;
  }

  /** Opens the folder for the one writer, creating it if needed and repairing a torn tail. */
  public static SegmentStore openForWriting(Path dir, long segmentBytes) throws LedgerException {
    SegmentStore store = new SegmentStore(dir, true, segmentBytes);
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
    SegmentStore store = new SegmentStore(dir, false, DEFAULT_SEGMENT_BYTES);
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
    long fileSize = Files.size(file);
    long[] frames = {0};
    long[] beforeBad = {0};
    long[] firstBad = {-1};
    long[] lastGoodEnd = {0};
    Framing.Tail tail;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      tail = Framing.scan(in, fileSize, frame -> {
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
    if (!writable) {
      // Readers see every complete frame; a bad checksum is reported per entry by readEntries.
      long end = tail == null ? fileSize : tail.offset();
      if (tail != null) {
        damage.add(new Damage(name + ": " + tail.reason() + " at offset " + tail.offset() + " (" + tail.bytes()
            + " bytes after seq " + (firstSeq + frames[0] - 1) + ")", last));
      }
      return new Segment(file, firstSeq, frames[0], end);
    }
    if (firstBad[0] < 0 && tail == null) return new Segment(file, firstSeq, frames[0], fileSize);
    long cut = firstBad[0] >= 0 ? firstBad[0] : tail.offset();
    String what = firstBad[0] >= 0 ? "checksum mismatch" : tail.reason();
    if (!last || lastGoodEnd[0] > cut) {
      damage.add(new Damage(name + ": " + what + " at offset " + cut + " after seq " + (firstSeq + beforeBad[0] - 1)
          + (last ? " with intact frames after it: not a torn write" : " in a segment that is not the last"), false));
      return new Segment(file, firstSeq, beforeBad[0], cut);
    }
    dropTornTail(file, cut, fileSize, what, firstSeq + beforeBad[0]);
    return new Segment(file, firstSeq, beforeBad[0], cut);
  }

  private void dropTornTail(Path file, long cut, long fileSize, String why, long firstLostSeq) throws IOException {
    Path saved = dir.resolve("dropped-" + file.getFileName() + "-at-" + cut + ".bin");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
         FileChannel out = FileChannel.open(saved, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.transferTo(cut, fileSize - cut, out);
      out.force(true);
      ch.truncate(cut);
      ch.force(true);
    }
    String message = "dropped a torn tail of " + (fileSize - cut) + " bytes from " + file.getFileName() + " at offset "
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
      active = FileChannel.open(lastSegment.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      activeBytes = lastSegment.end();
    }
    fsyncDir();
  }

  private void repairCheckpoints(Path file) throws IOException, LedgerException {
    long fileSize = Files.size(file);
    long[] firstBad = {-1};
    long[] goodEnd = {0};
    Framing.Tail tail;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      tail = Framing.scan(in, fileSize, f -> {
        if (!f.checksumOk() && firstBad[0] < 0) firstBad[0] = f.offset();
        if (f.checksumOk()) goodEnd[0] = f.offset() + Framing.HEADER + f.payload().length;
      });
    }
    long cut = firstBad[0] >= 0 ? firstBad[0] : tail == null ? fileSize : tail.offset();
    if (goodEnd[0] > cut) {
      throw new LedgerException(file + " is damaged at offset " + cut + " with intact checkpoints after it: refusing"
          + " to write (run `portcullis ledger verify`)");
    }
    if (cut < fileSize) dropTornTail(file, cut, fileSize, "incomplete or corrupt checkpoint record", -1);
  }

  private void newSegment(long firstSeq) throws IOException {
    Path path = dir.resolve(String.format("entries-%020d.log", firstSeq));
    active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    activeBytes = 0;
    synchronized (segments) {
      segments.add(new Segment(path, firstSeq, 0, 0));
    }
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
      try (InputStream in = new BufferedInputStream(Files.newInputStream(s.path()), 1 << 16)) {
        Framing.scan(in, s.end(), frame -> {
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
    try {
      long fileSize = Files.size(file);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        Framing.Tail tail = Framing.scan(in, fileSize, f -> {
          if (f.checksumOk()) {
            notes.add(new String(f.payload(), StandardCharsets.UTF_8));
          } else {
            // Kept: the verifier then reports exactly which checkpoint no longer verifies.
            notes.add(new String(f.payload(), StandardCharsets.UTF_8));
          }
        });
        if (tail != null && !writable) {
          damage.add(new Damage(CHECKPOINTS + ": " + tail.reason() + " at offset " + tail.offset(), true));
        }
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
          if (activeBytes >= segmentBytes) {
            active.close();
            newSegment(firstSeq);
            fsyncDir();
          }
          ByteBuffer frames = Framing.frames(entries);
          int length = frames.remaining();
          while (frames.hasRemaining()) active.write(frames);
          active.force(false);
          activeBytes += length;
          synchronized (segments) {
            Segment last = segments.remove(segments.size() - 1);
            segments.add(new Segment(last.path(), last.firstSeq(), last.count() + entries.size(), activeBytes));
          }
          size += entries.size();
        } catch (IOException e) {
          throw new LedgerException("ledger write failed in " + dir + ": " + e.getMessage(), e);
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
