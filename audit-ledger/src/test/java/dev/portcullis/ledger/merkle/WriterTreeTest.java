package dev.portcullis.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WriterTreeTest {
  @Test
  void headsMatchTheFullTreeAndOnlyLeavesSinceTheCheckpointAreHeld() throws InvalidProofException {
    WriterTree writer = new WriterTree();
    MerkleTree full = new MerkleTree();
    byte[] previousRoot = Rfc6962.emptyRoot();
    for (int round = 0; round < 7; round++) {
      for (int i = 0; i < 37 * round + 1; i++) {
        byte[] leaf = Rfc6962.leafHash(("r" + round + "i" + i).getBytes(StandardCharsets.UTF_8));
        writer.append(leaf);
        full.append(leaf);
      }
      WriterTree.Head head = writer.head();
      assertEquals(full.size(), head.size());
      assertArrayEquals(full.root(full.size()), head.root());
      assertArrayEquals(previousRoot, head.checkpointedRoot());
      assertEquals(37 * round + 1, writer.heldLeaves());
      writer.checkpointed(head);
      assertEquals(0, writer.heldLeaves());
      assertEquals(full.size(), writer.checkpointedSize());
      previousRoot = head.root();
    }
  }
}
