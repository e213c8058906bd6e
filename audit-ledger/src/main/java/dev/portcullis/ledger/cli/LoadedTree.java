package dev.portcullis.ledger.cli;

import dev.portcullis.ledger.LedgerException;
import dev.portcullis.ledger.merkle.MerkleTree;
import dev.portcullis.ledger.merkle.Rfc6962;
import dev.portcullis.ledger.store.LedgerStore;

/** Reads a stored ledger from seq 0 into a Merkle tree, to compute proofs the store does not keep. */
final class LoadedTree {
  private LoadedTree() {}

  interface Visitor {
    void visit(long seq, byte[] bytes) throws LedgerException;
  }

  static MerkleTree load(LedgerStore store, long end, Visitor visitor) throws LedgerException {
    MerkleTree tree = new MerkleTree();
    store.readEntries(0, end, e -> {
      if (e.position() != tree.size()) {
        throw new LedgerException("the ledger has a gap at seq " + tree.size() + "; run ledger verify");
      }
      tree.append(Rfc6962.leafHash(e.bytes()));
      visitor.visit(e.position(), e.bytes());
    });
    return tree;
  }
}
