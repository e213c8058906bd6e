package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.merkle.CompactRange;
import dev.portcullis.ledger.merkle.MerkleTree;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.store.LedgerStore;
import dev.portcullis.ledger.store.SegmentExport;
import dev.portcullis.ledger.verify.ExportManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", description = {
    "Writes everything `verify` needs offline to a new folder: the entries, the checkpoints that they cover,",
    "consistency proofs between successive checkpoints, the tree prefix when --from > 0, and the public key."})
final class ExportCommand extends LedgerSubcommand {
  @Mixin
  Source source;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create")
  Path out;

  @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0", description = "First seq (default 0)")
  long from;

  @Option(names = "--to", paramLabel = "SEQ", description = "Last seq, inclusive (default: the last entry)")
  Long to;

  @Override
  int run() throws LedgerException {
    try {
      return export();
    } catch (IOException e) {
      throw new LedgerException("cannot write the export to " + out + ": " + e.getMessage(), e);
    }
  }

  private int export() throws LedgerException, IOException {
    try (LedgerStore store = source.open()) {
      long size = store.size();
      long end = to == null ? size : to + 1;
      if (from < 0 || end > size || from > end) {
        throw new LedgerException("range " + from + ".." + (end - 1) + " is not within the ledger's " + size + " entries");
      }
      List<String> notes = new ArrayList<>();
      TreeSet<Long> sizes = new TreeSet<>();
      for (String note : store.checkpoints()) {
        try {
          long cpSize = Checkpoint.parse(SignedNote.parse(note).text()).size();
          if (cpSize <= end) {
            notes.add(note);
            sizes.add(cpSize);
          }
        } catch (NoteException e) {
          System.err.println("ledger: skipping a malformed checkpoint: " + e.getMessage());
        }
      }
      CompactRange prefix = new CompactRange();
      SegmentExport export;
      try {
        export = SegmentExport.create(out, from);
      } catch (FileAlreadyExistsException e) {
        throw new LedgerException(out + " already holds a ledger; export into a new folder");
      }
      MerkleTree tree;
      try (export) {
        tree = LoadedTree.load(store, end, (seq, bytes) -> {
          try {
            if (seq >= from) export.addEntry(bytes);
            else prefix.append(dev.portcullis.ledger.merkle.Rfc6962.leafHash(bytes));
          } catch (IOException e) {
            throw new LedgerException("cannot write the export: " + e.getMessage(), e);
          }
        });
        for (String note : notes) export.addCheckpoint(note);
      }
      List<ExportManifest.ConsistencyProof> proofs = new ArrayList<>();
      Long previous = null;
      for (long s : sizes) {
        if (previous != null && previous > 0) {
          proofs.add(new ExportManifest.ConsistencyProof(previous, s, tree.consistencyProof(previous, s)));
        }
        previous = s;
      }
      new ExportManifest(from, end, prefix.subtreeRoots(), from == 0 ? null : tree.leaf(from - 1), proofs).write(out);
      String vkey = vkey();
      if (vkey != null) Files.writeString(out.resolve("ledger.vkey"), vkey + "\n", StandardCharsets.UTF_8);
      System.out.println("exported seq " + from + " to " + (end - 1) + " and " + notes.size() + " checkpoints to " + out);
    }
    return 0;
  }

  private String vkey() throws LedgerException, IOException {
    if (source.config != null) return source.configuredKey().vkey();
    Path key = source.dir.resolve("ledger.vkey");
    return Files.exists(key) ? Files.readString(key, StandardCharsets.UTF_8).strip() : null;
  }
}
