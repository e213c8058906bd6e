package dev.portcullis.gateway.approvals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Approval requests as one JSON file each ({@code <id>.json}) in a folder shared by the gateway and the
 * {@code approvals} commands, which may run in other processes. Files are replaced atomically, so readers never
 * see half a record; changes take a lock file so two writers never both move a request out of {@code pending}.
 */
public final class FileApprovalStore implements ApprovalStore {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Pattern ID = Pattern.compile("apr_[0-9A-Z]{26}");
  /** Serializes this process's writers; the file lock serializes processes (it is held per JVM, not per thread). */
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  private final Path dir;

  public FileApprovalStore(Path dir) { this.dir = dir; }

  public Path dir() { return dir; }

  /** Creates the folder, so a gateway that cannot write there fails at start and not at the first approval. */
  void prepare() throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("approvals.store: cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void create(ObjectNode record) throws IOException {
    Files.createDirectories(dir);
    write(file(record.path("id").asText()), record);
  }

  @Override
  public Optional<ObjectNode> read(String id) throws IOException {
    if (!ID.matcher(id).matches()) return Optional.empty();
    try {
      return Optional.of((ObjectNode) JSON.readTree(Files.readString(file(id))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<ObjectNode> list() throws IOException {
    List<ObjectNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "apr_*.json")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        read(name.substring(0, name.length() - 5)).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(r -> r.path("id").asText()));
    return out;
  }

  @Override
  public ObjectNode update(String id, Change change) throws IOException, ApprovalException {
    Files.createDirectories(dir);
    IN_PROCESS.lock();
    try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = lockFile.lock()) {
      ObjectNode record = read(id).orElseThrow(() -> new ApprovalException("no approval request " + id));
      change.apply(record);
      write(file(id), record);
      return record;
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private Path file(String id) {
    if (!ID.matcher(id).matches()) throw new IllegalArgumentException("not an approval id: " + id);
    return dir.resolve(id + ".json");
  }

  private static void write(Path target, ObjectNode record) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".json");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(record)));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
