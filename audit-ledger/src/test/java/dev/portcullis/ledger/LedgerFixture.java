package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.cli.LedgerCommand;
import dev.portcullis.ledger.note.NoteKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** A ledger in a temporary folder with its key and a gateway-style YAML configuration. */
public final class LedgerFixture {
  public static final String ORIGIN = "portcullis.test/ledger";

  public final Path root;
  public final Path dir;
  public final Path key;
  public final Path config;
  public final NoteKeys.Signer signer;

  public LedgerFixture(Path root) throws IOException {
    this.root = root;
    this.dir = root.resolve("ledger");
    this.key = root.resolve("ledger.key");
    this.signer = NoteKeys.generate(ORIGIN);
    Files.writeString(key, signer.skey() + "\n");
    Files.writeString(root.resolve("ledger.key.pub"), signer.verifier().vkey() + "\n");
    this.config = root.resolve("portcullis.yaml");
    Files.writeString(config, """
        listeners: [{name: pg, port: 0}]
        ledger:
          dir: ledger
          signing_key: ledger.key
          origin: %s
          checkpoint_every: 10
          checkpoint_interval: 1h
          heartbeat_interval: 1h
        """.formatted(ORIGIN));
  }

  public LedgerConfig config(int every, Duration interval, Duration heartbeat) {
    return new LedgerConfig(dir, null, key, ORIGIN, every, interval, heartbeat);
  }

  public Ledger open(int every) throws LedgerException {
    return Ledger.open(config(every, Duration.ofHours(1), Duration.ofHours(1)));
  }

  public static ObjectNode decision(String requestId) {
    ObjectNode f = JsonNodeFactory.instance.objectNode();
    f.put("request_id", requestId);
    ObjectNode identity = f.putObject("identity").put("subject", "cursor-agent").put("issuer", "https://idp.test");
    identity.putArray("groups").add("agents");
    f.put("connection", "local-postgres").put("protocol", "postgres").put("action", "query");
    f.put("statement", "SELECT email FROM customers WHERE id = " + requestId.hashCode());
    ObjectNode decision = f.putObject("decision").put("outcome", "mask").put("policy_revision", "rev-1");
    decision.putArray("reasons").add("agents see masked emails");
    decision.putArray("masks").addObject().put("column", "email").put("strategy", "partial");
    return f;
  }

  /**
   * Writes {@code count} decision entries req_0 .. with a checkpoint after every {@code every} of them, at exactly
   * those sizes (signed here rather than by the checkpointer thread, whose timing varies), then closes the ledger.
   */
  public void write(int count, int every) throws LedgerException {
    try (Ledger ledger = open(Integer.MAX_VALUE)) {
      for (int i = 0; i < count; i++) {
        ledger.append("decision", decision("req_" + i));
        if ((i + 1) % every == 0) ledger.checkpoint();
      }
    }
  }

  /** Result of a command line run in-process. */
  public record Run(int exit, String out, String err) {}

  public static synchronized Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = LedgerCommand.commandLine().execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  // The storage framing, re-implemented here from the documentation: [u32 length][u32 CRC32C][payload], up to the
  // end of the file or a header of zeros.

  public static List<byte[]> readFrames(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    List<byte[]> frames = new ArrayList<>();
    while (b.remaining() >= 8) {
      int length = b.getInt();
      if (b.getInt() == 0 && length == 0) break;
      byte[] payload = new byte[length];
      b.get(payload);
      frames.add(payload);
    }
    return frames;
  }

  public static void writeFrames(Path file, List<byte[]> payloads) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : payloads) {
      CRC32C crc = new CRC32C();
      crc.update(p);
      out.writeBytes(ByteBuffer.allocate(8).putInt(p.length).putInt((int) crc.getValue()).array());
      out.writeBytes(p);
    }
    Files.write(file, out.toByteArray());
  }

  public Path segment() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("entries-")).sorted().findFirst().orElseThrow();
    }
  }

  /** Where the frames of a segment end: the zeros the writer keeps ahead begin there. */
  public static long dataEnd(Path segment) throws IOException {
    long end = 0;
    for (byte[] frame : readFrames(segment)) end += 8 + frame.length;
    return end;
  }

  public Path checkpoints() {
    return dir.resolve("checkpoints.log");
  }

  public static List<String> notes(Path file) throws IOException {
    return readFrames(file).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  /** Waits (bounded) until a condition holds; the ledger's checkpointer works on its own thread. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(5);
    }
  }
}
