package dev.portcullis.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.ledger.entry.EntryFormat;
import dev.portcullis.ledger.entry.StoredEntry;
import dev.portcullis.ledger.merkle.InvalidProofException;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.merkle.WriterTree;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.PostgresStore;
import dev.portcullis.ledger.store.SegmentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing ledger. Appenders queue their (already canonicalized) fields; one committer thread drains the queue,
 * gives each entry its seq, time and prev, writes the whole batch and makes it durable with one fsync (or one
 * database commit), then answers every appender of the batch: group commit. A checkpointer thread signs tree
 * heads of durable entries only, and never one that is not an extension of the last it signed. Deferred entries
 * (nobody waits for them) do not get an fsync of their own: they ride along with the next append that waits, or are
 * committed after {@link #DEFERRED_LINGER_NANOS} if none comes. Nor do they wake the committer: after each batch it
 * lingers that long for an append that waits, which wakes it and takes the deferred entries queued meanwhile along
 * (a statement's execution result and the next decision: one wake-up, not two). Only an entry that finds it idle,
 * nothing having been appended for a whole linger, wakes it. When appends that wait come further apart than a
 * commit takes, a batch would hold one of them anyway: the appender then commits on its own thread while the
 * committer is parked, which saves the two thread hand-offs (most of a lone statement's wait, on a small VM).
 */
final class DurableLedger implements Ledger {
  private static final System.Logger LOG = System.getLogger(DurableLedger.class.getName());
  private static final int MAX_BATCH = 4096;
  /** How long a batch of deferred entries waits for an append that needs its own fsync before committing alone. */
  static final long DEFERRED_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private record Pending(EntryFormat.Prepared entry, CompletableFuture<Appended> result, boolean deferred) {}

  private static final Pending STOP = new Pending(null, null, false);

  // What the parked committer waits for: appenders wake it only for that.
  private static final int WORKING = 0;
  private static final int WAITING_APPEND = 1;
  private static final int ANY_ENTRY = 2;

  private final LedgerConfig config;
  private final LedgerStore store;
  private final LedgerStore.Writer writer;
  private final WriterTree tree = new WriterTree();
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private volatile int committerWaitsFor = WORKING;
  private final Thread committer;
  private final Thread checkpointer;

  // Guarded by commitLock: the committer thread holds it for each batch, and so does an appender that commits its
  // entry itself.
  private final ReentrantLock commitLock = new ReentrantLock();
  private final List<Pending> batch = new ArrayList<>();
  private volatile boolean prepareDue;
  private volatile long lastWaitedArrival;
  private volatile long averageArrivalGap;
  private volatile long averageCommitNanos;
  private byte[] lastLeaf;
  private Instant lastTime = Instant.EPOCH;
  private boolean stopping;
  private boolean prepareFailing;
  private final List<byte[]> encoded = new ArrayList<>();
  private final List<byte[]> leaves = new ArrayList<>();

  private final ReentrantLock checkpointLock = new ReentrantLock();
  // Guarded by checkpointLock (signedSize is also read without it, by the committer).
  private NoteKeys.Signer signer;
  private volatile long signedSize;
  private byte[] signedRoot;
  private String signedNote;
  private long signedAtNanos;
  private long growthSeenAtNanos;
  private volatile boolean stopCheckpointer;

  private volatile LedgerException failure;
  private volatile boolean closed;

  DurableLedger(LedgerConfig config, LedgerStore store, NoteKeys.Signer signer) throws LedgerException {
    this.config = config;
    this.store = store;
    this.writer = store.writer();
    this.signer = signer;
    recover();
    signedAtNanos = System.nanoTime();
    committer = new Thread(this::commitLoop, "ledger-committer");
    checkpointer = new Thread(this::checkpointLoop, "ledger-checkpointer");
    committer.setDaemon(true);
    checkpointer.setDaemon(true);
    committer.start();
    checkpointer.start();
  }

  static Ledger open(LedgerConfig config) throws LedgerException {
    if (config.signingKey() == null) throw new LedgerException("ledger: signing_key is required to write");
    NoteKeys.Signer signer;
    try {
      signer = NoteKeys.readSigner(config.signingKey());
    } catch (IOException e) {
      throw new LedgerException("cannot read the ledger signing key " + config.signingKey() + ": " + e.getMessage(), e);
    }
    if (!signer.name().equals(config.origin())) {
      throw new LedgerException("signing key is named " + signer.name() + " but the ledger origin is " + config.origin()
          + ": generate the key with `ledger keygen --origin " + config.origin() + "`");
    }
    LedgerStore store = config.dir() != null
        ? SegmentStore.openForWriting(config.dir(), SegmentStore.DEFAULT_SEGMENT_BYTES)
        : PostgresStore.open(config.jdbcUrl(), true);
    try {
      return new DurableLedger(config, store, signer);
    } catch (LedgerException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Rebuilds the tree from the stored entries and refuses to go on from a state it could not have signed. */
  private void recover() throws LedgerException {
    List<String> checkpoints = store.checkpoints();
    String note = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
    Checkpoint last = null;
    if (note != null) {
      try {
        last = Checkpoint.parse(SignedNote.parse(note).text());
      } catch (NoteException e) {
        throw new LedgerException("the last stored checkpoint is malformed: " + e.getMessage() + " (run ledger verify)");
      }
    }
    long lastSize = last == null ? 0 : last.size();
    byte[][] rootAtLast = {last == null ? null : Rfc6962.emptyRoot()};
    NoteKeys.Verifier[] rotatedTo = {null};
    store.readEntries(0, store.size(), e -> {
      if (!e.checksumOk()) throw new LedgerException("entry " + e.position() + " fails its checksum; run ledger verify");
      byte[] leaf = Rfc6962.leafHash(e.bytes());
      tree.append(leaf);
      lastLeaf = leaf;
      if (tree.size() == lastSize) {
        rootAtLast[0] = tree.root();
        tree.markCheckpointed();
      }
      if (containsRotation(e.bytes())) {
        StoredEntry stored = StoredEntry.parse(e.bytes());
        if (stored.kind().equals("key_rotation")) {
          try {
            rotatedTo[0] = KeyRotation.parse(stored.note(), config.origin()).newKey();
          } catch (NoteException ex) {
            throw new LedgerException("key rotation at seq " + e.position() + " is invalid: " + ex.getMessage());
          }
        }
      }
    });
    if (rotatedTo[0] != null && !rotatedTo[0].vkey().equals(signer.verifier().vkey())) {
      throw new LedgerException("the ledger rotated to key " + rotatedTo[0].vkey() + " but the configured signing key is "
          + signer.verifier().vkey());
    }
    if (last == null) return;
    if (rotatedTo[0] == null) {
      try {
        SignedNote.parse(note).verify(signer.verifier());
      } catch (NoteException e) {
        throw new LedgerException("the last stored checkpoint does not check out with the configured signing key "
            + signer.verifier().vkey() + ": " + e.getMessage());
      }
    }
    if (lastSize > tree.size()) {
      throw new LedgerException("the ledger holds " + tree.size() + " entries but its last checkpoint covers "
          + lastSize + ": signed entries are missing; refusing to write (run ledger verify)");
    }
    if (!MessageDigest.isEqual(rootAtLast[0], last.root())) {
      throw new LedgerException("the first " + lastSize + " entries no longer match the last signed checkpoint:"
          + " the ledger was altered; refusing to write (run ledger verify)");
    }
    signedSize = lastSize;
    signedRoot = last.root();
    signedNote = note;
  }

  private static final byte[] ROTATION_MEMBER = "\"kind\":\"key_rotation\"".getBytes(StandardCharsets.US_ASCII);

  /** Cheap pre-check before parsing; a nested member of that name is weeded out by parsing. */
  private static boolean containsRotation(byte[] bytes) {
    outer:
    for (int i = 0; i <= bytes.length - ROTATION_MEMBER.length; i++) {
      for (int j = 0; j < ROTATION_MEMBER.length; j++) {
        if (bytes[i + j] != ROTATION_MEMBER[j]) continue outer;
      }
      return true;
    }
    return false;
  }

  @Override
  public CompletableFuture<Appended> appendAsync(String kind, ObjectNode fields) {
    return queueChecked(kind, fields, false);
  }

  @Override
  public CompletableFuture<Appended> appendDeferred(String kind, ObjectNode fields) {
    return queueChecked(kind, fields, true);
  }

  private CompletableFuture<Appended> queueChecked(String kind, ObjectNode fields, boolean deferred) {
    try {
      if ("key_rotation".equals(kind)) throw new LedgerException("key_rotation entries are written by rotateKey only");
      return queue(prepare(kind, fields), deferred);
    } catch (LedgerException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static EntryFormat.Prepared prepare(String kind, ObjectNode fields) throws LedgerException {
    try {
      return EntryFormat.prepare(kind, fields);
    } catch (IllegalArgumentException e) {
      throw new LedgerException("entry refused: " + e.getMessage(), e);
    }
  }

  /** Queues the entry behind every earlier one; the future completes once it is durable. */
  private CompletableFuture<Appended> queue(EntryFormat.Prepared entry, boolean deferred) throws LedgerException {
    checkUsable();
    Pending p = new Pending(entry, new CompletableFuture<>(), deferred);
    queue.add(p);
    int committerWaits = committerWaitsFor;
    if (!deferred && committerWaits != WORKING && arrivesSlowerThanCommits() && commitHere()) return p.result();
    if (committerWaits >= (deferred ? ANY_ENTRY : WAITING_APPEND)) LockSupport.unpark(committer);
    if (closed || failure != null) {
      // Raced with close or a failure: the committer may never see this entry.
      if (queue.remove(p)) checkUsable();
    }
    return p.result();
  }

  private void checkUsable() throws LedgerException {
    if (failure != null) {
      throw new LedgerException("ledger failed earlier, nothing more can be recorded: " + failure.getMessage(), failure);
    }
    if (closed) throw new LedgerException("ledger is closed");
  }

  private void commitLoop() {
    // Until when deferred entries wait for an append that needs an fsync anyway; 0 while idle.
    long lingerUntil = System.nanoTime() + DEFERRED_LINGER_NANOS;
    while (true) {
      boolean committed;
      boolean lingerOver;
      commitLock.lock();
      try {
        boolean commitNow = take(batch) || batch.size() >= MAX_BATCH;
        if (lingerUntil == 0 && !batch.isEmpty()) lingerUntil = System.nanoTime() + DEFERRED_LINGER_NANOS;
        lingerOver = lingerUntil != 0 && System.nanoTime() - lingerUntil >= 0;
        committed = commitNow || (lingerOver && !batch.isEmpty());
        if (committed) {
          commitBatch();
          if (stopping) {
            // STOP is queued after close() refuses new appends, so anything still queued came before it.
            for (Pending p; (p = queue.poll()) != null; ) batch.add(p);
            commitBatch();
            return;
          }
        }
        if (committed || prepareDue) prepareNext();
      } finally {
        commitLock.unlock();
      }
      if (committed) {
        lingerUntil = System.nanoTime() + DEFERRED_LINGER_NANOS;
        continue;
      }
      if (lingerOver) lingerUntil = 0;
      park(lingerUntil == 0 ? ANY_ENTRY : WAITING_APPEND, lingerUntil);
      if (Thread.interrupted()) {
        commitLock.lock();
        try {
          commitBatch();
        } finally {
          commitLock.unlock();
        }
        return;
      }
    }
  }

  /**
   * Whether appends that wait come further apart than a commit takes, so that a batch would hold just one of them
   * anyway: then the appender may commit its own entry instead of handing it to the committer and back. Both are
   * moving averages over the last few appends and commits; a race between appenders only blurs them.
   */
  private boolean arrivesSlowerThanCommits() {
    long now = System.nanoTime();
    long gap = now - lastWaitedArrival;
    lastWaitedArrival = now;
    long average = averageArrivalGap + (gap - averageArrivalGap) / 8;
    averageArrivalGap = average;
    return average > averageCommitNanos;
  }

  /**
   * Commits, on the appender's own thread, everything queued up to and including its entry: taken when the
   * committer is parked and no other commit runs, so an append to an idle ledger costs one fsync and no thread
   * hand-off either way. Returns false when another commit holds the ledger; the committer then takes the entry.
   */
  private boolean commitHere() {
    if (!commitLock.tryLock()) return false;
    try {
      take(batch);
      commitBatch();
      prepareDue = writer.wantsPreparation();
    } finally {
      commitLock.unlock();
    }
    if (prepareDue) LockSupport.unpark(committer);
    return true;
  }

  private void commitBatch() {
    if (!batch.isEmpty()) commit(batch);
    batch.clear();
  }

  /**
   * Moves queued entries into the batch, in queue order (so a deferred entry still precedes every later one), up
   * to {@link #MAX_BATCH}; whether one of them is waited for (or is STOP), so that the batch must go now.
   */
  private boolean take(List<Pending> batch) {
    boolean waited = false;
    for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
      if (p == STOP) stopping = true;
      else batch.add(p);
      waited |= !p.deferred();
    }
    return waited;
  }

  /** Parks until an appender wakes it for {@code waitFor}, or until the end of the linger. */
  private void park(int waitFor, long lingerUntil) {
    committerWaitsFor = waitFor;
    // Set before this look at the queue: an entry queued after it sees the flag and unparks this thread.
    if (queue.isEmpty()) {
      if (waitFor == ANY_ENTRY) LockSupport.park(this);
      else LockSupport.parkNanos(this, lingerUntil - System.nanoTime());
    }
    committerWaitsFor = WORKING;
  }

  /** Work that should not delay a waiting commit, done between batches; its failure does not lose entries. */
  private void prepareNext() {
    try {
      prepareDue = false;
      writer.prepareNext();
      prepareFailing = false;
    } catch (LedgerException | RuntimeException e) {
      // Once per spell (a full disk fails it after every batch), while commits may still succeed.
      if (!prepareFailing) LOG.log(System.Logger.Level.WARNING, "ledger: " + e.getMessage(), e);
      prepareFailing = true;
    }
  }

  private void commit(List<Pending> batch) {
    if (failure != null) {
      for (Pending p : batch) p.result().completeExceptionally(failure);
      return;
    }
    try {
      for (byte[] other : writer.begin(tree.size())) takeInForeign(other);
      long first = tree.size();
      Instant now = Instant.now();
      if (now.isBefore(lastTime)) now = lastTime;
      lastTime = now;
      encoded.clear();
      leaves.clear();
      byte[] prev = lastLeaf;
      for (int i = 0; i < batch.size(); i++) {
        byte[] b = EntryFormat.encode(batch.get(i).entry(), first + i, now, prev);
        prev = Rfc6962.leafHash(b);
        encoded.add(b);
        leaves.add(prev);
      }
      long started = System.nanoTime();
      writer.commit(first, encoded);
      averageCommitNanos += (System.nanoTime() - started - averageCommitNanos) / 8;
      tree.appendAll(leaves);
      lastLeaf = prev;
      for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(new Appended(first + i, leaves.get(i)));
    } catch (LedgerException | RuntimeException e) {
      LedgerException le = e instanceof LedgerException l ? l : new LedgerException("ledger commit failed: " + e, e);
      if (writer.failureIsFatal() || e instanceof RuntimeException) {
        failure = le;
        LOG.log(System.Logger.Level.ERROR, "ledger stopped recording: " + le.getMessage(), le);
      }
      for (Pending p : batch) p.result().completeExceptionally(le);
      return;
    }
    if (tree.size() - signedSize >= config.checkpointEvery()) wakeCheckpointer();
  }

  /** An entry another gateway replica appended (PostgreSQL store): it must continue our chain exactly. */
  private void takeInForeign(byte[] bytes) throws LedgerException {
    StoredEntry e;
    try {
      e = StoredEntry.parse(bytes);
    } catch (IllegalArgumentException ex) {
      throw new LedgerException("entry " + tree.size() + " written by another replica is unreadable: " + ex.getMessage());
    }
    String expectedPrev = lastLeaf == null ? EntryFormat.GENESIS_PREV : HexFormat.of().formatHex(lastLeaf);
    if (e.seq() != tree.size() || !e.prev().equals(expectedPrev)) {
      throw new LedgerException("entry " + tree.size() + " written by another replica does not continue the chain");
    }
    lastLeaf = Rfc6962.leafHash(bytes);
    tree.append(lastLeaf);
    try {
      Instant t = Instant.parse(e.time());
      if (t.isAfter(lastTime)) lastTime = t;
    } catch (RuntimeException ignored) {
      // time order across replicas is best effort; the chain is what matters
    }
  }

  private void wakeCheckpointer() {
    LockSupport.unpark(checkpointer);
  }

  private void checkpointLoop() {
    long intervalNanos = config.checkpointInterval().toNanos();
    long heartbeatNanos = config.heartbeatInterval().toNanos();
    while (!stopCheckpointer && failure == null) {
      long wait;
      checkpointLock.lock();
      try {
        long now = System.nanoTime();
        long pending = tree.size() - signedSize;
        if (pending == 0) growthSeenAtNanos = 0;
        else if (growthSeenAtNanos == 0) growthSeenAtNanos = now;
        boolean due = pending >= config.checkpointEvery()
            || (pending > 0 && now - growthSeenAtNanos >= intervalNanos)
            || now - signedAtNanos >= heartbeatNanos;
        if (due) {
          signCheckpoint();
          continue;
        }
        wait = heartbeatNanos - (now - signedAtNanos);
        if (pending > 0) wait = Math.min(wait, intervalNanos - (now - growthSeenAtNanos));
        // Growth is noticed within an interval even if a wake-up is missed.
        wait = Math.min(wait, intervalNanos);
      } catch (LedgerException e) {
        if (failure != null || writer.failureIsFatal()) {
          failure = failure == null ? e : failure;
          LOG.log(System.Logger.Level.ERROR, "ledger stopped: " + e.getMessage(), e);
          return;
        }
        LOG.log(System.Logger.Level.WARNING, "checkpoint not stored, will retry: " + e.getMessage(), e);
        wait = intervalNanos;
      } finally {
        checkpointLock.unlock();
      }
      // The committer unparks this thread when N entries are waiting; a permit is never lost.
      LockSupport.parkNanos(this, Math.max(wait, 1));
    }
  }

  /** Signing it would contradict a checkpoint already signed: nothing may be recorded any more. */
  private static final class InconsistentCheckpoint extends LedgerException {
    InconsistentCheckpoint(String message) {
      super(message);
    }
  }

  /** Signs and stores a checkpoint of every durable entry. Caller holds checkpointLock. */
  private void signCheckpoint() throws LedgerException {
    signedAtNanos = System.nanoTime();
    growthSeenAtNanos = 0;
    if (tree.size() == 0) return;
    WriterTree.Head head;
    try {
      head = tree.head();
      if (signedSize > 0 && !MessageDigest.isEqual(head.checkpointedRoot(), signedRoot)) {
        throw new InvalidProofException("the checkpointed prefix no longer has the signed root");
      }
    } catch (InvalidProofException e) {
      InconsistentCheckpoint refusal = new InconsistentCheckpoint("refusing to sign checkpoint " + tree.size()
          + ": it is not consistent with the checkpoint " + signedSize + " signed before (" + e.getMessage() + ")");
      failure = refusal;
      throw refusal;
    }
    Checkpoint checkpoint = new Checkpoint(config.origin(), head.size(), head.root(), Instant.now());
    String note = SignedNote.sign(checkpoint.text(), signer).format();
    writer.storeCheckpoint(head.size(), note);
    tree.checkpointed(head);
    signedSize = head.size();
    signedRoot = head.root();
    signedNote = note;
  }

  @Override
  public String latestCheckpoint() {
    checkpointLock.lock();
    try {
      return signedNote;
    } finally {
      checkpointLock.unlock();
    }
  }

  @Override
  public String checkpoint() throws LedgerException {
    checkUsable();
    checkpointLock.lock();
    try {
      signCheckpoint();
      return signedNote;
    } finally {
      checkpointLock.unlock();
    }
  }

  @Override
  public long size() {
    return tree.size();
  }

  @Override
  public Appended rotateKey(Path newSigningKey) throws LedgerException {
    NoteKeys.Signer next;
    try {
      next = NoteKeys.readSigner(newSigningKey);
    } catch (IOException e) {
      throw new LedgerException("cannot read the new signing key: " + e.getMessage(), e);
    }
    if (!next.name().equals(config.origin())) {
      throw new LedgerException("the new key is named " + next.name() + ", not the ledger origin " + config.origin());
    }
    checkpointLock.lock();
    try {
      if (next.verifier().vkey().equals(signer.verifier().vkey())) throw new LedgerException("the new key is the current key");
      String note = SignedNote.sign(KeyRotation.text(config.origin(), signer.verifier(), next.verifier()), signer, next)
          .format();
      ObjectNode fields = JsonNodeFactory.instance.objectNode()
          .put("old_key", signer.verifier().vkey())
          .put("new_key", next.verifier().vkey())
          .put("note", note);
      // Holding checkpointLock: no checkpoint covering the rotation can be signed by the old key.
      Appended appended = Ledger.awaitDurable(queue(prepare("key_rotation", fields), false));
      signer = next;
      signCheckpoint();
      return appended;
    } finally {
      checkpointLock.unlock();
    }
  }

  @Override
  public void close() throws LedgerException {
    if (closed) return;
    closed = true;
    queue.add(STOP);
    LockSupport.unpark(committer);
    try {
      committer.join();
      stopCheckpointer = true;
      LockSupport.unpark(checkpointer);
      checkpointer.join();
      if (failure == null && tree.size() > signedSize) {
        checkpointLock.lock();
        try {
          signCheckpoint();
        } finally {
          checkpointLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while closing the ledger");
    } finally {
      store.close();
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      if (p.result() != null) p.result().completeExceptionally(new LedgerException("ledger is closed"));
    }
  }
}
