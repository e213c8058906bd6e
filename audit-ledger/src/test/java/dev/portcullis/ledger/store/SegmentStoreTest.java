package dev.portcullis.ledger.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.nio.file.ExtendedOpenOption;
import dev.portcullis.ledger.LedgerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The folder store's commits, written directly (O_DIRECT + O_DSYNC) or through the page cache and fdatasync. */
class SegmentStoreTest {
  /** Small and not a multiple of the block size, so that segments roll over in the middle of blocks. */
  private static final long SEGMENT_BYTES = 50_000;

  @ParameterizedTest(name = "direct writes tried: {0}")
  @ValueSource(booleans = {true, false})
  void smallCommitsCrossingBlockAndSegmentBoundariesReadBackAfterReopenings(boolean tryDirect) throws Exception {
    Path dir = buildFolderTempDir();
    try {
      Random random = new Random(42);
      List<byte[]> written = new ArrayList<>();
      for (int opening = 0; opening < 4; opening++) {
        try (SegmentStore store = SegmentStore.openForWriting(dir, SEGMENT_BYTES, tryDirect)) {
          // The build folder is on a real disk, which takes direct I/O.
          assertEquals(tryDirect, store.writesDirect());
          LedgerStore.Writer writer = store.writer();
          for (int batch = 0; batch < 150; batch++) {
            List<byte[]> entries = new ArrayList<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--) entries.add(payload(random, 1 + random.nextInt(3000)));
            writer.commit(written.size(), entries);
            written.addAll(entries);
            writer.prepareNext();
          }
          assertReadBack(written, dir); // while the writer goes on
        }
      }
      assertTrue(segmentFiles(dir) > 10, "rolled over several times");
      assertReadBack(written, dir);
    } finally {
      deleteTree(dir);
    }
  }

  @ParameterizedTest(name = "direct writes tried: {0}")
  @ValueSource(booleans = {true, false})
  void batchesLargerThanTheReusedBufferAreWrittenWhole(boolean tryDirect) throws Exception {
    Path dir = buildFolderTempDir();
    try {
      Random random = new Random(7);
      List<byte[]> written = new ArrayList<>();
      try (SegmentStore store = SegmentStore.openForWriting(dir, SegmentStore.DEFAULT_SEGMENT_BYTES, tryDirect)) {
        LedgerStore.Writer writer = store.writer();
        for (int size : new int[] {10, 100_000, 13, SegmentAppender.REUSED_BUFFER + 5000, 17, 3 << 20, 1}) {
          List<byte[]> entries = List.of(payload(random, 1 + random.nextInt(100)), payload(random, size));
          writer.commit(written.size(), entries);
          written.addAll(entries);
        }
      }
      assertReadBack(written, dir);
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void onTmpfsCommitsAreDirectWhereTheKernelAllowsAndSyncedWritesOtherwise() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "segment-store-test");
    try {
      List<byte[]> written = new ArrayList<>();
      Random random = new Random(1);
      for (int opening = 0; opening < 2; opening++) {
        try (SegmentStore store = SegmentStore.openForWriting(dir, SEGMENT_BYTES)) {
          assertEquals(directIoWorks(dir), store.writesDirect());
          for (int i = 0; i < 100; i++) {
            byte[] entry = payload(random, 1 + random.nextInt(2000));
            store.writer().commit(written.size(), List.of(entry));
            written.add(entry);
          }
        }
      }
      assertReadBack(written, dir);
    } finally {
      deleteTree(dir);
    }
  }

  /** tmpfs refused O_DIRECT before Linux 6.6 and takes it since. */
  private static boolean directIoWorks(Path dir) throws IOException {
    Path probe = dir.resolve("probe");
    try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        ExtendedOpenOption.DIRECT)) {
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Non-zero bytes, so that a payload can never pass for the zeros after the data. */
  private static byte[] payload(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    for (int i = 0; i < size; i++) if (b[i] == 0) b[i] = 1;
    return b;
  }

  private static void assertReadBack(List<byte[]> written, Path dir) throws LedgerException {
    List<byte[]> read = new ArrayList<>();
    try (SegmentStore reader = SegmentStore.openForReading(dir)) {
      assertEquals(List.of(), reader.damage());
      reader.readEntries(0, reader.size(), e -> {
        assertTrue(e.checksumOk());
        read.add(e.bytes());
      });
    }
    assertEquals(written.size(), read.size());
    for (int i = 0; i < written.size(); i++) assertArrayEquals(written.get(i), read.get(i), "entry " + i);
  }

  private static Path buildFolderTempDir() throws IOException {
    Path target = Path.of("target");
    Files.createDirectories(target);
    return Files.createTempDirectory(target, "segment-store-test");
  }

  private static long segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("entries-")).count();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
