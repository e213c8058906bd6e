package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.entry.StoredEntry;
import dev.portcullis.ledger.merkle.MerkleTree;
import dev.portcullis.ledger.note.Checkpoint;
import dev.portcullis.ledger.note.NoteException;
import dev.portcullis.ledger.note.SignedNote;
import dev.portcullis.ledger.note.TlogProof;
import dev.portcullis.ledger.store.LedgerStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prove", description = {
    "Prints a c2sp.org/tlog-proof that the request's entry is in the latest checkpoint. The entry's bytes are in",
    "the proof's extra line, so `ledger verify-proof FILE --key VKEY` checks it with nothing else."})
final class ProveCommand extends LedgerSubcommand {
  @Option(names = "--config", paramLabel = "FILE", description = "Gateway configuration with a 'ledger:' section")
  Path config;

  @Option(names = "--dir", paramLabel = "DIR", description = "Ledger or export folder, instead of --config")
  Path dir;

  @Parameters(index = "0", paramLabel = "REQUEST_ID")
  String requestId;

  @Option(names = "--kind", description = "Entry kind when the request has several (default: the first entry)")
  String kind;

  private record Match(long seq, byte[] bytes, String kind) {}

  @Override
  int run() throws LedgerException {
    Source source = new Source();
    source.config = config;
    source.dir = dir;
    try (LedgerStore store = source.open()) {
      List<String> notes = store.checkpoints();
      if (notes.isEmpty()) throw new LedgerException("the ledger has no checkpoint yet");
      String note = notes.get(notes.size() - 1);
      Checkpoint checkpoint;
      try {
        checkpoint = Checkpoint.parse(SignedNote.parse(note).text());
      } catch (NoteException e) {
        throw new LedgerException("the latest checkpoint is malformed (" + e.getMessage() + "); run ledger verify");
      }
      List<Match> matches = new ArrayList<>();
      MerkleTree tree = LoadedTree.load(store, checkpoint.size(), (seq, bytes) -> {
        StoredEntry e;
        try {
          e = StoredEntry.parse(bytes);
        } catch (IllegalArgumentException ex) {
          throw new LedgerException("entry " + seq + " is unreadable (" + ex.getMessage() + "); run ledger verify");
        }
        if (requestId.equals(e.requestId()) && (kind == null || kind.equals(e.kind()))) {
          matches.add(new Match(seq, bytes, e.kind()));
        }
      });
      if (tree.size() < checkpoint.size()) {
        throw new LedgerException("the latest checkpoint covers " + checkpoint.size() + " entries but the ledger holds "
            + tree.size() + "; run ledger verify");
      }
      if (matches.isEmpty()) {
        throw new LedgerException("no entry" + (kind == null ? "" : " of kind " + kind) + " with request_id "
            + requestId + " in the " + checkpoint.size() + " entries covered by the latest checkpoint");
      }
      Match m = matches.get(0);
      if (matches.size() > 1) {
        System.err.println("ledger: request " + requestId + " has " + matches.size() + " entries; proving seq " + m.seq()
            + " (" + m.kind() + "); choose another with --kind");
      }
      System.out.print(new TlogProof(m.bytes(), m.seq(), tree.inclusionProof(m.seq(), checkpoint.size()), note).format());
    }
    return 0;
  }
}
