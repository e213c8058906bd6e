package dev.portcullis.ledger.verify;

import dev.portcullis.ledger.KeyRotation;
import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.entry.EntryFormat;
import dev.portcullis.ledger.entry.StoredEntry;
import dev.portcullis.ledger.merkle.CompactRange;
import dev.portcullis.ledger.merkle.InvalidProofException;
import dev.portcullis.ledger.merkle.Proofs;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.NoteKeys;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.store.LedgerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The offline verifier. It trusts nothing but the auditor's public key (and, optionally, a checkpoint the auditor
 * saved earlier): every entry's hash, seq and prev link; every checkpoint's signature, origin and root recomputed
 * from the entries; same-size checkpoints with different roots (a fork); the saved checkpoint against the ledger
 * (rollback, truncation, rewrite); key rotations signed by both keys.
 */
public final class Verifier {
  private final NoteKeys.Verifier trustedKey;
  private final String trustedCheckpoint;
  private final LongConsumer progress;

  /**
   * @param trustedKey        the ledger public key the auditor holds (any key of the rotation chain)
   * @param trustedCheckpoint a signed checkpoint note saved earlier, or null
   * @param progress          called with the number of entries read so far, from time to time
   */
  public Verifier(NoteKeys.Verifier trustedKey, String trustedCheckpoint, LongConsumer progress) {
    this.trustedKey = trustedKey;
    this.trustedCheckpoint = trustedCheckpoint;
    this.progress = progress;
  }

  private record Rotation(long seq, NoteKeys.Verifier oldKey, NoteKeys.Verifier newKey) {}

  private record Parsed(int index, String label, SignedNote note, Checkpoint checkpoint) {}

  public VerifyReport verify(LedgerStore store, ExportManifest manifest) throws LedgerException {
    List<String> problems = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    String origin = trustedKey.name();
    long start = manifest == null ? 0 : manifest.from();
    for (LedgerStore.Damage d : store.damage()) {
      if (d.tornTail()) notices.add(d.message() + ": an unfinished write, dropped when the ledger is next opened");
      else problems.add("storage: " + d.message());
    }

    // Checkpoints first, so the entry pass knows at which sizes to record the root.
    List<String> notes = store.checkpoints();
    List<Parsed> checkpoints = new ArrayList<>();
    for (int i = 0; i < notes.size(); i++) {
      try {
        SignedNote note = SignedNote.parse(notes.get(i));
        Checkpoint cp = Checkpoint.parse(note.text());
        checkpoints.add(new Parsed(i, "checkpoint " + i + " (size " + cp.size() + ")", note, cp));
      } catch (NoteException e) {
        problems.add("checkpoint " + i + ": malformed: " + e.getMessage());
      }
    }
    Parsed trusted = null;
    if (trustedCheckpoint != null) {
      try {
        SignedNote note = SignedNote.parse(trustedCheckpoint);
        Checkpoint cp = Checkpoint.parse(note.text());
        trusted = new Parsed(-1, "trusted checkpoint (size " + cp.size() + ")", note, cp);
      } catch (NoteException e) {
        problems.add("trusted checkpoint: malformed: " + e.getMessage());
      }
    }
    Map<Long, byte[]> roots = new HashMap<>();
    for (Parsed p : checkpoints) roots.put(p.checkpoint().size(), null);
    if (trusted != null) roots.put(trusted.checkpoint().size(), null);

    // The entry pass.
    CompactRange range;
    try {
      range = start == 0 ? new CompactRange() : new CompactRange(start, manifest.prefixRoots());
    } catch (IllegalArgumentException e) {
      throw new LedgerException("export.json: " + e.getMessage());
    }
    if (roots.containsKey(start)) roots.put(start, range.root());
    List<Rotation> rotations = new ArrayList<>();
    long[] counts = new long[2]; // entries read, entries valid
    long[] expectedSeq = {start};
    byte[][] prevLeaf = {start == 0 ? null : manifest.prevLeaf()};
    HexFormat hex = HexFormat.of();
    NoteKeys.Verifier[] active = {null};
    EntryPipeline.forEach(store, start, e -> {
      long expected = expectedSeq[0];
      boolean valid = true;
      byte[] leaf = e.leaf();
      StoredEntry entry = e.entry();
      if (!e.checksumOk()) {
        problems.add("seq " + expected + ": stored bytes fail their checksum: the entry was changed after it was written");
        valid = false;
      }
      if (entry == null) {
        problems.add("seq " + expected + ": unreadable entry: " + e.parseError());
        valid = false;
      }
      if (entry != null) {
        if (entry.seq() != expected) {
          problems.add("seq " + entry.seq() + ": found where seq " + expected + " belongs: "
              + (entry.seq() > expected ? "entries missing before it" : "entries reordered or duplicated"));
          valid = false;
        }
        String wantPrev = prevLeaf[0] == null ? EntryFormat.GENESIS_PREV : hex.formatHex(prevLeaf[0]);
        if (!entry.prev().equals(wantPrev)) {
          problems.add("seq " + entry.seq() + ": prev does not match the hash of the entry before it"
              + " (that entry was changed, removed or moved)");
          valid = false;
        }
        if (entry.kind().equals("key_rotation")) {
          try {
            KeyRotation r = KeyRotation.parse(entry.note(), origin);
            if (active[0] != null && !active[0].vkey().equals(r.oldKey().vkey())) {
              throw new NoteException("rotates away from " + r.oldKey().vkey() + ", which is not the active key "
                  + active[0].vkey());
            }
            active[0] = r.newKey();
            rotations.add(new Rotation(e.position(), r.oldKey(), r.newKey()));
          } catch (NoteException ex) {
            problems.add("seq " + entry.seq() + ": invalid key rotation: " + ex.getMessage());
            valid = false;
          }
        }
        expectedSeq[0] = Math.max(expected, entry.seq()) + 1;
      } else {
        expectedSeq[0] = expected + 1;
      }
      prevLeaf[0] = leaf;
      range.append(leaf);
      if (roots.containsKey(range.size())) roots.put(range.size(), range.root());
      counts[0]++;
      if (valid) counts[1]++;
      if ((counts[0] & 0xffff) == 0) progress.accept(counts[0]);
    });
    progress.accept(counts[0]);
    long treeSize = range.size();

    // Which key signs which sizes: the first rotation's old key up to its seq, and so on.
    NoteKeys.Verifier genesisKey = rotations.isEmpty() ? trustedKey : rotations.get(0).oldKey();
    boolean keyKnown = genesisKey.vkey().equals(trustedKey.vkey())
        || rotations.stream().anyMatch(r -> r.newKey().vkey().equals(trustedKey.vkey()));
    if (!keyKnown) problems.add("key: the trusted key " + trustedKey.vkey() + " is not one of this ledger's keys");

    // Checkpoints: signature, origin, root; then forks and consistency.
    int validCheckpoints = 0;
    long anchored = start;
    Map<Long, Parsed> bySize = new TreeMap<>();
    Map<Long, Boolean> rootConfirmed = new HashMap<>();
    for (Parsed p : checkpoints) {
      boolean valid = checkCheckpoint(p, origin, keyFor(p.checkpoint().size(), genesisKey, rotations), keyKnown,
          roots, start, treeSize, problems);
      Parsed sameSize = bySize.get(p.checkpoint().size());
      if (sameSize != null && !MessageDigest.isEqual(sameSize.checkpoint().root(), p.checkpoint().root())) {
        problems.add(p.label() + ": fork: checkpoint " + sameSize.index() + " has the same size with a different root");
        valid = false;
      }
      bySize.putIfAbsent(p.checkpoint().size(), p);
      if (valid) {
        validCheckpoints++;
        anchored = Math.max(anchored, p.checkpoint().size());
        rootConfirmed.put(p.checkpoint().size(), roots.get(p.checkpoint().size()) != null);
      }
    }
    checkConsistency(bySize, rootConfirmed, manifest, problems);

    if (trusted != null) {
      checkCheckpoint(trusted, origin, keyFor(trusted.checkpoint().size(), genesisKey, rotations), keyKnown, roots,
          start, treeSize, problems);
      long latest = checkpoints.stream().mapToLong(p -> p.checkpoint().size()).max().orElse(0);
      if (latest < trusted.checkpoint().size()) {
        problems.add(trusted.label() + ": rollback: the ledger's latest checkpoint has size " + latest
            + ", older than the checkpoint you trusted");
      }
      Parsed same = bySize.get(trusted.checkpoint().size());
      if (same != null && !MessageDigest.isEqual(same.checkpoint().root(), trusted.checkpoint().root())) {
        problems.add(trusted.label() + ": fork: the ledger's " + same.label() + " has a different root");
      }
      if (trusted.checkpoint().size() < start && same == null) {
        problems.add(trusted.label() + ": precedes the export (from seq " + start + ") and matches none of its checkpoints");
      }
    }

    long unanchored = Math.max(0, treeSize - anchored);
    if (unanchored > 0) {
      notices.add("seq " + anchored + " to " + (treeSize - 1) + " are not yet covered by a valid checkpoint (unanchored)");
    }
    return new VerifyReport(problems, notices, counts[1], counts[0], validCheckpoints, checkpoints.size(), unanchored);
  }

  private static NoteKeys.Verifier keyFor(long size, NoteKeys.Verifier genesis, List<Rotation> rotations) {
    NoteKeys.Verifier key = genesis;
    for (Rotation r : rotations) {
      if (r.seq() < size) key = r.newKey();
    }
    return key;
  }

  private static boolean checkCheckpoint(Parsed p, String origin, NoteKeys.Verifier key, boolean keyKnown,
                                         Map<Long, byte[]> roots, long start, long treeSize, List<String> problems) {
    boolean valid = keyKnown;
    Checkpoint cp = p.checkpoint();
    if (!cp.origin().equals(origin)) {
      problems.add(p.label() + ": origin '" + cp.origin() + "' is not the ledger's '" + origin + "'");
      valid = false;
    }
    try {
      p.note().verify(key);
    } catch (NoteException e) {
      problems.add(p.label() + ": bad signature: " + e.getMessage());
      valid = false;
    }
    if (cp.size() > treeSize) {
      problems.add(p.label() + ": covers " + cp.size() + " entries but the ledger holds " + treeSize
          + ": entries were removed from the end (truncation or rollback)");
      valid = false;
    } else if (cp.size() >= start) {
      byte[] root = roots.get(cp.size());
      if (!MessageDigest.isEqual(root, cp.root())) {
        problems.add(p.label() + ": its root does not match the root recomputed from entries 0 to " + (cp.size() - 1)
            + ": the history it signed was altered or forked");
        valid = false;
      }
    }
    return valid;
  }

  /**
   * Successive checkpoints whose roots were both recomputed from the entries are consistent by construction; the
   * others (before the start of an export) need the export's consistency proof.
   */
  private static void checkConsistency(Map<Long, Parsed> bySize, Map<Long, Boolean> rootConfirmed,
                                       ExportManifest manifest, List<String> problems) {
    Parsed previous = null;
    for (Parsed p : bySize.values()) {
      if (!rootConfirmed.containsKey(p.checkpoint().size())) continue; // invalid: already reported
      if (previous != null && previous.checkpoint().size() > 0
          && !(rootConfirmed.get(previous.checkpoint().size()) && rootConfirmed.get(p.checkpoint().size()))) {
        long s1 = previous.checkpoint().size();
        long s2 = p.checkpoint().size();
        ExportManifest.ConsistencyProof proof = manifest == null ? null : manifest.consistency().stream()
            .filter(c -> c.size1() == s1 && c.size2() == s2).findFirst().orElse(null);
        if (proof == null) {
          problems.add(p.label() + ": no consistency proof from checkpoint size " + s1 + " in the export");
        } else {
          try {
            Proofs.verifyConsistency(s1, s2, previous.checkpoint().root(), p.checkpoint().root(), proof.proof());
          } catch (InvalidProofException e) {
            problems.add(p.label() + ": not consistent with " + previous.label() + ": " + e.getMessage());
          }
        }
      }
      previous = p;
    }
  }

  /** Checks a tlog-proof on its own: its checkpoint's signature and the entry's inclusion. Returns the entry text. */
  public static String verifyProof(String proofText, NoteKeys.Verifier key) throws NoteException {
    dev.portcullis.ledger.note.TlogProof proof = dev.portcullis.ledger.note.TlogProof.parse(proofText);
    SignedNote note = SignedNote.parse(proof.checkpointNote());
    note.verify(key);
    Checkpoint cp = Checkpoint.parse(note.text());
    if (proof.extra() == null) throw new NoteException("proof carries no entry (extra line)");
    try {
      Proofs.verifyInclusion(proof.index(), cp.size(), Rfc6962.leafHash(proof.extra()), proof.hashes(), cp.root());
    } catch (InvalidProofException e) {
      throw new NoteException("inclusion proof fails: " + e.getMessage());
    }
    StoredEntry entry = StoredEntry.parse(proof.extra());
    if (entry.seq() != proof.index()) {
      throw new NoteException("entry says seq " + entry.seq() + " but the proof is for index " + proof.index());
    }
    return new String(proof.extra(), StandardCharsets.UTF_8);
  }
}
